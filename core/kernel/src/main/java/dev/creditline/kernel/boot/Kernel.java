package dev.creditline.kernel.boot;

import dev.creditline.kernel.http.AdminToken;
import dev.creditline.kernel.http.ApiRouter;
import dev.creditline.kernel.http.Json;
import dev.creditline.kernel.http.ManagementRoutes;
import dev.creditline.kernel.jobs.ExpiryJob;
import dev.creditline.kernel.jobs.OutboxDispatcher;
import dev.creditline.kernel.jobs.LedgerMetrics;
import dev.creditline.kernel.jobs.PluginSchedule;
import dev.creditline.kernel.jobs.RenewalJob;
import dev.creditline.kernel.jobs.WarningJob;
import dev.creditline.kernel.jobs.StatisticsJob;
import dev.creditline.kernel.plugins.ContainedCalls;
import dev.creditline.kernel.plugins.PluginEnablement;
import dev.creditline.kernel.plugins.PluginRuntime;
import java.time.Duration;
import dev.creditline.store.Ids;
import dev.creditline.store.OpaqueIds;
import dev.creditline.store.StudioRepository;
import dev.creditline.store.citus.Distribution;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** The running server: admin token, HTTP event loops and the expiry sweep. */
@Singleton
public final class Kernel {
    static final String ADMIN_TOKEN_SETTING = "admin_token_sha256";
    static final String OPAQUE_IDS_SETTING = "opaque_ids_key";

    private final Vertx vertx;
    private final Pool pool;
    private final Config config;
    private final ApiRouter router;
    private final ExpiryJob expiry;
    private final StudioRepository studios;
    private final AdminToken adminToken;
    private final PluginRuntime plugins;
    private final PluginEnablement enablement;
    private final OutboxDispatcher outbox;
    private final ContainedCalls calls;
    private final StatisticsJob statistics;
    private final RenewalJob renewals;
    private final LedgerMetrics metrics;
    private final WarningJob warnings;
    private final PluginSchedule schedule;
    private final ConnectionCount connections;
    private final ManagementRoutes management;
    private final ServerMetrics serverMetrics;
    private final Distribution distribution;
    private final AtomicInteger port = new AtomicInteger();
    private final AtomicInteger managementPort = new AtomicInteger();
    private String generatedAdminToken;

    @Inject
    public Kernel(Vertx vertx, Pool pool, Config config, ApiRouter router, ExpiryJob expiry,
                  StudioRepository studios, AdminToken adminToken, PluginRuntime plugins,
                  PluginEnablement enablement, OutboxDispatcher outbox, ContainedCalls calls,
                  StatisticsJob statistics, RenewalJob renewals, LedgerMetrics metrics, WarningJob warnings,
                  PluginSchedule schedule, ConnectionCount connections, ManagementRoutes management,
                  ServerMetrics serverMetrics, Distribution distribution) {
        this.vertx = vertx;
        this.pool = pool;
        this.config = config;
        this.router = router;
        this.expiry = expiry;
        this.studios = studios;
        this.adminToken = adminToken;
        this.plugins = plugins;
        this.enablement = enablement;
        this.outbox = outbox;
        this.calls = calls;
        this.statistics = statistics;
        this.renewals = renewals;
        this.metrics = metrics;
        this.warnings = warnings;
        this.schedule = schedule;
        this.connections = connections;
        this.management = management;
        this.serverMetrics = serverMetrics;
        this.distribution = distribution;
    }

