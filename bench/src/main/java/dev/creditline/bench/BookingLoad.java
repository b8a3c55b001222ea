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
 * C closed-loop clients over athletes spread evenly over one or more studios, each studio with its own owner key and
 * one-credit scheduler; a request uses those of its athlete's studio. Two workloads: the mix (70% bookings, 20%
 * cancels of the client's earlier bookings, 10% credit reads) and bookings only. Every booking and cancel carries its
 * own idempotency key. Each client sends its next request when the last one is answered, so ops/s is what the server
 * sustains at that concurrency.
 */
final class BookingLoad {
    /** Latencies above a minute are recorded as a minute. */
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(1);
    /** Set-up requests in flight at once. */
    private static final int SET_UP_PARALLEL = 50;

    /** What the clients send. */
    enum Workload { MIX, BOOKINGS }

    private record Studio(String owner, String scheduler) {
    }

    private record Athlete(String id, Studio studio) {
    }

    /** A booking a client made, to cancel later with its studio's key. */
    private record Booked(String id, String owner) {
    }

    private final Api api;
    private final List<Athlete> athletes = new ArrayList<>();
    private final AtomicLong keys = new AtomicLong();

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

    /** {@code studioCount} studios with a one-credit class each and {@code memberCount} athletes, spread evenly. */
    void setUp(String adminToken, int memberCount, int studioCount) {
        List<Studio> studios = Api.inWaves(studioCount, SET_UP_PARALLEL,
                i -> openStudio(adminToken, studioCount == 1 ? "Bench" : "Bench " + (i + 1)));
        athletes.addAll(Api.inWaves(memberCount, SET_UP_PARALLEL, i -> {
            Studio studio = studios.get(i % studioCount);
            return api.send(HttpMethod.POST, "/v1/members", studio.owner(),
                    new JsonObject().put("name", "Athlete " + i), null).compose(member -> {
                        String id = member.expect(201).body().getString("id");
                        return api.send(HttpMethod.POST, "/v1/members/" + id + "/credits/adjust", studio.owner(),
                                new JsonObject().put("account", "master").put("mode", "add").put("amount", 100_000)
                                        .put("reason", "bench"), null).map(granted -> {
                                            granted.expect(200);
                                            return new Athlete(id, studio);
                                        });
                    });
        }));
    }

    /** A studio with its one-credit class. */
    private Future<Studio> openStudio(String adminToken, String name) {
        return api.send(HttpMethod.POST, "/admin/studios", adminToken, new JsonObject().put("name", name)
                .put("timezone", "Europe/Berlin").put("currency", "EUR"), null).compose(studio -> {
                    String owner = studio.expect(201).body().getString("ownerKey");
                    return api.send(HttpMethod.POST, "/v1/schedulers", owner, new JsonObject()
                            .put("name", "Open Gym").put("creditCost", 1).put("paymentMode", "credits")
                            .put("cancellationWindow", "PT1H"), null)
                            .map(scheduler -> new Studio(owner, scheduler.expect(201).body().getString("id")));
                });
    }

    /** Warms up for {@code warmupSeconds} with the same clients, then measures for {@code seconds}. */
    Result run(Workload workload, int clients, int warmupSeconds, int seconds) {
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
            Deque<Booked> bookings = new ArrayDeque<>();
            api.vertx().runOnContext(v -> next(workload, recorder, bookings, done));
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

    private void next(Workload workload, Recorder recorder, Deque<Booked> bookings, CompletableFuture<Void> done) {
        long now = System.nanoTime();
        if (now >= recorder.end()) {
            done.complete(null);
            return;
        }
        int pick = workload == Workload.MIX ? ThreadLocalRandom.current().nextInt(100) : 50;
        Athlete athlete = athletes.get(ThreadLocalRandom.current().nextInt(athletes.size()));
        String op;
        Future<Api.Answer> call;
        if (pick < 20 && !bookings.isEmpty()) {
            op = "cancel";
            Booked booked = bookings.poll();
            call = api.send(HttpMethod.POST, "/v1/bookings/" + booked.id() + "/cancel", booked.owner(), null, key());
        } else if (pick >= 90) {
            op = "read";
            call = api.send(HttpMethod.GET, "/v1/members/" + athlete.id() + "/credits", athlete.studio().owner(),
                    null, null);
        } else {
            op = "book";
            call = api.send(HttpMethod.POST, "/v1/bookings", athlete.studio().owner(), new JsonObject()
                    .put("memberId", athlete.id()).put("schedulerId", athlete.studio().scheduler())
                    .put("startsAt", "2030-01-01T18:00:00Z"), key());
        }
        call.onComplete(answer -> {
            int status = answer.succeeded() ? answer.result().status() : 0;
            recorder.record(op, now, status);
            // Only the mix cancels: bookings only keeps no list to grow.
            if (workload == Workload.MIX && op.equals("book") && status == 201) {
                bookings.add(new Booked(answer.result().body().getString("id"), athlete.studio().owner()));
            }
            next(workload, recorder, bookings, done);
        });
    }

    private String key() {
        return "bench-" + keys.incrementAndGet() + "-" + ThreadLocalRandom.current().nextLong();
    }
}
