package dev.creditline.bench;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * C closed-loop clients over many athletes of one studio: 70% bookings, 20% cancels of the client's earlier
 * bookings, 10% credit reads; every booking and cancel carries an idempotency key. Each client sends its next
 * request when the last one is answered, so ops/s is what the server sustains at that concurrency.
 */
final class BookingLoad {
    /** Latencies above a minute are recorded as a minute. */
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(1);

    private final Api api;
    private final List<String> members = new ArrayList<>();
    private final AtomicLong keys = new AtomicLong();
    private String owner;
    private String scheduler;

    /** One measured run. */
    record Result(int clients, int seconds, long ops, Histogram latency, Map<String, Histogram> byOperation,
                  Map<Integer, Long> statuses) {
        double opsPerSecond() {
            return ops / (double) seconds;
        }

        /** Answers that were not the expected 200/201 (errors of the product, or 0: no answer at all). */
        long failures() {
            return statuses.entrySet().stream().filter(e -> e.getKey() != 200 && e.getKey() != 201)
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    BookingLoad(Api api) {
        this.api = api;
    }

    /** A studio with a one-credit class and athletes holding plenty of credits. */
    void setUp(String adminToken, int memberCount) {
        owner = api.call(HttpMethod.POST, "/admin/studios", adminToken, new JsonObject().put("name", "Bench")
                .put("timezone", "Europe/Berlin").put("currency", "EUR")).expect(201).body().getString("ownerKey");
        scheduler = api.call(HttpMethod.POST, "/v1/schedulers", owner, new JsonObject().put("name", "Open Gym")
                .put("creditCost", 1).put("paymentMode", "credits").put("cancellationWindow", "PT1H"))
                .expect(201).body().getString("id");
        List<Future<String>> created = new ArrayList<>();
        for (int i = 0; i < memberCount; i++) {
            created.add(api.send(HttpMethod.POST, "/v1/members", owner, new JsonObject().put("name", "Athlete " + i),
                    null).compose(member -> {
                        String id = member.expect(201).body().getString("id");
                        return api.send(HttpMethod.POST, "/v1/members/" + id + "/credits/adjust", owner,
                                new JsonObject().put("account", "master").put("mode", "add").put("amount", 100_000)
                                        .put("reason", "bench"), null).map(granted -> {
                                            granted.expect(200);
                                            return id;
                                        });
                    }));
            if (created.size() == 50) {
                members.addAll(Api.await(created));
                created.clear();
            }
        }
        members.addAll(Api.await(created));
    }

    /** Warms up for {@code warmupSeconds} with the same clients, then measures for {@code seconds}. */
    Result run(int clients, int warmupSeconds, int seconds) {
        Histogram all = new ConcurrentHistogram(HIGHEST_MICROS, 3);
        Map<String, Histogram> byOperation = new TreeMap<>(Map.of("book", new ConcurrentHistogram(HIGHEST_MICROS, 3),
                "cancel", new ConcurrentHistogram(HIGHEST_MICROS, 3), "read", new ConcurrentHistogram(HIGHEST_MICROS, 3)));
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        Recorder recorder = new Recorder(all, byOperation, statuses, measureFrom, end);
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            loops.add(done);
            Deque<String> bookings = new ArrayDeque<>();
            api.vertx().runOnContext(v -> next(recorder, bookings, done));
        }
        for (CompletableFuture<Void> loop : loops) {
            try {
                loop.get(warmupSeconds + seconds + 120L, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("a client did not finish", e);
            }
        }
        Map<Integer, Long> counts = new TreeMap<>();
        statuses.forEach((status, count) -> counts.put(status, count.get()));
        return new Result(clients, seconds, all.getTotalCount(), all, byOperation, counts);
    }

    private record Recorder(Histogram all, Map<String, Histogram> byOperation, Map<Integer, AtomicLong> statuses,
                            long measureFrom, long end) {
        void record(String op, long startedAt, int status) {
            if (startedAt < measureFrom) {
                return;
            }
            long micros = Math.min((System.nanoTime() - startedAt) / 1000, HIGHEST_MICROS);
            all.recordValue(micros);
            byOperation.get(op).recordValue(micros);
            statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        }
    }

    private void next(Recorder recorder, Deque<String> bookings, CompletableFuture<Void> done) {
        long now = System.nanoTime();
        if (now >= recorder.end()) {
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
            int status = answer.succeeded() ? answer.result().status() : 0;
            recorder.record(op, now, status);
            if (op.equals("book") && status == 201) {
                bookings.add(answer.result().body().getString("id"));
            }
            next(recorder, bookings, done);
        });
    }

    private String member() {
        return members.get(ThreadLocalRandom.current().nextInt(members.size()));
    }

    private String key() {
        return "bench-" + keys.incrementAndGet() + "-" + ThreadLocalRandom.current().nextLong();
    }
}
