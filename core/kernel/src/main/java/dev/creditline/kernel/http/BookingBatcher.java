package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.boot.Config;
import dev.creditline.store.BatchBooking;
import dev.creditline.store.BookingRepository.Booking;
import dev.creditline.store.BatchBooking.Booked;
import dev.creditline.store.BatchBooking.Refused;
import dev.creditline.store.CreditCommands;
import dev.creditline.store.CreditCommands.Book;
import dev.creditline.store.IdempotencyRepository;
import dev.creditline.store.IdempotencyRepository.StoredResponse;
import dev.creditline.store.Names;
import dev.creditline.store.Rejection;
import dev.creditline.store.StudioContext;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Books with group commit. A studio's booking requests run a few transactions at a time; requests that arrive while
 * those run wait and then go together, in one transaction ({@link BatchBooking}). Alone, a request runs at once, as
 * it would without batching; under load, batches grow by themselves and one commit pays for many bookings.
 *
 * <p>Each request keeps its own answer and its own exactly-once key. What cannot go in a batch takes the path of a
 * single booking ({@link Writes}): a studio with redemption policies or on a test clock, a key used before (a retry:
 * its stored answer), a key twice in one batch, and every request of a batch that failed as a whole.
 */
@Singleton
public final class BookingBatcher {
    private static final Logger LOG = LoggerFactory.getLogger(BookingBatcher.class);
    /** The most requests in one transaction. */
    static final int MAX_BATCH = 64;

    private final Pool pool;
    private final Writes writes;
    private final CreditCommands commands;
    private final BatchBooking batch;
    private final IdempotencyRepository idempotency;
    private final DistributionSummary sizes;
    private final int lanesPerStudio;
    private final int maxWaiting;
    private final Map<String, Studio> studios = new ConcurrentHashMap<>();
    private final Names names;

    /** A request waiting for its answer. */
    private record Pending(RoutingContext ctx, JsonNode body, Caller caller, Book command, String key, byte[] hash,
                           Promise<Reply> answer) {
    }

    @Inject
    public BookingBatcher(Pool pool, Writes writes, CreditCommands commands, BatchBooking batch,
                          IdempotencyRepository idempotency, MeterRegistry metrics, Config config, Names names) {
        this.pool = pool;
        this.names = names;
        this.writes = writes;
        this.commands = commands;
        this.batch = batch;
        this.idempotency = idempotency;
        // Enough transactions at once to keep the database busy, few enough that the others queue and batch.
        this.lanesPerStudio = Math.max(1, config.poolSize() / 4);
        this.maxWaiting = config.waitQueueSize();
        this.sizes = DistributionSummary.builder("creditline_booking_batch_size")
                .description("Booking requests committed together in one transaction")
                .register(metrics);
    }

    /** Books for the caller, answering 201 with the booking or the refusal, as {@link Writes#run} would. */
    public Future<Reply> book(RoutingContext ctx, JsonNode body, Caller caller, Book command) {
        String key = Writes.key(ctx);
        Pending pending = new Pending(ctx, body, caller, command, key,
                key == null ? null : Json.requestHash(ctx.request().method().name(), ctx.request().uri(), body),
                Promise.promise());
        if (!batch.accepts(caller.studio())) {
            single(pending);
        } else {
            studios.computeIfAbsent(caller.studio().id(), id -> new Studio()).offer(pending);
        }
        return pending.answer().future();
    }

    /** A studio's queue and its transactions in flight. */
    private final class Studio {
        private final Queue<Pending> waiting = new ArrayDeque<>();
        private int running;

        void offer(Pending pending) {
            List<Pending> next;
            synchronized (this) {
                if (waiting.size() >= maxWaiting) {
                    // Bounded, like the connection pool's queue: past it, an answer now rather than a pile-up.
                    pending.answer().fail(Problem.overloaded("too many bookings are waiting; retry in a moment"
                            + " with the same Idempotency-Key"));
                    return;
                }
                waiting.add(pending);
                next = take();
            }
            run(this, next);
        }

        void finished() {
            List<Pending> next;
            synchronized (this) {
                running--;
                next = take();
            }
            run(this, next);
        }

        /** The next batch, if a lane is free and requests wait; empty otherwise. */
        private List<Pending> take() {
            List<Pending> next = new ArrayList<>();
            if (running < lanesPerStudio && !waiting.isEmpty()) {
                running++;
                while (!waiting.isEmpty() && next.size() < MAX_BATCH) {
                    next.add(waiting.poll());
                }
            }
            return next;
        }
    }

    private void run(Studio studio, List<Pending> requests) {
        if (requests.isEmpty()) {
            return;
        }
        sizes.record(requests.size());
        // A key twice in the batch: the second waits for the first's answer on the single path.
        List<Pending> together = new ArrayList<>();
        List<Pending> alone = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (Pending p : requests) {
            (p.key() == null || keys.add(p.key()) ? together : alone).add(p);
        }
        // The studio as the first request saw it; each request still acts at its own time.
        StudioContext s = together.get(0).caller().studio();
        List<Pending> claimed = new ArrayList<>();
        pool.<List<Outcome>>withTransaction(c -> claim(c, s, together).compose(held -> {
                    claimed.addAll(held);
                    return bookClaimed(c, s, held);
                }))
                .onComplete(done -> {
                    studio.finished();
                    if (done.succeeded()) {
                        for (int i = 0; i < claimed.size(); i++) {
                            Outcome outcome = done.result().get(i);
                            if (outcome == null) {
                                // The batch could not decide it: it books alone, its key given back.
                                single(claimed.get(i));
                            } else {
                                outcome.answer(claimed.get(i).answer());
                            }
                        }
                        // Keys used before: their stored answers, now that this batch's are stored too.
                        Set<Pending> answered = identitySet(claimed);
                        together.stream().filter(p -> !answered.contains(p)).forEach(this::single);
                        alone.forEach(this::single);
                    } else {
                        retryAlone(requests, done.cause());
                    }
                });
    }

