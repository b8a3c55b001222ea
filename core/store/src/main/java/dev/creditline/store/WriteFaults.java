package dev.creditline.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * A hook between the writes of a ledger transaction. Production binds {@link #NONE}; crash tests bind one that fails
 * or kills the connection at a chosen step, to prove a half-done transaction leaves nothing behind.
 */
@FunctionalInterface
public interface WriteFaults {
    /** Does nothing. */
    WriteFaults NONE = (step, connection) -> Future.succeededFuture();

    /**
     * Called after each write step of a transaction.
     *
     * @param step       the step just written, e.g. {@code "lots"}, {@code "booking"}, {@code "journal"}
     * @param connection the transaction's connection
     */
    Future<Void> after(String step, SqlConnection connection);
}
