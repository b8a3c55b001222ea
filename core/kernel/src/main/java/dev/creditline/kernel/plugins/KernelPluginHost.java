package dev.creditline.kernel.plugins;

import dev.creditline.api.spi.CreditlinePlugin;
import dev.creditline.kernel.boot.Config;
import dev.creditline.api.spi.Extensions;
import dev.creditline.api.spi.LedgerService;
import dev.creditline.api.spi.Notification;
import dev.creditline.api.spi.Notifications;
import dev.creditline.api.spi.Notifier;
import dev.creditline.api.spi.PluginDatabase;
import dev.creditline.api.spi.PluginHost;
import dev.creditline.api.spi.PluginSetting;
import dev.creditline.api.spi.PluginSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import dev.creditline.store.citus.MultiShard;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The kernel's services for one plugin. */
public final class KernelPluginHost implements PluginHost {

    /** Makes each plugin's host from the kernel's singletons. */
    @Singleton
    public static final class Factory {
        private final Vertx vertx;
        private final Clock clock;
        private final MeterRegistry metrics;
        private final Pool pool;
        private final PluginEnablement enablement;
        private final KernelLedgerService ledger;
        private final KernelPluginHttp.Factory http;
        private final Provider<PluginRuntime> runtime;
        private final Config config;

        @Inject
        public Factory(Vertx vertx, Clock clock, MeterRegistry metrics, Pool pool, PluginEnablement enablement,
                       KernelLedgerService ledger, KernelPluginHttp.Factory http, Provider<PluginRuntime> runtime,
                       Config config) {
            this.config = config;
            this.vertx = vertx;
            this.clock = clock;
            this.metrics = metrics;
            this.pool = pool;
            this.enablement = enablement;
            this.ledger = ledger;
            this.http = http;
            this.runtime = runtime;
        }

        KernelPluginHost create(String pluginId, CreditlinePlugin plugin) {
            return new KernelPluginHost(pluginId, plugin, this);
        }
    }

    private final String pluginId;
    private final CreditlinePlugin plugin;
    private final Factory kernel;
    private final KernelPluginHttp http;
    private final PluginDatabase database;
    private final LedgerService ledger;

    private KernelPluginHost(String pluginId, CreditlinePlugin plugin, Factory kernel) {
        this.pluginId = pluginId;
        this.plugin = plugin;
        this.kernel = kernel;
        this.ledger = kernel.ledger.scopedTo(studioId -> kernel.enablement.enabled(studioId, pluginId));
        this.http = kernel.http.create(pluginId);
        String schema = "plugin_" + pluginId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        this.database = new PluginDatabase() {
            @Override
            public Pool pool() {
                return kernel.pool;
            }

            @Override
            public String schema() {
                return schema;
            }

            @Override
            public Future<RowSet<Row>> acrossStudios(String sql, Tuple arguments) {
                return MultiShard.query(kernel.pool, sql, arguments);
            }
        };
    }

    private volatile List<PluginSetting> studioSettings = List.of();
    private volatile List<PluginSetting> serverSettings = List.of();

    /** The plugin's declared settings, read once at its start (a bad declaration fails it there). */
    void declare(List<PluginSetting> studio, List<PluginSetting> server) {
        PluginSetting.check(studio, new JsonObject(), false);
        PluginSetting.check(server, new JsonObject(), false);
        this.studioSettings = List.copyOf(studio);
        this.serverSettings = List.copyOf(server);
    }

    /** The settings a studio may give the plugin. */
    public List<PluginSetting> studioSettings() {
        return studioSettings;
    }

    /** The plugin this host serves. */
    CreditlinePlugin plugin() {
        return plugin;
    }

    @Override
    public String pluginId() {
        return pluginId;
    }

    @Override
    public Vertx vertx() {
        return kernel.vertx;
    }

    @Override
    public Clock clock() {
        return kernel.clock;
    }

    @Override
    public MeterRegistry metrics() {
        return kernel.metrics;
    }

    @Override
    public PluginSettings settings() {
        return new PluginSettings() {
            @Override
            public boolean enabledFor(String studioId) {
                return kernel.enablement.enabled(studioId, pluginId);
            }

            @Override
            public JsonObject forStudio(String studioId) {
                return PluginSetting.withDefaults(studioSettings, kernel.enablement.settings(studioId, pluginId));
            }

            @Override
            public JsonObject server() {
                return PluginSetting.withDefaults(serverSettings,
                        kernel.config.plugins().serverSettings().getOrDefault(pluginId, new JsonObject()));
            }
        };
    }

    @Override
    public LedgerService ledger() {
        return ledger;
    }

    @Override
    public KernelPluginHttp http() {
        return http;
    }

    @Override
    public PluginDatabase database() {
        return database;
    }

    @Override
    public Extensions extensions() {
        return new Extensions() {
            @Override
            public <T> List<Contained<T>> forStudio(String studioId, Class<T> type) {
                return kernel.runtime.get().forStudio(studioId, type);
            }
        };
    }

    @Override
    public Notifications notifications() {
        return notification -> send(kernel.runtime.get(), notification);
    }

    private static Future<Integer> send(PluginRuntime runtime, Notification notification) {
        List<Future<Void>> sent = new ArrayList<>();
        for (Extensions.Contained<Notifier> notifier : runtime.forStudio(notification.studioId(), Notifier.class)) {
            sent.add(notifier.call("send", n -> n.send(notification)));
        }
        return Future.all(sent).map(done -> sent.size());
    }
}
