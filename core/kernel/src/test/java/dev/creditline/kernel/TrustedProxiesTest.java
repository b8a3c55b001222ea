package dev.creditline.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.http.TrustedProxies;
import dev.creditline.kernel.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Behind a trusted reverse proxy, wrong keys are counted per client of the proxy (its {@code X-Forwarded-For}), so one
 * guesser does not lock out everybody else who comes through the same proxy.
 */
class TrustedProxiesTest {
    @RegisterExtension
    static TestServer server = new TestServer(4, config -> config.failedAuthPerClient(3)
            .trustedProxies(TrustedProxies.parse(List.of("127.0.0.0/8", "fd00::/8"))));

    private static int wrongKeyFrom(String forwardedFor) {
        return server.api().send("GET", "/v1/members", "clk_wrong_key", null,
                Map.of("X-Forwarded-For", forwardedFor)).status();
    }

    @Test
    void eachClientOfTheProxyHasItsOwnAllowance() {
        for (int i = 0; i < 3; i++) {
            assertThat(wrongKeyFrom("203.0.113.7")).isEqualTo(401);
        }

        assertThat(wrongKeyFrom("203.0.113.7")).as("the guesser").isEqualTo(429);
        assertThat(wrongKeyFrom("203.0.113.8")).as("another client of the proxy").isEqualTo(401);
        // A client's own X-Forwarded-For comes first; the proxy appends the address it saw: that one counts.
        assertThat(wrongKeyFrom("198.51.100.1, 203.0.113.7")).as("the guesser naming itself another address")
                .isEqualTo(429);
        // Proxies in a chain are skipped, as trusted ones.
        assertThat(wrongKeyFrom("203.0.113.7, 127.0.0.5")).isEqualTo(429);
    }
}