    /**
     * After a failed batch each request runs alone. When the connection broke, the commit may have happened:
     * requests with a key learn it from their key, and requests without one get the failure rather than a second
     * booking.
     */
    private void retryAlone(List<Pending> requests, Throwable failure) {
        boolean uncertain = ErrorHandler.unavailable(failure);
        LOG.debug("A batch of {} bookings failed; each runs alone: {}", requests.size(), failure.toString());
        for (Pending p : requests) {
            if (uncertain && p.key() == null) {
                p.answer().fail(failure);
            } else {
                single(p);
            }
        }
    }

    /** The requests whose keys this transaction now holds, and those without a key, in order. */
    private Future<List<Pending>> claim(SqlConnection c, StudioContext s, List<Pending> requests) {
        List<Pending> keyed = requests.stream().filter(p -> p.key() != null).toList();
        return idempotency.claimAll(c, s.id(), keyed.stream().map(Pending::key).toList(),
                keyed.stream().map(Pending::hash).toList()).map(claimed -> {
                    Set<Pending> held = identitySet(List.of());
                    for (int i = 0; i < keyed.size(); i++) {
                        if (claimed.get(i)) {
                            held.add(keyed.get(i));
                        }
                    }
                    return requests.stream().filter(p -> p.key() == null || held.contains(p)).toList();
                });
    }

    /** Books the requests together; their outcomes in the same order, with the keys' answers stored. */
    private Future<List<Outcome>> bookClaimed(SqlConnection c, StudioContext s, List<Pending> requests) {
        if (requests.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        List<BatchBooking.Request> batchRequests = requests.stream()
                .map(p -> new BatchBooking.Request(p.caller().studio(), p.caller().actor(), p.command(), p.key())).toList();
        // The members' names for the answers: one query for the whole batch.
        Future<Names.Found> memberNames = names.of(c, s.id(),
                requests.stream().map(p -> p.command().memberId()).toList(), List.of(), List.of());
        Future<List<BatchBooking.Result>> decided = batch.book(c, s, batchRequests);
        return Future.all(decided, memberNames).compose(all -> {
            List<BatchBooking.Result> results = decided.result();
            Names.Found found = memberNames.result();
            List<Outcome> outcomes = new ArrayList<>();
            Map<String, StoredResponse> stored = new LinkedHashMap<>();
            List<String> released = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                Pending p = requests.get(i);
                Outcome outcome;
                if (results.get(i) instanceof BatchBooking.Alone) {
                    if (p.key() != null) {
                        released.add(p.key());
                    }
                    outcomes.add(null);
                    continue;
                }
                if (results.get(i) instanceof Booked booked) {
                    outcome = new Outcome(Reply.created(Views.booking(booked.booking(), found)), null);
                } else {
                    Rejection rejection = ((Refused) results.get(i)).rejection();
                    // Remembered for the key, as the single path does; without a key, the error handler answers.
                    outcome = p.key() == null ? new Outcome(null, rejection)
                            : new Outcome(refusal(rejection, p.ctx()), null);
                }
                if (p.key() != null) {
                    stored.put(p.key(), outcome.reply().stored());
                }
                outcomes.add(outcome);
            }
            return idempotency.completeAll(c, s.id(), stored)
                    .compose(done -> idempotency.releaseAll(c, s.id(), released)).map(outcomes);
        });
    }

    /** A refusal remembered for its key, with the id of the request it answered (as {@link Writes} does). */
    private static Reply refusal(Rejection rejection, RoutingContext ctx) {
        Problem problem = ErrorHandler.problem(rejection);
        String requestId = ctx.response().headers().get(RequestIds.HEADER);
        return new Reply(problem.status(), requestId == null ? problem.body()
                : problem.body().put("requestId", requestId));
    }

    private static Set<Pending> identitySet(List<Pending> members) {
        Set<Pending> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(members);
        return set;
    }

    /** A request's answer: a reply, or a failure for the error handler. */
    private record Outcome(Reply reply, RuntimeException failure) {
        void answer(Promise<Reply> promise) {
            if (failure != null) {
                promise.fail(failure);
            } else {
                promise.complete(reply);
            }
        }
    }

    /** The single booking's path: its own transaction and claim. */
    private void single(Pending p) {
        writes.run(p.ctx(), p.body(), (c, key) -> {
                    // The member's name is read beside the booking (pipelined), not after it under the member's lock.
                    Future<Names.Found> memberName = names.of(c, p.caller().studio().id(),
                            List.of(p.command().memberId()), List.of(), List.of());
                    Future<Booking> booked = commands.book(c, p.caller().studio(), p.caller().actor(), p.command(),
                            key);
                    return Future.all(booked, memberName)
                            .map(all -> Reply.created(Views.booking(booked.result(), memberName.result())));
                })
                .onComplete(p.answer());
    }
}
