package dev.creditline.kernel;

import static dev.creditline.kernel.testing.RawHttp.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.creditline.kernel.testing.RawHttp;
import dev.creditline.kernel.testing.RawHttp.Answer;
import dev.creditline.kernel.testing.RouteTable;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP/1.1 as the wire carries it: message framing that could smuggle a second request (RFC 9112 §6.1, §6.3) is
 * refused and the connection closed; 405 says what the path allows; HEAD answers as GET does, without a body; a
 * request line or headers too large or malformed get problem+json; no h2c upgrade unless configured.
 */
class HttpFramingTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    static StudioFixture studio;
    static int port;

    /** A request that must never run: it would be the smuggled second request. */
    static final String SMUGGLED = request("GET /v1/nothing-here-smuggled");

    @BeforeAll
    static void studio() {
        studio = server.studio(false);
        port = server.api().base().getPort();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Transfer-Encoding: xchunked", "Transfer-Encoding: chunked, identity",
            "Transfer-Encoding: gzip, chunked", "Transfer-Encoding: identity"})
    void anUnknownTransferCodingIs400AndTheConnectionCloses(String codings) {
        String body = "5\r\nhello\r\n0\r\n\r\n";
        try (RawHttp http = RawHttp.connect(port)) {
            http.send(request("POST /v1/members", "Authorization: Bearer " + studio.owner(),
                    "Content-Type: application/json", codings) + body + SMUGGLED);

            assertRefusedAndClosed(http.read(), http);
        }
    }

    @Test
    void transferEncodingWithContentLengthIs400AndTheConnectionCloses() {
        String chunked = "0\r\n\r\n";
        try (RawHttp http = RawHttp.connect(port)) {
            // Read by Content-Length, the body holds the second request; read as chunked, it follows the body.
            http.send(request("POST /v1/members", "Authorization: Bearer " + studio.owner(),
                    "Content-Type: application/json", "Content-Length: " + (chunked.length() + SMUGGLED.length()),
                    "Transfer-Encoding: chunked") + chunked + SMUGGLED);

            assertRefusedAndClosed(http.read(), http);
        }
    }

    private static void assertRefusedAndClosed(Answer answer, RawHttp http) {
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.body()).contains("Transfer-Encoding");
        assertThat(answer.header("Connection")).isEqualTo("close");
        // Nothing else: the bytes after the first message are not read as a request.
        assertThat(http.readToEnd()).isEmpty();
    }

    @Test
    void aChunkedBodyStillWorks() {
        String body = "{\"name\":\"Chunk\"}";
        try (RawHttp http = RawHttp.connect(port)) {
            http.send(request("POST /v1/members", "Authorization: Bearer " + studio.owner(),
                    "Content-Type: application/json", "Transfer-Encoding: chunked")
                    + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n");

            assertThat(http.read().status()).isEqualTo(201);
        }
    }

    @Test
    void methodNotAllowedSaysWhichMethodsThePathTakes() {
        try (RawHttp http = RawHttp.connect(port)) {
            http.send(request("DELETE /health"));
            Answer health = http.read();
            http.send(request("PUT /v1/members", "Authorization: Bearer " + studio.owner()));
            Answer members = http.read();
            http.send(request("PUT /v1/members/mem_x", "Authorization: Bearer " + studio.owner()));
            Answer member = http.read();

            assertThat(health.status()).isEqualTo(405);
            assertThat(health.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(health.header("Allow")).isEqualTo("GET, HEAD");
            assertThat(members.status()).isEqualTo(405);
            assertThat(members.header("Allow")).isEqualTo("GET, HEAD, POST");
            assertThat(member.header("Allow")).isEqualTo("GET, HEAD, PATCH, DELETE");
        }
    }

    /** Every GET endpoint the router mounts, its path parameters filled with an id that names nothing. */
    static Stream<String> getRoutes() {
        var router = server.component().apiRouter().create(server.component().vertx(), 1024);
        return RouteTable.mounted(router, path -> !path.endsWith("*")).stream()
                .filter(line -> line.startsWith("GET "))
                .map(line -> line.substring(4).replaceAll("\\{\\w+}", "x_unknown"));
    }

    @ParameterizedTest(name = "HEAD {0}")
    @MethodSource("getRoutes")
    void headAnswersAsGetDoesWithoutABody(String path) {
        try (RawHttp http = RawHttp.connect(port)) {
            String auth = "Authorization: Bearer " + studio.owner();
            http.send(request("GET " + path, auth) + request("HEAD " + path, auth) + request("GET /health"));
            Answer get = http.read();
            Answer head = http.readHead();
            // Had the HEAD answer carried a body, this would not read as the next answer.
            Answer next = http.read();

            assertThat(head.status()).as("HEAD %s", path).isEqualTo(get.status()).isNotEqualTo(405);
            assertThat(head.header("Content-Type")).isEqualTo(get.header("Content-Type"));
            assertThat(next.statusLine()).startsWith("HTTP/1.1 ");
            assertThat(next.status()).isEqualTo(200);
        }
    }

    @Test
    void headOfThePagesStillWorks() {
        try (RawHttp http = RawHttp.connect(port)) {
            http.send(request("HEAD /dashboard/index.html") + request("GET /health"));
            Answer head = http.readHead();

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Type")).isEqualTo("text/html;charset=UTF-8");
            assertThat(http.read().status()).isEqualTo(200);
        }
    }

    @Test
    void anUnknownMethodIs405WithTheMethodsOfThePathOr404() {
        try (RawHttp http = RawHttp.connect(port)) {
            http.send(request("BREW /health"));
            Answer known = http.read();
            http.send(request("BREW /no-such-path"));
            Answer unknown = http.read();

            assertThat(known.status()).isEqualTo(405);
            assertThat(known.header("Allow")).isEqualTo("GET, HEAD");
            assertThat(known.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.header("Content-Type")).isEqualTo("application/problem+json");
        }
    }

    @Test
    void aTooLongRequestLineIs414ProblemJson() throws Exception {
        try (RawHttp http = RawHttp.connect(port)) {
            http.send(request("GET /v1/members?q=" + "a".repeat(10_000)));
            Answer answer = http.read();

            assertThat(answer.status()).isEqualTo(414);
            assertProblem(answer, "uri_too_long");
        }
    }

    @Test
    void tooLargeHeadersAre431ProblemJson() throws Exception {
        try (RawHttp http = RawHttp.connect(port)) {
            http.send(request("GET /health", "X-Big: " + "b".repeat(20_000)));
            Answer answer = http.read();

            assertThat(answer.status()).isEqualTo(431);
            assertProblem(answer, "headers_too_large");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"X-Bad: a\u0001b", "Bad Name: x", "X-Bad: a\u007fb", "Content-Length: 12abc",
            "Content-Length: -1"})
    void aMalformedHeaderIs400ProblemJson(String header) throws Exception {
        try (RawHttp http = RawHttp.connect(port)) {
            http.send(request("GET /health", header));
            Answer answer = http.read();

            assertThat(answer.status()).isEqualTo(400);
            assertProblem(answer, "malformed_request");
        }
    }

    private static void assertProblem(Answer answer, String type) throws Exception {
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        var body = new ObjectMapper().readTree(answer.body());
        assertThat(body.get("type").asText()).isEqualTo("https://creditline.dev/problems/" + type);
        assertThat(body.get("status").asInt()).isEqualTo(answer.status());
        assertThat(body.get("detail").asText()).isNotBlank();
    }

    @Test
    void noH2cUpgradeByDefault() {
        try (RawHttp http = RawHttp.connect(port)) {
            http.send(request("GET /health", "Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c",
                    "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA"));
            Answer answer = http.read();

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("Upgrade")).isNull();
        }
        try (RawHttp http = RawHttp.connect(port)) {
            // HTTP/2 with prior knowledge: the connection preface is not taken either.
            http.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
            String answer = http.readToEnd();

            // Vert.x's HTTP/1 answer to a version it does not speak (an empty 501, then it closes), not HTTP/2
            // frames: nothing a client of HTTP/2 reads, so no problem+json either.
            assertThat(answer).startsWith("HTTP/2.0 501 ").doesNotContain("\u0000");
        }
    }

    @Test
    void anIdleConnectionStaysOpenWithinTheIdleTimeout() {
        try (RawHttp http = RawHttp.connect(port)) {
            http.send(request("GET /health"));
            assertThat(http.read().status()).isEqualTo(200);
            assertThat(http.closedWithin(Duration.ofMillis(500))).isFalse();
        }
    }
}
