package dev.creditline.bench;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Drives a Creditline server with C closed-loop clients over many athletes of one studio: 70% bookings, 20% cancels
 * of earlier bookings, 10% credit reads, every booking and cancel with an idempotency key. After a warm-up it
 * measures for a fixed time and prints one JSON line: ops/s, latency percentiles, answers by status.
 *
 * <p>{@code LoadGenerator <baseUrl> <adminToken> <clients> <warmupSeconds> <seconds> [members]}
 */
public final class LoadGenerator {
    private final Api api;
    private final int clients;
    private final List<String> members = new ArrayList<>();
    private String owner;
    private String scheduler;

    private final Histogram all = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
    private final Map<String, Histogram> byOp = Map.of("book", new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3),
            "cancel", new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3),
            "read", new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3));
    private final Map<Integer, AtomicLong> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong keys = new AtomicLong();
    private volatile boolean measuring;

    LoadGenerator(URI base, int clients) {
        this.api = new Api(base, clients);
        this.clients = clients;
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        int clients = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        int memberCount = args.length > 5 ? Integer.parseInt(args[5]) : 2000;
        LoadGenerator load = new LoadGenerator(base, clients);
        try {
            load.setUp(args[1], memberCount);
            System.out.println(load.run(warmup, seconds).encode());
        } finally {
            load.api.close();
        }
    }

    /** A studio with a one-credit class and athletes holding plenty of credits. */
    void setUp(String adminToken, int memberCount) {
        owner = api.call(HttpMethod.POST, "/admin/studios", adminToken, new JsonObject().put("name", "Bench")
                .put("timezone", "Europe/Berlin").put("currency", "EUR")).expect(201).body().getString("ownerKey");
        scheduler = api.call(HttpMethod.POST, "/v1/schedulers", owner, new JsonObject().put("name", "Open Gym")
                .put("creditCost", 1).put("paymentMode", "credits").put("cancellationWindow", "PT1H"))
                .expect(201).body().getString("id");
        List<Future<Api.Answer>> created = new ArrayList<>();
        for (int i = 0; i < memberCount; i++) {
            created.add(api.send(HttpMethod.POST, "/v1/members", owner, new JsonObject().put("name", "Athlete " + i),
                    null).compose(member -> api.send(HttpMethod.POST, "/v1/members/"
                            + member.expect(201).body().getString("id") + "/credits/adjust", owner,
                    new JsonObject().put("account", "master").put("mode", "add").put("amount", 100_000)
                            .put("reason", "bench"), null).map(member)));
            if (created.size() == 50) {
                awaitAll(created);
                created.clear();
            }
        }
        awaitAll(created);
    }

    private void awaitAll(List<Future<Api.Answer>> futures) {
        for (Future<Api.Answer> future : futures) {
            try {
                members.add(future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS).body()
                        .getString("id"));
            } catch (Exception e) {
                throw new IllegalStateException("set-up failed", e);
            }
        }
    }

    /** Warms up, measures, and answers the figures. */
    JsonObject run(int warmupSeconds, int seconds) throws Exception {
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            loops.add(done);
            Deque<String> bookings = new ArrayDeque<>();
            api.vertx().runOnContext(v -> loop(bookings, measureFrom, end, done));
        }
        long measured = 0;
        for (CompletableFuture<Void> loop : loops) {
            loop.get(warmupSeconds + seconds + 120, TimeUnit.SECONDS);
        }
        measured = all.getTotalCount();
        JsonObject result = new JsonObject().put("clients", clients).put("seconds", seconds)
                .put("ops", measured).put("opsPerSecond", Math.round(measured / (double) seconds))
                .put("p50ms", millis(all, 50)).put("p99ms", millis(all, 99)).put("p999ms", millis(all, 99.9));
        JsonObject ops = new JsonObject();
        byOp.forEach((op, h) -> ops.put(op, new JsonObject().put("count", h.getTotalCount())
                .put("p50ms", millis(h, 50)).put("p99ms", millis(h, 99))));
        JsonObject codes = new JsonObject();
        statuses.forEach((status, count) -> codes.put(String.valueOf(status), count.get()));
        return result.put("byOperation", ops).put("statuses", codes).put("at", Instant.now().toString());
    }

    private static double millis(Histogram h, double percentile) {
        return Math.round(h.getValueAtPercentile(percentile) / 10.0) / 100.0;
    }

    private void loop(Deque<String> bookings, long measureFrom, long end, CompletableFuture<Void> done) {
        long now = System.nanoTime();
        if (now >= end) {
            done.complete(null);
            return;
        }
        int pick = ThreadLocalRandom.current().nextInt(100);
        String op;
        Future<Api.Answer> call;
        if (pick < 20 && !bookings.isEmpty()) {
            op = "cancel";
            call = api.send(HttpMethod.POST, "/v1/bookings/" + bookings.poll() + "/cancel", owner, null, key());
        } else if (pick >= 90) {
            op = "read";
            call = api.send(HttpMethod.GET, "/v1/members/" + member() + "/credits", owner, null, null);
        } else {
            op = "book";
            call = api.send(HttpMethod.POST, "/v1/bookings", owner, new JsonObject().put("memberId", member())
                    .put("schedulerId", scheduler).put("startsAt", "2030-01-01T18:00:00Z"), key());
        }
        call.onComplete(answer -> {
            long micros = (System.nanoTime() - now) / 1000;
            if (now >= measureFrom) {
                all.recordValue(Math.min(micros, all.getHighestTrackableValue()));
                byOp.get(op).recordValue(Math.min(micros, all.getHighestTrackableValue()));
                int status = answer.succeeded() ? answer.result().status() : 0;
                statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
            }
            if (answer.succeeded() && op.equals("book") && answer.result().status() == 201) {
                bookings.add(answer.result().body().getString("id"));
            }
            loop(bookings, measureFrom, end, done);
        });
    }

    private String member() {
        return members.get(ThreadLocalRandom.current().nextInt(members.size()));
    }

    private String key() {
        return "bench-" + keys.incrementAndGet() + "-" + ThreadLocalRandom.current().nextLong();
    }
}
