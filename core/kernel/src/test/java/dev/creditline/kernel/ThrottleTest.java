package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Wrong API keys and admin tokens are counted per client address: past the allowance the client is refused for a
 * minute (429 with Retry-After), doubling with each further wrong one; a key the server knows keeps working.
 */
class ThrottleTest {
    @RegisterExtension
    static TestServer server = new TestServer(4, config -> config.failedAuthPerClient(3));

    @Test
    void aClientSendingWrongKeysIsThrottledWhileAKnownKeyKeepsWorking() {
        StudioFixture studio = server.studio(false);
        String member = studio.member("Mia");
        for (int i = 0; i < 3; i++) {
            Response wrong = server.api().get("/v1/members", "clk_wrong_" + i);
            assertThat(wrong.status()).isEqualTo(401);
        }

        Response refused = server.api().get("/v1/members", "clk_wrong_again");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(refused.header("Retry-After")).isEqualTo("60");
        assertThat(refused.text("/type")).endsWith("too_many_attempts");
        assertThat(refused.number("/retryAfter")).isEqualTo(60);
        // Without trusted proxies configured, X-Forwarded-For is the client's own word: it changes nothing.
        assertThat(server.api().send("GET", "/v1/members", "clk_wrong_again", null,
                java.util.Map.of("X-Forwarded-For", "198.51.100.1")).status()).isEqualTo(429);
        // The owner's key, which the server knows, is not locked out with the guesser.
        assertThat(studio.api().get("/v1/members/" + member, studio.owner()).status()).isEqualTo(200);
        // Nor may the guesser try admin tokens meanwhile.
        assertThat(server.api().post("/admin/studios", "cla_guess", json("name", "x", "timezone", "UTC",
                "currency", "EUR")).status()).isEqualTo(429);

        // A minute later one more try is answered (401), and the next lock is twice as long.
        server.clock().advance(Duration.ofSeconds(61));
        assertThat(server.api().get("/v1/members", "clk_wrong_later").status()).isEqualTo(401);
        Response longer = server.api().get("/v1/members", "clk_wrong_later");
        assertThat(longer.status()).isEqualTo(429);
        assertThat(longer.header("Retry-After")).isEqualTo("120");
    }
}
