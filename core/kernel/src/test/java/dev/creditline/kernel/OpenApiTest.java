package dev.creditline.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.http.WebRoutes;
import dev.creditline.kernel.testing.RouteTable;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.Contract;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /openapi.json} is a valid OpenAPI 3.0 document (checked against the specification's own schema by Vert.x's
 * OpenAPI library, which the tests also use to check every answer) and describes exactly the endpoints the server
 * mounts.
 */
class OpenApiTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    @Test
    void theDocumentIsAValidOpenApiDocument() throws Exception {
        assertValid(server.api());
    }

    @Test
    void theManagementListenersDocumentIsValidAndDescribesItsRoutes() throws Exception {
        assertValid(server.management());
        JsonNode doc = server.management().get("/openapi.json", null).expect(200).body();
        var router = server.component().managementRoutes().create(server.component().vertx());

        assertThat(RouteTable.documented(doc, operation -> true)).isEqualTo(RouteTable.mounted(router, path -> true));
    }

    private static void assertValid(dev.creditline.testkit.ApiClient api) throws Exception {
        JsonObject doc = Contract.validatable(Contract.here(new JsonObject(api.get("/openapi.json", null)
                .expect(200).raw()), api.base()));
        Vertx vertx = Vertx.vertx();
        try {
            List<String> problems = new ArrayList<>();
            try {
                OpenAPIContract.from(vertx, doc).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // The validator nests its findings: the innermost of each branch says what is wrong, and where.
                for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                    if (cause instanceof JsonSchemaValidationException invalid && invalid.getCause() == null) {
                        problems.add(invalid.location() + ": " + invalid.getMessage());
                    } else if (!(cause instanceof JsonSchemaValidationException)) {
                        problems.add(String.valueOf(cause.getMessage()));
                    }
                }
            }
            assertThat(problems).isEmpty();
        } finally {
            vertx.close();
        }
    }

    @Test
    void anAnswerTheDocumentDoesNotDescribeFailsTheTest() {
        Contract contract = Contract.read(server.api().base(), java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build());
        java.net.URI members = server.api().base().resolve("/v1/members?limit=1");
        java.net.http.HttpHeaders json = java.net.http.HttpHeaders.of(
                java.util.Map.of("Content-Type", List.of("application/json")), (name, value) -> true);

        contract.check("GET", members, 200, json, "{\"items\":[],\"next\":null}");
        assertThatThrownBy(() -> contract.check("GET", members, 200, json, "{\"items\":5,\"next\":null}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("listMembers");
        assertThatThrownBy(() -> contract.check("GET", members, 418, json, "{}"))
                .isInstanceOf(AssertionError.class);
        // A request body the server took although its schema refuses it: the two have drifted apart.
        java.net.URI create = server.api().base().resolve("/v1/members");
        contract.checkTaken("POST", create, 201, "{\"name\":\"Mia\"}");
        contract.checkTaken("POST", create, 422, "{\"name\":5}");
        assertThatThrownBy(() -> contract.checkTaken("POST", create, 201, "{\"name\":5}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("createMember").hasMessageContaining("name");
    }

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