    /**
     * Starts serving; completes with the bound HTTP port. The database must be migrated already. Plugins are loaded
     * first (their routes and extensions must exist before the first request).
     */
    public Future<Integer> start() {
        return distribution.detect(pool)
                .compose(done -> adminToken())
                .compose(done -> opaqueIdsKey())
                .compose(done -> vertx.executeBlocking(() -> {
                    plugins.load();
                    return null;
                }))
                .compose(done -> enablement.reload())
                .compose(done -> enablement.encryptStored(this::secretsOf))
                .compose(done -> deployHttp())
                .compose(bound -> vertx.deployVerticle(() -> new ManagementVerticle(management, config,
                        managementPort), new DeploymentOptions()).map(id -> bound))
                .onSuccess(bound -> {
                    expiry.start();
                    outbox.start();
                    statistics.start();
                    renewals.start();
                    metrics.start();
                    warnings.start();
                    schedule.start();
                    enablement.startRefreshing(vertx, Duration.ofSeconds(5));
                });
    }

    /** A started plugin's secret settings, or null when it does not run (its rows are left as they are). */
    private java.util.Set<String> secretsOf(String pluginId) {
        var host = plugins.host(pluginId);
        return host == null ? null : dev.creditline.api.spi.PluginSetting.secrets(host.studioSettings());
    }

    /** Uses the configured admin token, or the stored one, or generates, stores (hashed) and returns a new one. */
    private Future<Void> adminToken() {
        if (config.adminToken() != null) {
            adminToken.set(Json.sha256(config.adminToken()));
            return Future.succeededFuture();
        }
        String candidate = Ids.secret("cla_");
        String candidateHash = HexFormat.of().formatHex(Json.sha256(candidate));
        return studios.putSettingIfAbsent(pool, ADMIN_TOKEN_SETTING, candidateHash)
                .compose(stored -> {
                    if (stored) {
                        generatedAdminToken = candidate;
                    }
                    return studios.setting(pool, ADMIN_TOKEN_SETTING);
                })
                .map(hash -> {
                    adminToken.set(HexFormat.of().parseHex(hash));
                    return null;
                });
    }

    /** The key of opaque entry ids and cursors: one per database, so that every node shows the same ids. */
    private Future<Void> opaqueIdsKey() {
        return studios.putSettingIfAbsent(pool, OPAQUE_IDS_SETTING, HexFormat.of().formatHex(OpaqueIds.newKey()))
                .compose(stored -> studios.setting(pool, OPAQUE_IDS_SETTING))
                .map(hex -> {
                    OpaqueIds.use(HexFormat.of().parseHex(hex));
                    return null;
                });
    }

    private Future<Integer> deployHttp() {
        if (config.httpPort() == 0 && config.httpInstances() > 1) {
            // Bind one instance first so that the others share its port.
            return vertx.deployVerticle(() -> new HttpVerticle(router, config, connections, port),
                            new DeploymentOptions())
                    .compose(id -> vertx.deployVerticle(() -> new HttpVerticle(router, config, connections, port),
                            new DeploymentOptions().setInstances(config.httpInstances() - 1)))
                    .map(id -> port.get());
        }
        return vertx.deployVerticle(() -> new HttpVerticle(router, config, connections, port),
                        new DeploymentOptions().setInstances(config.httpInstances()))
                .map(id -> port.get());
    }

    /** The admin token generated at this start (print it once), or null when it was configured or stored before. */
    public String generatedAdminToken() {
        return generatedAdminToken;
    }

    /** The HTTP port, once started. */
    public int port() {
        return port.get();
    }

    /** The management listener's port, once started. */
    public int managementPort() {
        return managementPort.get();
    }

    /**
     * Stops serving and closes the database pool and Vert.x. Vert.x is closed from outside its event loops: a future
     * bound to a loop that is shutting down would never report completion.
     */
    public CompletableFuture<Void> stop() {
        expiry.stop();
        outbox.stop();
        statistics.stop();
        renewals.stop();
        metrics.stop();
        warnings.stop();
        schedule.stop();
        enablement.stopRefreshing(vertx);
        plugins.stop();
        calls.close();
        return pool.close().toCompletionStage().toCompletableFuture()
                .handle((closed, failure) -> (Void) null)
                .thenComposeAsync(closed -> vertx.close().toCompletionStage())
                .whenComplete((closed, failure) -> serverMetrics.close());
    }
}
