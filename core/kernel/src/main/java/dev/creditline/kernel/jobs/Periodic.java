package dev.creditline.kernel.jobs;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * A job's pass on a timer of the server's clock, one pass at a time: a tick that comes while a pass still runs is
 * skipped, so a slow pass never piles up behind itself; a pass asked for with {@link #run} starts when the running
 * one ends, so it sees everything that was due when it was asked for.
 *
 * @param <T> what a pass answers
 */
public final class Periodic<T> {
    private final Supplier<Future<T>> pass;
    private Vertx vertx;
    private long timer = -1;
    /** The latest pass started, until it ends; null while none runs. */
    private Future<T> latest;

    public Periodic(Supplier<Future<T>> pass) {
        this.pass = pass;
    }

    /** Runs the pass after {@code delayMillis} and then every {@code intervalMillis}. */
    public synchronized void start(Vertx vertx, long delayMillis, long intervalMillis) {
        this.vertx = vertx;
        timer = vertx.setPeriodic(delayMillis, intervalMillis, id -> tick());
    }

    public synchronized void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /** A pass of its own, once the running one (if any) has ended. */
    public synchronized Future<T> run() {
        return begin(latest == null ? Future.succeededFuture() : latest);
    }

    private synchronized void tick() {
        if (latest == null) {
            begin(Future.succeededFuture());
        }
    }

    private synchronized Future<T> begin(Future<?> after) {
        Future<T> next = after.transform(previous -> {
            try {
                return pass.get();
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
        });
        latest = next;
        next.onComplete(done -> ended(next));
        return next;
    }

    private synchronized void ended(Future<T> pass) {
        if (latest == pass) {
            latest = null;
        }
    }
}
