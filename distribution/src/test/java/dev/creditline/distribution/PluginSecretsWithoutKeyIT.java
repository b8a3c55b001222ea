package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A server without a secrets key stores no secret: an owner who sends one is told why, and what else they set is kept. */
class PluginSecretsWithoutKeyIT {
    @RegisterExtension
    static TestServer server = new TestServer(8, builder -> builder.secretsKey(null).plugins(new Config.Plugins(
            List.of(PluginServers.PLUGINS), null, Map.of(), Duration.ofSeconds(2))));

    @Test
    void aNewSecretIsRefusedNamingItsSettingAndTheKey() {
        StudioFixture studio = server.studio(true);

        Response refused = studio.api().send("PUT", "/v1/plugins/stripe", studio.owner(), json("enabled", true,
                "settings", Map.of("secretKey", StripeIT.SECRET_KEY, "webhookSecret", StripeIT.WEBHOOK_SECRET)),
                Map.of());
        Response noSecret = studio.api().send("PUT", "/v1/plugins/email", studio.owner(), json("enabled", true,
                "settings", Map.of("host", "smtp.example.com", "from", "desk@example.com")), Map.of());

        assertThat(refused.status()).as(refused.raw()).isEqualTo(409);
        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(refused.text("/type")).endsWith("/secrets_key_missing");
        assertThat(refused.body().get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("settings.secretKey", "settings.webhookSecret");
        assertThat(refused.text("/detail")).contains("CREDITLINE_SECRETS_KEY");
        assertThat(server.probe().number("SELECT count(*) FROM plugin_settings WHERE studio_id = ?"
                + " AND plugin_id = 'stripe'", studio.id())).isZero();
        assertThat(noSecret.status()).as(noSecret.raw()).isEqualTo(200);
    }
}
