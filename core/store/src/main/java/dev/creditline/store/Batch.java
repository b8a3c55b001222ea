package dev.creditline.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;

/**
 * Requests of one kind, of any studios, carried out in one transaction, each decided as if it ran alone in arrival
 * order. A refusal is its request's answer and writes nothing; any other failure fails the whole batch, and the
 * caller's rollback leaves the ledger as it was.
 *
 * @param <C> a request
 * @param <T> what a request that is carried out answers
 */
public interface Batch<C extends Batch.Command, T> {

    /** What every request of a batch carries: its call (studio with the request's own time, actor, key). */
    interface Command {
        CallContext call();

        default StudioContext studio() {
            return call().studio();
        }

        default Actor actor() {
            return call().actor();
        }

        /** The request's key (written into journal entries), or null. */
        default String idempotencyKey() {
            return call().idempotencyKey();
        }

        /**
         * Whether the request goes in a batch of its own: its work waits on something outside the database (a payment
         * provider), which the other requests of a batch should not wait for.
         */
        default boolean alone() {
            return false;
        }
    }

    /** What became of a request. */
    sealed interface Result<T> permits Done, Refused, Deferred {
    }

    /** Carried out. */
    record Done<T>(T value) implements Result<T> {
    }

    /** Refused: the request's answer, nothing written for it. */
    record Refused<T>(RuntimeException refusal) implements Result<T> {
    }

    /** Not decided in this batch: it goes in the next one (what it depends on must be seen committed first). */
    record Deferred<T>() implements Result<T> {
    }

    /** The most requests this batch takes at once (the pipeline's own bound applies too). */
    default int maxRequests() {
        return Integer.MAX_VALUE;
    }

    /**
     * Carries out the requests in order on the transaction's connection; the results are in the same order.
     *
     * @param locked called once the batch's rows are locked and read (for the lock-wait metric)
     */
    Future<List<Result<T>>> run(SqlConnection c, List<C> requests, Runnable locked);
}
