package dev.creditline.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With the bundled plugins loaded, {@code /openapi.json} documents every API path mounted: the kernel's and the ones
 * the plugins provide for the contract. A plugin's own routes (under {@code /v1/plugins/<id>/} and
 * {@code /webhooks/<id>}) are the plugin's to document.
 */
class OpenApiWithPluginsIT {
    @RegisterExtension
    static TestServer server = PluginServers.withPlugins();

    @Test
    void everyContractPathMountedIsDocumented() {
        Router router = server.component().apiRouter().create(server.component().vertx(), 1024);
        Set<String> mounted = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
                continue;
            }
            String path = route.getPath().replaceAll(":(\\w+)", "{$1}");
            if (path.matches("/v1/plugins/[a-z0-9-]+/.*") || path.startsWith("/webhooks/")) {
                continue;
            }
            for (HttpMethod method : route.methods()) {
                mounted.add(method.name() + " " + path);
            }
        }
        JsonNode doc = server.api().get("/openapi.json", null).expect(200).body();
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> paths = doc.get("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            for (Iterator<String> methods = doc.get("paths").get(path).fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                if (Set.of("get", "post", "put", "patch", "delete").contains(method)) {
                    documented.add(method.toUpperCase() + " " + path);
                }
            }
        }

        assertThat(mounted).contains("POST /v1/vouchers", "POST /v1/trainers/{id}/offboard");
        assertThat(documented).isEqualTo(mounted);
    }
}
