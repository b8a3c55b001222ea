package dev.creditline.kernel.jobs;

import dev.creditline.kernel.boot.Config;
import dev.creditline.store.ExpirySweep;
import dev.creditline.store.HoldSweep;
import dev.creditline.store.IdempotencyRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts the holds of bookings whose cancellation window closed, then expires lots past their expiry (held credits
 * post or are released before they can expire): periodically for every studio (safe on several nodes at once), and on
 * demand for a test-mode studio whose clock moved. Also forgets idempotency keys past their retention.
 */
@Singleton
public final class ExpiryJob implements DueWork {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiryJob.class);
    private static final int BATCH = 500;
    /** One periodic run stops after this long and continues at the next tick. */
    private static final Duration RUN_BUDGET = Duration.ofSeconds(20);

    private final Vertx vertx;
    private final Pool pool;
    private final ExpirySweep sweep;
    private final HoldSweep holds;
    private final IdempotencyRepository idempotency;
    private final Clock clock;
    private final Config config;
    private final Periodic<Integer> periodic = new Periodic<>(this::pass);

    private final Timer sweeps;

    @Inject
    public ExpiryJob(Vertx vertx, Pool pool, ExpirySweep sweep, HoldSweep holds, IdempotencyRepository idempotency,
                     Clock clock, Config config, MeterRegistry metrics) {
        this.sweeps = Timer.builder("creditline_expiry_sweep").description("Periodic expiry sweeps, end to end")
                .register(metrics);
        this.vertx = vertx;
        this.pool = pool;
        this.sweep = sweep;
        this.holds = holds;
        this.idempotency = idempotency;
        this.clock = clock;
        this.config = config;
    }

    /** Starts the periodic sweep. */
    public void start() {
        periodic.start(vertx, 1_000, config.expirySweepInterval().toMillis());
    }

    public void stop() {
        periodic.stop();
    }

    /** One run now, after the one going on (if any). */
    public Future<Integer> runOnce() {
        return periodic.run();
    }

    private Future<Integer> pass() {
        Instant now = clock.instant();
        Instant deadline = now.plus(RUN_BUDGET);
        Timer.Sample sample = Timer.start();
        return holdBatches(now, deadline)
                .compose(posted -> batches(now, deadline, 0))
                .onComplete(done -> sample.stop(sweeps))
                .compose(expired -> idempotency.purgeBefore(pool, now.minus(config.idempotencyRetention()))
                        .map(purged -> expired))
                .onFailure(e -> LOG.warn("Expiry sweep failed; it runs again at the next tick: {}", e.toString()));
    }

    private Future<Void> holdBatches(Instant now, Instant deadline) {
        return holds.sweepBatch(pool, now, BATCH).compose(posted -> posted == 0 || clock.instant().isAfter(deadline)
                ? Future.succeededFuture() : holdBatches(now, deadline));
    }

    private Future<Integer> batches(Instant now, Instant deadline, int sofar) {
        return sweep.sweepBatch(pool, now, BATCH).compose(members -> {
            if (members == 0 || clock.instant().isAfter(deadline)) {
                return Future.succeededFuture(sofar + members);
            }
            return batches(now, deadline, sofar + members);
        });
    }

    @Override
    public int stage() {
        return 20;
    }

    @Override
    public Future<Void> runDue(String studioId, Instant now) {
        return holds.sweepStudio(pool, studioId, now, BATCH)
                .compose(posted -> sweep.sweepStudio(pool, studioId, now, BATCH)).mapEmpty();
    }
}
