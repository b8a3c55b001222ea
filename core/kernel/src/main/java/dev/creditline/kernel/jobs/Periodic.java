package dev.creditline.kernel.jobs;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A job's pass on a timer of the server's clock, one pass at a time: a tick (or a call) that comes while the previous
 * pass still runs is skipped, so a slow pass never piles up behind itself.
 *
 * @param <T> what a pass answers
 */
public final class Periodic<T> {
    private final Supplier<Future<T>> pass;
    private final T skipped;
    private final AtomicBoolean running = new AtomicBoolean();
    private Vertx vertx;
    private long timer = -1;

    /**
     * @param skipped the answer of a pass skipped because one is running
     * @param pass    the pass
     */
    public Periodic(T skipped, Supplier<Future<T>> pass) {
        this.skipped = skipped;
        this.pass = pass;
    }

    /** Runs the pass after {@code delayMillis} and then every {@code intervalMillis}. */
    public void start(Vertx vertx, long delayMillis, long intervalMillis) {
        this.vertx = vertx;
        timer = vertx.setPeriodic(delayMillis, intervalMillis, id -> run());
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /** One pass now, unless one is running. */
    public Future<T> run() {
        if (!running.compareAndSet(false, true)) {
            return Future.succeededFuture(skipped);
        }
        Future<T> done;
        try {
            done = pass.get();
        } catch (RuntimeException e) {
            done = Future.failedFuture(e);
        }
        return done.onComplete(finished -> running.set(false));
    }
}
