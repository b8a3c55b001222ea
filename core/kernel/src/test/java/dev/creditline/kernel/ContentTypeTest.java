package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.testing.RouteTable;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every write the router mounts takes a body only as JSON: a form, text, XML, a problem document, JSON in another
 * charset or a body without a type is 415 naming application/json, before anything is read or written.
 */
class ContentTypeTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    static StudioFixture studio;

    /** Bodies a client may send by mistake (curl -d sends the form type). */
    static final List<String> NOT_JSON = List.of("text/plain", "application/x-www-form-urlencoded",
            "application/xml", "text/xml; charset=utf-8", "application/problem+json",
            "application/json; charset=iso-8859-1", "multipart/form-data; boundary=x", "");

    @BeforeAll
    static void studio() {
        studio = server.studio(false);
    }

    /** Every write endpoint of the router (a new one is covered by itself) with every type that is not JSON. */
    static Stream<Arguments> writesWithOtherTypes() {
        var router = server.component().apiRouter().create(server.component().vertx(), 1024);
        List<Arguments> out = new ArrayList<>();
        for (String line : RouteTable.mounted(router, path -> !path.startsWith("/webhooks/"))) {
            String method = line.substring(0, line.indexOf(' '));
            if (List.of("POST", "PUT", "PATCH", "DELETE").contains(method)) {
                String path = line.substring(line.indexOf(' ') + 1).replaceAll("\\{\\w+}", "x_unknown");
                NOT_JSON.forEach(type -> out.add(Arguments.of(method, path, type)));
            }
        }
        assertThat(out).as("write routes").hasSizeGreaterThan(NOT_JSON.size() * 30);
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} as ''{2}''")
    @MethodSource("writesWithOtherTypes")
    void aWriteWithABodyThatIsNotJsonIs415(String method, String path, String type) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.api().base().resolve(path))
                .header("Authorization", "Bearer " + studio.owner())
                .method(method, HttpRequest.BodyPublishers.ofString("{\"name\":\"Mia\"}"));
        if (!type.isEmpty()) {
            request.header("Content-Type", type);
        }
        HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(415);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
        assertThat(body.get("type").asText()).isEqualTo("https://creditline.dev/problems/unsupported_media_type");
        assertThat(body.get("detail").asText()).contains("application/json");
        assertThat(body.at("/errors/0/field").asText()).isEqualTo("Content-Type");
        assertThat(body.get("expected").asText()).isEqualTo("application/json");
    }

    @Test
    void nothingIsWrittenWhenTheTypeIsRefused() {
        int before = server.api().get("/v1/members", studio.owner()).expect(200).body().get("items").size();

        Response refused = server.api().send("POST", "/v1/members", studio.owner(), "name=Mia",
                Map.of("Content-Type", "application/x-www-form-urlencoded"));

        assertThat(refused.status()).isEqualTo(415);
        assertThat(server.api().get("/v1/members", studio.owner()).expect(200).body().get("items")).hasSize(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
            "Application/JSON; charset=\"utf-8\"", "application/merge-patch+json", "application/vnd.creditline+json"})
    void jsonInItsTypesIsTaken(String type) {
        Response created = server.api().send("POST", "/v1/members", studio.owner(), json("name", "Mia"),
                Map.of("Content-Type", type));

        assertThat(created.status()).isEqualTo(201);
    }

    @Test
    void aWriteWithoutABodyNeedsNoType() {
        String member = studio.member("Noah");
        String key = server.api().post("/v1/api-keys", studio.owner(), json("role", "coach")).expect(201)
                .text("/id");

        Response rolled = server.api().send("POST", "/v1/api-keys/" + key + "/roll", studio.owner(), null,
                Map.of());
        Response erased = server.api().send("DELETE", "/v1/members/" + member, studio.owner(), null,
                Map.of("Content-Type", "text/plain"));

        assertThat(rolled.status()).isEqualTo(200);
        assertThat(erased.status()).isEqualTo(200);
    }

    @Test
    void theTypeIsCheckedBeforeTheKey() {
        Response answer = server.api().send("POST", "/v1/members", null, "{}", Map.of("Content-Type", "text/plain"));

        assertThat(answer.status()).isEqualTo(415);
        assertThat(URI.create(answer.body().get("type").asText()).getPath()).endsWith("unsupported_media_type");
    }
}
