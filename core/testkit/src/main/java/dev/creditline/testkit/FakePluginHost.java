package dev.creditline.testkit;

import dev.creditline.api.spi.Extensions;
import dev.creditline.api.spi.LedgerService;
import dev.creditline.api.spi.Notification;
import dev.creditline.api.spi.Notifications;
import dev.creditline.api.spi.PluginDatabase;
import dev.creditline.api.spi.PluginHost;
import dev.creditline.api.spi.PluginHttp;
import dev.creditline.api.spi.PluginSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link PluginHost} for a plugin's unit tests, without a kernel: settings and enablement per studio are what the
 * test puts in, the ledger is the test's own {@link StubLedger}, notifications are collected. What a unit test does
 * not need (HTTP, a database) fails when used.
 */
public final class FakePluginHost implements PluginHost {
    private final String pluginId;
    private final Map<String, JsonObject> settings = new HashMap<>();
    private JsonObject serverSettings = new JsonObject();
    private final List<Notification> notifications = new ArrayList<>();
    private final MeterRegistry metrics = new SimpleMeterRegistry();
    private LedgerService ledger = new StubLedger() {
    };
    private Clock clock = Clock.systemUTC();
    private Vertx vertx;

    public FakePluginHost(String pluginId) {
        this.pluginId = pluginId;
    }

    /** Enables the plugin for a studio with these settings. */
    public FakePluginHost enable(String studioId, JsonObject studioSettings) {
        settings.put(studioId, studioSettings.copy());
        return this;
    }

    /** The operator's settings of the plugin ({@code plugins.serverSettings.<id>}). */
    public FakePluginHost server(JsonObject operatorSettings) {
        this.serverSettings = operatorSettings.copy();
        return this;
    }

    public FakePluginHost ledger(LedgerService fake) {
        this.ledger = fake;
        return this;
    }

    public FakePluginHost clock(Clock fixed) {
        this.clock = fixed;
        return this;
    }

    /** The notifications plugins sent. */
    public List<Notification> sentNotifications() {
        return List.copyOf(notifications);
    }

    @Override
    public String pluginId() {
        return pluginId;
    }

    @Override
    public synchronized Vertx vertx() {
        if (vertx == null) {
            vertx = Vertx.vertx();
        }
        return vertx;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public MeterRegistry metrics() {
        return metrics;
    }

    @Override
    public PluginSettings settings() {
        return new PluginSettings() {
            @Override
            public boolean enabledFor(String studioId) {
                return settings.containsKey(studioId);
            }

            @Override
            public JsonObject forStudio(String studioId) {
                return settings.getOrDefault(studioId, new JsonObject()).copy();
            }

            @Override
            public JsonObject server() {
                return serverSettings.copy();
            }
        };
    }

    @Override
    public LedgerService ledger() {
        return ledger;
    }

    @Override
    public PluginHttp http() {
        throw new UnsupportedOperationException("unit tests have no HTTP: test routes through the kernel");
    }

    @Override
    public PluginDatabase database() {
        throw new UnsupportedOperationException("unit tests have no database: test storage through the kernel");
    }

    @Override
    public Extensions extensions() {
        return new Extensions() {
            @Override
            public <T> List<Contained<T>> forStudio(String studioId, Class<T> type) {
                return List.of();
            }
        };
    }

    @Override
    public Notifications notifications() {
        return notification -> {
            notifications.add(notification);
            return Future.succeededFuture(1);
        };
    }
}
