package dev.creditline.kernel;

import static dev.creditline.kernel.testing.RawHttp.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.testing.RawHttp;
import dev.creditline.kernel.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code http.h2c: true} offers HTTP/2 over cleartext (off by default: {@link HttpFramingTest}). */
class H2cTest {
    @RegisterExtension
    static TestServer server = new TestServer(4, builder -> builder.connections(new Config.Connections(
            Config.Connections.defaults().idleTimeout(), Config.Connections.defaults().headerReadTimeout(),
            Config.Connections.defaults().bodyReadTimeout(), 100, 10, true)));

    @Test
    void anUpgradeToH2cIsTaken() {
        try (RawHttp connection = RawHttp.connect(server.api().base().getPort())) {
            connection.send(request("GET /health", "Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c",
                    "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA"));

            assertThat(connection.read().status()).isEqualTo(101);
        }
    }
}
