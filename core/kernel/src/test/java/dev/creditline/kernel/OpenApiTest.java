package dev.creditline.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.http.WebRoutes;
import dev.creditline.kernel.testing.RouteTable;
import dev.creditline.kernel.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /openapi.json} describes exactly the endpoints the server mounts. */
class OpenApiTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    @Test
    void everyKernelEndpointIsDocumentedAndNothingElse() {
        var router = server.component().apiRouter().create(server.component().vertx(), 1024);
        JsonNode doc = server.api().get("/openapi.json", null).expect(200).body();

        assertThat(doc.get("openapi").asText()).startsWith("3.");
        // Paths a bundled plugin provides are checked with the plugins loaded (distribution tests). The dashboard's and
        // portal's static pages are not API (the document says so in its description).
        assertThat(RouteTable.documented(doc, operation -> !operation.has("x-plugin")))
                .isEqualTo(RouteTable.mounted(router, path -> !WebRoutes.isPage(path)));
    }

    @Test
    void everyWriteDocumentsThe415OfABodyThatIsNotJson() {
        JsonNode doc = server.api().get("/openapi.json", null).expect(200).body();
        java.util.List<String> writes = new java.util.ArrayList<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (java.util.Set.of("post", "put", "patch", "delete").contains(op.getKey())
                    && !path.getKey().startsWith("/webhooks/")) {
                writes.add(op.getKey() + " " + path.getKey());
                assertThat(op.getValue().at("/responses/415/$ref").asText()).as(op.getKey() + " " + path.getKey())
                        .isEqualTo("#/components/responses/UnsupportedMediaType");
            }
        }));

        assertThat(writes).hasSizeGreaterThan(30);
        assertThat(doc.at("/components/responses/Unauthorized/headers/WWW-Authenticate").isMissingNode()).isFalse();
        assertThat(doc.at("/components/schemas/Problem/properties/requestId").isMissingNode()).isFalse();
    }
}
