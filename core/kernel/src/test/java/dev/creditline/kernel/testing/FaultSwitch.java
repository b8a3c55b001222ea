package dev.creditline.kernel.testing;

import dev.creditline.store.WriteFaults;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/** Write faults a test turns on for one step of a transaction, then off. */
public final class FaultSwitch implements WriteFaults {
    private final AtomicReference<BiFunction<String, SqlConnection, Future<Void>>> fault = new AtomicReference<>();

    /** Fails every transaction after the given step with an exception, until {@link #clear()}. */
    public void failAfter(String step) {
        fault.set((at, connection) -> at.equals(step)
                ? Future.failedFuture(new IllegalStateException("injected failure after " + step))
                : Future.succeededFuture());
    }

    /** Lets the step pass {@code passes} times, then fails it every time after, until {@link #clear()}. */
    public void failAfter(String step, int passes) {
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(passes);
        fault.set((at, connection) -> at.equals(step) && left.getAndDecrement() <= 0
                ? Future.failedFuture(new IllegalStateException("injected failure after " + step))
                : Future.succeededFuture());
    }

    /** Kills the transaction's own database connection after the given step (as if PostgreSQL dropped it). */
    public void killConnectionAfter(String step) {
        fault.set((at, connection) -> at.equals(step)
                ? connection.query("SELECT pg_terminate_backend(pg_backend_pid())").execute().mapEmpty()
                : Future.succeededFuture());
    }

    public void clear() {
        fault.set(null);
    }

    @Override
    public Future<Void> after(String step, SqlConnection connection) {
        var current = fault.get();
        return current == null ? Future.succeededFuture() : current.apply(step, connection);
    }
}
