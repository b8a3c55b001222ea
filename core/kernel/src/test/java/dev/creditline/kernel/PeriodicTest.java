package dev.creditline.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.jobs.Periodic;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A job's passes: one at a time, and a pass asked for while one runs is a pass of its own after it. */
class PeriodicTest {

    @Test
    void aPassAskedForWhileOneRunsStartsWhenItEndsAndRunsItself() {
        List<Promise<Integer>> passes = new ArrayList<>();
        AtomicInteger started = new AtomicInteger();
        Periodic<Integer> periodic = new Periodic<>(() -> {
            started.incrementAndGet();
            Promise<Integer> pass = Promise.promise();
            passes.add(pass);
            return pass.future();
        });

        Future<Integer> first = periodic.run();
        Future<Integer> second = periodic.run();
        assertThat(started).as("the second waits for the first").hasValue(1);

        passes.get(0).complete(1);
        assertThat(first.result()).isEqualTo(1);
        assertThat(started).hasValue(2);
        assertThat(second.isComplete()).as("its own pass, not the first one's answer").isFalse();
        passes.get(1).complete(2);
        assertThat(second.result()).isEqualTo(2);
    }

    @Test
    void aFailedOrThrowingPassDoesNotStopTheNext() {
        AtomicInteger calls = new AtomicInteger();
        Periodic<Integer> periodic = new Periodic<>(() -> {
            int call = calls.incrementAndGet();
            if (call == 1) {
                throw new IllegalStateException("the database is down");
            }
            return call == 2 ? Future.failedFuture("still down") : Future.succeededFuture(call);
        });
        assertThat(periodic.run().cause()).hasMessage("the database is down");
        assertThat(periodic.run().failed()).isTrue();
        assertThat(periodic.run().result()).isEqualTo(3);
    }
}
