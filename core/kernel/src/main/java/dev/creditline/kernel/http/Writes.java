package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.api.spi.ApiProblem;
import dev.creditline.kernel.pipeline.WritePipeline;
import dev.creditline.store.IdempotencyRepository;
import dev.creditline.store.IdempotencyRepository.Claimed;
import dev.creditline.store.IdempotencyRepository.Mismatch;
import dev.creditline.store.IdempotencyRepository.Replay;
import dev.creditline.store.IdempotencyRepository.StoredResponse;
import dev.creditline.store.Rejection;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.util.function.Function;

/**
 * Runs a change in one database transaction and, when the request carries an {@code Idempotency-Key}, makes it
 * exactly-once: the key is claimed in the same transaction, so the change and its answer commit together. A retry with
 * the same key and request gets the first answer (marked {@code Idempotent-Replayed: true}); the same key with another
 * request gets 422. Refusals of the ledger (404, 409) are remembered too, so a retry is answered alike. For the
 * ledger's commands, which go through the write pipeline ({@code LedgerCommands}), it words their answers
 * ({@link #renderer}, {@link #reply}); this single path is for the API's other writes (members, catalogue,
 * subscriptions, plugins' routes).
 */
public final class Writes {
    /** The request header. */
    public static final String HEADER = "Idempotency-Key";

    /** The work of one change: its writes on the transaction's connection, and the answer. */
    @FunctionalInterface
    public interface Work {
        /**
         * @param connection     the transaction's connection
         * @param idempotencyKey the request's key (written into journal entries), or null
         */
        Future<Reply> apply(SqlConnection connection, String idempotencyKey);
    }

    private final Pool pool;
    private final IdempotencyRepository idempotency;

    @Inject
    public Writes(Pool pool, IdempotencyRepository idempotency) {
        this.pool = pool;
        this.idempotency = idempotency;
    }

    /**
     * Runs the work for the caller's studio.
     *
     * @param body the parsed request body (part of what makes a retry "the same request"), or null
     */
    public Future<Reply> run(RoutingContext ctx, JsonNode body, Work work) {
        String key = key(ctx);
        if (key == null) {
            return pool.withTransaction(c -> work.apply(c, null));
        }
        String studioId = Http.caller(ctx).studio().id();
        byte[] hash = Json.requestHash(ctx.request().method().name(), ctx.request().uri(), body);
        return pool.<Reply>withTransaction(c -> idempotency.claim(c, studioId, key, hash).compose(claim -> {
                    if (claim instanceof Claimed) {
                        return work.apply(c, key).compose(reply ->
                                idempotency.complete(c, studioId, key, reply.stored()).map(reply));
                    }
                    return answer(ctx, claim);
                }))
                .recover(failure -> {
                    if (!Rejection.isRefusal(failure)) {
                        return Future.failedFuture(failure);
                    }
                    Reply refusal = refusal(ctx, (RuntimeException) failure);
                    return pool.<IdempotencyRepository.Claim>withTransaction(c ->
                                    idempotency.remember(c, studioId, key, hash, refusal.stored()))
                            .compose(claim -> claim instanceof Replay replay
                                    && replay.response().equals(refusal.stored())
                                    ? Future.succeededFuture(refusal)
                                    : answer(ctx, claim));
                });
    }

    /**
     * A refusal (a {@link Rejection} or a client error of an extension) as remembered for its key: with the id of the
     * request it answered, so a replay is the first answer, whole.
     */
    static Reply refusal(RoutingContext ctx, RuntimeException failure) {
        Problem problem = failure instanceof Rejection rejection ? ErrorHandler.problem(rejection)
                : ErrorHandler.problem((ApiProblem) failure);
        String requestId = ctx.response().headers().get(RequestIds.HEADER);
        return new Reply(problem.status(), requestId == null ? problem.body()
                : problem.body().put("requestId", requestId));
    }

    /** What makes a retry with the key "the same request"; null without a key. */
    static byte[] hash(RoutingContext ctx, String key, ObjectNode body) {
        return key == null ? null : Json.requestHash(ctx.request().method().name(), ctx.request().uri(), body);
    }

    /**
     * A pipelined command's answer in the API's words: its view with the status, or the refusal as the error handler
     * words it (both stored for the key).
     */
    static <T> WritePipeline.Renderer<T> renderer(RoutingContext ctx, Function<ObjectNode, Reply> status,
                                                  Function<T, ObjectNode> view) {
        return new WritePipeline.Renderer<>() {
            @Override
            public StoredResponse done(T value) {
                return status.apply(view.apply(value)).stored();
            }

            @Override
            public StoredResponse refused(RuntimeException refusal) {
                return Writes.refusal(ctx, refusal).stored();
            }
        };
    }

    /** The reply to a pipelined command: its own answer, the replay of its key's, or the refusal of a reused key. */
    static Reply reply(RoutingContext ctx, WritePipeline.Answer answer) {
        if (answer instanceof WritePipeline.Answered answered) {
            if (answered.response() == null) {
                throw answered.refusal();
            }
            return Reply.of(answered.response());
        }
        if (answer instanceof WritePipeline.Replayed replayed) {
            return Writes.replayed(ctx, replayed.response());
        }
        throw Writes.keyReused();
    }

    /** The answer stored for a key, replayed. */
    static Reply replayed(RoutingContext ctx, IdempotencyRepository.StoredResponse response) {
        ctx.response().putHeader("Idempotent-Replayed", "true");
        return Reply.of(response);
    }

    /** The refusal of a key used before for another request. */
    static Problem keyReused() {
        return Problem.invalid(HEADER, "this Idempotency-Key was used for a different request; use a new key");
    }

    private static Future<Reply> answer(RoutingContext ctx, IdempotencyRepository.Claim claim) {
        if (claim instanceof Mismatch) {
            return Future.failedFuture(keyReused());
        }
        return Future.succeededFuture(replayed(ctx, ((Replay) claim).response()));
    }

    /** The request's Idempotency-Key, or null; a malformed one is refused. */
    static String key(RoutingContext ctx) {
        String key = ctx.request().getHeader(HEADER);
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f)) {
            throw Problem.malformed(HEADER, "Idempotency-Key must be 1 to 255 printable ASCII characters");
        }
        return key;
    }
}
