package dev.creditline.distribution;

import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient;
import dev.creditline.testkit.ApiClient.Response;
import dev.creditline.testkit.FakeStripe;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Test servers that load the plugin jars of this build (and the test plugin) from a directory, as PF4J does. */
final class PluginServers {
    /** The directory the build copied the plugin jars to. */
    static final Path PLUGINS = Path.of(System.getProperty("creditline.it.plugins", "target/it-plugins"));

    private PluginServers() {
    }

    /** A server with every plugin; an extension call may take 800 ms. */
    static TestServer withPlugins() {
        return withPlugins(Map.of());
    }

    /** A server with every plugin and the operator's settings of some (plugin id → settings). */
    static TestServer withPlugins(Map<String, JsonObject> serverSettings) {
        return new TestServer(8, builder -> builder.plugins(new Config.Plugins(List.of(PLUGINS), null, Map.of(),
                Duration.ofMillis(800), serverSettings)));
    }

    /** The operator's settings that send the stripe plugin's calls to a local Stripe. */
    static Map<String, JsonObject> stripeAt(FakeStripe stripe) {
        return Map.of("stripe", new JsonObject().put("apiBase", stripe.apiBase()));
    }

    /** Enables a plugin for the studio with the given settings. */
    static Response enable(StudioFixture studio, String pluginId, Object settings) {
        return studio.api().send("PUT", "/v1/plugins/" + pluginId, studio.owner(),
                ApiClient.json("enabled", true, "settings", settings == null ? Map.of() : settings), Map.of())
                .expect(200);
    }
}
