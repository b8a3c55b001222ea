package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A plugin that is present but not in {@code plugins.start} is not started, and no studio can enable it. */
class PluginStartListIT {
    @RegisterExtension
    static TestServer server = new TestServer(8, builder -> builder.plugins(new Config.Plugins(
            List.of(PluginServers.PLUGINS), Set.of("vouchers"), Map.of(), Duration.ofSeconds(2))));

    @Test
    void onlyTheListedPluginsStart() {
        StudioFixture studio = server.studio(true);

        var plugins = studio.api().get("/v1/plugins", studio.owner()).expect(200).body().get("items");

        assertThat(plugins).extracting(p -> p.get("id").asText() + ":" + p.get("state").asText()).containsExactly(
                "automations:not_started", "email:not_started", "first-visit-policy:not_started",
                "refund-policy:not_started", "reporting:not_started", "stripe:not_started", "test-fixtures:not_started", "trainer-bound:not_started",
                "vouchers:started");
        assertThat(studio.api().send("PUT", "/v1/plugins/trainer-bound", studio.owner(), json("enabled", true),
                Map.of()).status()).isEqualTo(409);
        assertThat(studio.api().post("/v1/trainers/trn_x/offboard", studio.owner(), json("action", "refund"))
                .status()).as("its routes do not exist").isEqualTo(404);
        PluginServers.enable(studio, "vouchers", null);
        assertThat(studio.api().post("/v1/vouchers", studio.owner(), json("type", "percent", "value", 5)).status())
                .isEqualTo(201);
    }
}
