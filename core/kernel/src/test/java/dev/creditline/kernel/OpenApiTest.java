package dev.creditline.kernel;

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

/** {@code /openapi.json} describes exactly the endpoints the server mounts. */
class OpenApiTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    @Test
    void everyKernelEndpointIsDocumentedAndNothingElse() {
        Router router = server.component().apiRouter().create(server.component().vertx(), 1024);
        Set<String> mounted = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
                continue;
            }
            for (HttpMethod method : route.methods()) {
                mounted.add(method.name() + " " + route.getPath().replaceAll(":(\\w+)", "{$1}"));
            }
        }

        JsonNode doc = server.api().get("/openapi.json", null).expect(200).body();
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> paths = doc.get("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            for (Iterator<String> methods = doc.get("paths").get(path).fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                JsonNode operation = doc.get("paths").get(path).get(method);
                // Paths a bundled plugin provides are checked with the plugins loaded (distribution tests).
                if (Set.of("get", "post", "put", "patch", "delete").contains(method) && !operation.has("x-plugin")) {
                    documented.add(method.toUpperCase() + " " + path);
                }
            }
        }

        assertThat(doc.get("openapi").asText()).startsWith("3.");
        assertThat(documented).isEqualTo(mounted);
    }
}
