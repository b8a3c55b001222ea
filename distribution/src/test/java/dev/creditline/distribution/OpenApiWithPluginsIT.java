package dev.creditline.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.http.WebRoutes;
import dev.creditline.kernel.testing.RouteTable;
import dev.creditline.kernel.testing.TestServer;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With the bundled plugins loaded, {@code /openapi.json} documents every API path mounted: the kernel's and the ones
 * the plugins provide for the contract. A plugin's own routes (under {@code /v1/plugins/<id>/} and
 * {@code /webhooks/<id>}) are the plugin's to document, but for Stripe's webhooks, which API.md names.
 */
class OpenApiWithPluginsIT {
    @RegisterExtension
    static TestServer server = PluginServers.withPlugins();

    @Test
    void everyContractPathMountedIsDocumented() {
        var router = server.component().apiRouter().create(server.component().vertx(), 1024);
        Set<String> mounted = RouteTable.mounted(router,
                path -> !path.matches("/v1/plugins/[a-z0-9-]+/.*") && !WebRoutes.isPage(path)
                        && (!path.startsWith("/webhooks/") || path.startsWith("/webhooks/stripe")));
        JsonNode doc = server.api().get("/openapi.json", null).expect(200).body();

        assertThat(mounted).contains("POST /v1/vouchers", "POST /v1/trainers/{id}/offboard", "POST /webhooks/stripe",
                "POST /webhooks/stripe/{studioId}");
        assertThat(RouteTable.documented(doc, operation -> true)).isEqualTo(mounted);
    }
}
