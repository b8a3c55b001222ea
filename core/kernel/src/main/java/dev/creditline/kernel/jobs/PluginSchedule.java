package dev.creditline.kernel.jobs;

import dev.creditline.api.spi.ScheduledWork;
import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.plugins.PluginRuntime;
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
 * Runs the plugins' {@link ScheduledWork} (automations, say) for the studios that enabled them: as often as the expiry
 * sweep ({@code ledger.expirySweepInterval}) on the server's clock, and when a test-mode studio's clock moves, after
 * the kernel's own due work. A plugin that fails is logged and tried again at the next run; it never fails a clock
 * move or another plugin's work.
 */
@Singleton
public final class PluginSchedule implements DueWork {
    private static final Logger LOG = LoggerFactory.getLogger(PluginSchedule.class);
    private static final Duration TIME_LIMIT = Duration.ofMinutes(2);

    private final Vertx vertx;
    private final Pool pool;
    private final PluginRuntime plugins;
    private final Clock clock;
    private final Duration interval;
    private final Periodic<Void> periodic = new Periodic<>(this::pass);

    @Inject
    public PluginSchedule(Vertx vertx, Pool pool, PluginRuntime plugins, Clock clock, Config config) {
        this.vertx = vertx;
        this.pool = pool;
        this.plugins = plugins;
        this.clock = clock;
        this.interval = config.expirySweepInterval();
    }

    /** Last: the plugins see the ledger after its own due work (renewals, expiry, warnings). */
    @Override
    public int stage() {
        return 40;
    }

    public void start() {
        periodic.start(vertx, Math.min(3_000, interval.toMillis()), interval.toMillis());
    }

    public void stop() {
        periodic.stop();
    }

    /** One periodic run over the studios on the server's clock. */
    public Future<Void> runOnce() {
        return periodic.run();
    }

    private Future<Void> pass() {
        return DueWork.forLiveStudios(pool, clock, this)
                .onFailure(e -> LOG.warn("Plugins' scheduled work failed: {}", e.toString()));
    }

    @Override
    public Future<Void> runDue(String studioId, Instant now) {
        Future<Void> done = Future.succeededFuture();
        for (var work : plugins.forStudio(studioId, ScheduledWork.class)) {
            done = done.compose(ok -> work.<Void>call("runDue", TIME_LIMIT, w -> w.runDue(studioId, now))
                    .recover(failure -> {
                        LOG.warn("Scheduled work of plugin {} for studio {} failed; it runs again later: {}",
                                work.pluginId(), studioId, failure.toString());
                        return Future.succeededFuture();
                    }));
        }
        return done;
    }
}
