package dev.creditline.kernel.pipeline;

import dev.creditline.api.spi.ApiProblem;
import dev.creditline.store.Batch;
import dev.creditline.store.Batch.Deferred;
import dev.creditline.store.Batch.Done;
import dev.creditline.store.ConnectionFailures;
import dev.creditline.store.IdempotencyRepository;
import dev.creditline.store.IdempotencyRepository.Claim;
import dev.creditline.store.IdempotencyRepository.Claimed;
import dev.creditline.store.IdempotencyRepository.KeyAnswer;
import dev.creditline.store.IdempotencyRepository.KeyClaim;
import dev.creditline.store.IdempotencyRepository.Replay;
import dev.creditline.store.IdempotencyRepository.StoredResponse;
import dev.creditline.store.Rejection;
import dev.creditline.store.ScopedId;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path of a kind of ledger command (booking, cancellation, adjustment, purchase…: see {@link LedgerCommands}),
 * with group commit across studios. A few transactions run at a time; requests that arrive while they run wait and
 * then go together, whatever their studios (rows stay keyed by studio, every query scoped): look up their idempotency
 * keys, carry out the {@link Batch} (lock and read, ask the studios' extensions, decide, write), store each key with
 * its answer, commit. Alone, a request runs at once as a batch of one; under load batches grow by themselves, and one
 * commit pays for many requests of many studios. On Citus, where one studio's rows live on one shard, a batch holds
 * the requests of one studio (the first waiting and those behind it), so that each transaction stays on its shard.
 *
 * <p>Each request keeps its own answer, key and time. A request whose key is already in flight here waits for it
 * (then replays its answer); a retry of a key answered before replays in its batch; a refusal is stored for its key
 * in the same transaction. A key is written once, with its answer, at the end of the transaction that made its change
 * (not claimed first and completed later: one row write, and no lock held on it while the batch waits for members):
 * when another node's transaction answered the same key meanwhile, the batch fails on it and rolls back, and its
 * requests run again. When a batch fails as a whole, each of its requests runs again as a batch of one, so one bad
 * request fails only itself; when the connection broke (the commit's fate unknown), requests without a key get the
 * failure rather than a second change.
 *
 * @param <C> a request of the command
 * @param <T> what a request that is carried out answers
 */
public final class WritePipeline<C extends Batch.Command, T> {
    private static final Logger LOG = LoggerFactory.getLogger(WritePipeline.class);
    /** The most requests in one transaction. */
    static final int MAX_BATCH = 64;
    /** How many waiting requests a batch of one studio looks through for more of that studio. */
    private static final int SCANNED = 4 * MAX_BATCH;

    /** How a request's outcome is put into words: the body stored for its key and sent. */
    public interface Renderer<T> {
        StoredResponse done(T value);

        StoredResponse refused(RuntimeException refusal);
    }

    /** A request: the command, the hash that makes a retry "the same request", and how its answer is worded. */
    public record Request<C extends Batch.Command, T>(C command, byte[] requestHash, Renderer<T> renderer) {
        String key() {
            return command.idempotencyKey();
        }

        String studioId() {
            return command.studio().id();
        }

        ScopedId scopedKey() {
            return key() == null ? null : new ScopedId(studioId(), key());
        }
    }

    /** What a request gets. */
    public sealed interface Answer permits Answered, Replayed, KeyReused {
    }

    /** Its own answer: the response, or a refusal to throw when it has no key to remember it by. */
    public record Answered(StoredResponse response, RuntimeException refusal) implements Answer {
    }

    /** Its key was answered before, for the same request: that answer. */
    public record Replayed(StoredResponse response) implements Answer {
    }

    /** Its key was used before for another request. */
    public record KeyReused() implements Answer {
    }

    private final String name;
    private final Pool pool;
    private final Batch<C, T> batch;
    private final IdempotencyRepository idempotency;
    private final DistributionSummary sizes;
    private final DistributionSummary studiosPerBatch;
    private final Timer lockWait;
    private final Lanes lanes;
    private final int maxBatch;
    private final int maxWaiting;
    private final BooleanSupplier oneStudioPerBatch;

    /** A request waiting for its answer, and the requests with its key that wait for it. */
    private final class Pending {
        final Request<C, T> request;
        final Promise<Answer> answer = Promise.promise();
        final List<Pending> sameKey = new ArrayList<>();
        /** Where the request came in: its answer goes on there, whichever connection's thread ran the batch. */
        final Context origin = Vertx.currentContext();

        Pending(Request<C, T> request) {
            this.request = request;
        }

        void settle(Answer outcome, Throwable failure) {
            if (origin == null || origin == Vertx.currentContext()) {
                complete(outcome, failure);
            } else {
                origin.runOnContext(v -> complete(outcome, failure));
            }
        }

        private void complete(Answer outcome, Throwable failure) {
            if (failure != null) {
                answer.fail(failure);
            } else {
                answer.complete(outcome);
            }
        }
    }

    private final Deque<Pending> waiting = new ArrayDeque<>();
    private final Deque<Pending> retries = new ArrayDeque<>();
    private final Map<ScopedId, Pending> inFlight = new HashMap<>();

    /**
     * @param name       the command, as the metrics' {@code command} tag and in messages ("book", "cancel")
     * @param lanes      how many transactions it may run at once (alone, or shared with other pipelines): enough to keep
     *                   the database busy, few enough that the other requests queue and batch
     * @param maxWaiting the most requests waiting; past it, a request is refused at once
     * @param oneStudioPerBatch whether a batch holds one studio's requests only (on Citus, where a transaction of
     *                   one studio stays on one shard)
     */
    public WritePipeline(String name, Batch<C, T> batch, Pool pool, IdempotencyRepository idempotency,
                         MeterRegistry metrics, Lanes lanes, int maxWaiting, BooleanSupplier oneStudioPerBatch) {
        this.name = name;
        this.pool = pool;
        this.batch = batch;
        this.idempotency = idempotency;
        this.lanes = lanes;
        this.maxBatch = Math.min(MAX_BATCH, batch.maxRequests());
        this.maxWaiting = maxWaiting;
        this.oneStudioPerBatch = oneStudioPerBatch;
        this.sizes = DistributionSummary.builder("creditline_write_batch_size")
                .description("Requests committed together in one transaction")
                .tag("command", name)
                .register(metrics);
        this.studiosPerBatch = DistributionSummary.builder("creditline_write_batch_studios")
                .description("Studios whose requests went together in one transaction")
                .tag("command", name)
                .register(metrics);
        this.lockWait = Timer.builder("creditline_write_batch_lock_wait_seconds")
                .description("Time a batch took to claim its keys, lock its rows and read them")
                .tag("command", name)
                .register(metrics);
        lanes.join(this::resume);
    }

    /** Carries out the request, answering when its batch commits (or fails). */
    public Future<Answer> submit(Request<C, T> request) {
        Pending pending = new Pending(request);
        offer(pending);
        return pending.answer.future();
    }

    private void offer(Pending pending) {
        List<Pending> next;
        synchronized (this) {
            if (waiting.size() >= maxWaiting) {
                next = null;
            } else {
                next = enqueue(pending);
            }
        }
        if (next == null) {
            // Bounded, like the connection pool's queue: past it, an answer now rather than a pile-up.
            pending.settle(null, new ApiProblem(503, "overloaded", "too many " + name + " requests are waiting; retry"
                    + " in a moment with the same Idempotency-Key", null));
        } else {
            run(next);
        }
    }

    /** Queues a request (or puts it behind the request with its key in flight); the batch to run now, if any. */
    private List<Pending> enqueue(Pending pending) {
        ScopedId key = pending.request.scopedKey();
        Pending holder = key == null ? null : inFlight.get(key);
        if (holder != null) {
            holder.sameKey.add(pending);
            return List.of();
        }
        if (key != null) {
            inFlight.put(key, pending);
        }
        waiting.add(pending);
        return take();
    }

    /** The next batch, if a lane is free and requests wait; empty otherwise. */
    private List<Pending> take() {
        List<Pending> next = new ArrayList<>();
        if ((!retries.isEmpty() || !waiting.isEmpty()) && lanes.take()) {
            if (!retries.isEmpty()) {
                next.add(retries.poll());
            } else if (waiting.peek().request.command().alone()) {
                next.add(waiting.poll());
            } else if (oneStudioPerBatch.getAsBoolean()) {
                takeOneStudio(next);
            } else {
                while (!waiting.isEmpty() && next.size() < maxBatch && !waiting.peek().request.command().alone()) {
                    next.add(waiting.poll());
                }
            }
        }
        return next;
    }

    /**
     * The first waiting request and those of its studio behind it (up to {@link #SCANNED} looked at): the others
     * keep their places.
     */
    private void takeOneStudio(List<Pending> next) {
        Pending first = waiting.poll();
        next.add(first);
        Iterator<Pending> behind = waiting.iterator();
        for (int scanned = 0; behind.hasNext() && next.size() < maxBatch && scanned < SCANNED; scanned++) {
            Pending p = behind.next();
            if (p.request.studioId().equals(first.request.studioId()) && !p.request.command().alone()) {
                behind.remove();
                next.add(p);
            }
        }
    }

    private void finished(List<Pending> deferred, List<Pending> alone) {
        synchronized (this) {
            // Deferred requests go first in the next batch: they came before those waiting.
            for (int i = deferred.size() - 1; i >= 0; i--) {
                waiting.addFirst(deferred.get(i));
            }
            retries.addAll(alone);
        }
        lanes.release();
    }

    /** Starts batches of the waiting requests on the lanes free now; whether it started any. */
    private boolean resume() {
        List<List<Pending>> next = new ArrayList<>();
        synchronized (this) {
            for (List<Pending> batch = take(); !batch.isEmpty(); batch = take()) {
                next.add(batch);
            }
        }
        next.forEach(this::run);
        return !next.isEmpty();
    }

    /** Answers a request and lets the requests that waited for its key go on. */
    private void answer(Pending p, Answer answer, Throwable failure) {
        List<Pending> followers;
        synchronized (this) {
            ScopedId key = p.request.scopedKey();
            if (key != null) {
                inFlight.remove(key, p);
            }
            followers = List.copyOf(p.sameKey);
            p.sameKey.clear();
        }
        p.settle(answer, failure);
        // Each follower takes its turn: the first claims the key (its answer now stored), the rest wait behind it.
        followers.forEach(this::offer);
    }

    private void run(List<Pending> requests) {
        if (requests.isEmpty()) {
            return;
        }
        sizes.record(requests.size());
        studiosPerBatch.record(requests.stream().map(p -> p.request.studioId()).distinct().count());
        List<Outcome> outcomes = new ArrayList<>();
        pool.<Void>withTransaction(c -> decide(c, requests, outcomes))
                .onComplete(done -> {
                    List<Pending> deferred = new ArrayList<>();
                    List<Pending> alone = new ArrayList<>();
                    if (done.succeeded()) {
                        for (int i = 0; i < requests.size(); i++) {
                            Outcome outcome = outcomes.get(i);
                            if (outcome.deferred()) {
                                deferred.add(requests.get(i));
                            } else {
                                answer(requests.get(i), outcome.answer(), outcome.failure());
                            }
                        }
                    } else if (done.cause() instanceof IdempotencyRepository.KeyTaken) {
                        // Another transaction answered one of the keys and committed: run again, they replay it.
                        alone.addAll(requests);
                    } else if (requests.size() == 1) {
                        answer(requests.get(0), null, done.cause());
                    } else {
                        boolean uncertain = ConnectionFailures.isConnectionLost(done.cause());
                        LOG.debug("A batch of {} {} requests failed; each runs alone: {}", requests.size(), name,
                                done.cause().toString());
                        for (Pending p : requests) {
                            if (uncertain && p.request.key() == null) {
                                answer(p, null, done.cause());
                            } else {
                                alone.add(p);
                            }
                        }
                    }
                    finished(deferred, alone);
                });
    }

    /** A request's fate in its batch. */
    private record Outcome(Answer answer, Throwable failure, boolean deferred) {
        static Outcome of(Answer answer) {
            return new Outcome(answer, null, false);
        }
    }

    /** The batch's transaction: its outcomes in request order, with the keys' answers stored. */
    private Future<Void> decide(SqlConnection c, List<Pending> requests, List<Outcome> outcomes) {
        long started = System.nanoTime();
        List<Pending> keyed = requests.stream().filter(p -> p.request.key() != null).toList();
        Future<List<Claim>> claims = idempotency.lookupAll(c, keyed.stream().map(this::keyOf).toList());
        return claims.compose(found -> {
            Map<Pending, Claim> claimOf = new LinkedHashMap<>();
            for (int i = 0; i < keyed.size(); i++) {
                claimOf.put(keyed.get(i), found.get(i));
            }
            List<Pending> fresh = requests.stream()
                    .filter(p -> p.request.key() == null || claimOf.get(p) instanceof Claimed).toList();
            Future<List<Batch.Result<T>>> results = fresh.isEmpty() ? Future.succeededFuture(List.of())
                    : batch.run(c, fresh.stream().map(p -> p.request.command()).toList(),
                            () -> lockWait.record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
            return results.compose(decided -> {
                Map<Pending, Outcome> byRequest = new HashMap<>();
                List<KeyAnswer> stored = new ArrayList<>();
                for (int i = 0; i < fresh.size(); i++) {
                    Pending p = fresh.get(i);
                    Outcome outcome = outcome(p, decided.get(i));
                    byRequest.put(p, outcome);
                    // A key is stored with its answer; one not answered here (deferred, failed) stays free.
                    if (p.request.key() != null && outcome.answer() instanceof Answered answered) {
                        stored.add(new KeyAnswer(keyOf(p), answered.response()));
                    }
                }
                claimOf.forEach((p, claim) -> {
                    if (claim instanceof Replay replay) {
                        byRequest.put(p, Outcome.of(new Replayed(replay.response())));
                    } else if (!(claim instanceof Claimed)) {
                        byRequest.put(p, Outcome.of(new KeyReused()));
                    }
                });
                requests.forEach(p -> outcomes.add(byRequest.get(p)));
                return idempotency.storeAll(c, stored);
            });
        });
    }

    private KeyClaim keyOf(Pending p) {
        return new KeyClaim(p.request.studioId(), p.request.key(), p.request.requestHash());
    }

    private Outcome outcome(Pending p, Batch.Result<T> result) {
        Renderer<T> renderer = p.request.renderer();
        if (result instanceof Deferred<T>) {
            return new Outcome(null, null, true);
        }
        if (result instanceof Done<T> done) {
            return Outcome.of(new Answered(renderer.done(done.value()), null));
        }
        RuntimeException refusal = ((Batch.Refused<T>) result).refusal();
        if (Rejection.isRefusal(refusal)) {
            // Remembered for the key; without one, the error handler answers it.
            return Outcome.of(new Answered(p.request.key() == null ? null : renderer.refused(refusal), refusal));
        }
        // A failure of the request's own extension: its answer, not remembered (a retry may succeed).
        return new Outcome(null, refusal, false);
    }
}
