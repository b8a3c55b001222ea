package dev.creditline.plugins.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.api.spi.Extensions;
import dev.creditline.api.spi.LedgerService;
import dev.creditline.api.spi.Notification;
import dev.creditline.api.spi.Notifications;
import dev.creditline.api.spi.PluginDatabase;
import dev.creditline.api.spi.PluginHost;
import dev.creditline.api.spi.PluginHttp;
import dev.creditline.api.spi.PluginSetting;
import dev.creditline.api.spi.PluginSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The check before each send: settings stored while the host was allowed (or read from elsewhere) that now name a
 * loopback address or another port fail the send without a connection. A listener on the loopback counts the
 * connections it gets and closes each at once, so a send that does connect fails quickly too.
 */
class EmailNotifierTest {
    private Vertx vertx;
    private ServerSocket listener;
    private final AtomicInteger connections = new AtomicInteger();
    private Thread acceptor;

    @BeforeEach
    void listen() throws Exception {
        vertx = Vertx.vertx();
        listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Socket socket = listener.accept()) {
                    connections.incrementAndGet();
                } catch (Exception closed) {
                    return;
                }
            }
        }, "smtp-listener");
        acceptor.start();
    }

    @AfterEach
    void close() throws Exception {
        listener.close();
        acceptor.join();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private Throwable send(JsonObject server) throws Exception {
        JsonObject studio = new JsonObject().put("host", "127.0.0.1").put("port", listener.getLocalPort())
                .put("from", "desk@example.com").put("starttls", "disabled");
        EmailNotifier notifier = new EmailNotifier(host(studio, server));
        Future<Void> sent = notifier.send(new Notification("std_1", "mem_1", "expiry_warning", "Credits expire",
                "Your credits expire soon.", new JsonObject().put("email", "mia@example.com"), "warning-1"));
        try {
            sent.await(20, TimeUnit.SECONDS);
            return null;
        } catch (Exception failed) {
            return failed;
        }
    }

    @Test
    void aLoopbackHostIsNotConnectedTo() throws Exception {
        Throwable failed = send(new JsonObject().put("allowedPorts", new JsonArray().add(listener.getLocalPort())));

        assertThat(failed).hasMessageContaining("refused").hasMessageContaining("must be a public SMTP server");
        assertThat(connections).hasValue(0);
    }

    @Test
    void aPortTheOperatorDidNotAllowIsNotConnectedTo() throws Exception {
        Throwable failed = send(new JsonObject().put("allowPrivateHosts", true));

        assertThat(failed).hasMessageContaining("refused").hasMessageContaining("port must be one of");
        assertThat(connections).hasValue(0);
    }

    @Test
    void whatTheOperatorAllowsIsConnectedTo() throws Exception {
        Throwable failed = send(new JsonObject().put("allowPrivateHosts", true)
                .put("allowedPorts", new JsonArray().add(listener.getLocalPort())));

        assertThat(failed).as("the listener closes the connection").isNotNull()
                .hasMessageNotContaining("refused");
        assertThat(connections).hasValue(1);
    }

    private PluginHost host(JsonObject studio, JsonObject server) {
        PluginSettings settings = new PluginSettings() {
            @Override
            public boolean enabledFor(String studioId) {
                return true;
            }

            @Override
            public JsonObject forStudio(String studioId) {
                return PluginSetting.withDefaults(SmtpSettings.SETTINGS, studio);
            }

            @Override
            public JsonObject server() {
                return PluginSetting.withDefaults(SmtpSettings.SERVER, server);
            }
        };
        return new PluginHost() {
            @Override
            public String pluginId() {
                return "email";
            }

            @Override
            public Vertx vertx() {
                return vertx;
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }

            @Override
            public MeterRegistry metrics() {
                return null;
            }

            @Override
            public PluginSettings settings() {
                return settings;
            }

            @Override
            public LedgerService ledger() {
                return null;
            }

            @Override
            public PluginHttp http() {
                return null;
            }

            @Override
            public PluginDatabase database() {
                return null;
            }

            @Override
            public Extensions extensions() {
                return null;
            }

            @Override
            public Notifications notifications() {
                return null;
            }
        };
    }
}
