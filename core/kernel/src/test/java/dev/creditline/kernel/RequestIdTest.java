package dev.creditline.kernel;

import static dev.creditline.kernel.testing.RawHttp.request;
import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.creditline.kernel.testing.RawHttp;
import dev.creditline.kernel.testing.RawHttp.Answer;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Every answer carries a {@code Request-Id} (the client's, when sane), problems repeat it as {@code requestId}, and
 * the server's log lines for the request carry it, also after the request's asynchronous steps.
 */
class RequestIdTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    static StudioFixture studio;
    static int port;

    @BeforeAll
    static void studio() {
        studio = server.studio(false);
        port = server.api().base().getPort();
    }

    @Test
    void everyAnswerHasOne() {
        List<Response> answers = List.of(server.api().get("/health", null),
                server.api().get("/v1/members", studio.owner()),
                server.api().get("/v1/nothing-here", studio.owner()),
                server.api().get("/v1/members", null),
                server.api().send("PUT", "/health", null, null, Map.of()),
                server.api().send("POST", "/v1/members", studio.owner(), "x", Map.of("Content-Type", "text/plain")),
                server.api().get("/dashboard/index.html", null));

        assertThat(answers).allSatisfy(answer -> assertThat(answer.header("Request-Id")).matches("[0-9a-f]{16}"));
        assertThat(answers.stream().map(a -> a.header("Request-Id")).distinct()).hasSize(answers.size());
        assertThat(answers).filteredOn(a -> a.status() >= 400).allSatisfy(problem ->
                assertThat(problem.text("/requestId")).isEqualTo(problem.header("Request-Id")));
    }

    @Test
    void answersTheServerGivesBeforeTheRouterHaveOneToo() {
        try (RawHttp http = RawHttp.connect(port)) {
            http.send(request("GET /health", "X-Request-Id: edge-1", "X-Big: " + "b".repeat(20_000)));
            Answer tooLarge = http.read();

            assertThat(tooLarge.status()).isEqualTo(431);
            assertThat(tooLarge.header("Request-Id")).matches("[0-9a-f]{16}");
            assertThat(tooLarge.body()).contains("\"requestId\":\"" + tooLarge.header("Request-Id") + "\"");
        }
    }

    @Test
    void anIdOutsideAsciiIsReplaced() {
        try (RawHttp http = RawHttp.connect(port)) {
            http.send(request("GET /health", "X-Request-Id: \u00e9t\u00e9"));

            assertThat(http.read().header("Request-Id")).matches("[0-9a-f]{16}");
        }
    }

    @Test
    void eachRequestOfAConnectionHasItsOwn() {
        try (RawHttp http = RawHttp.connect(port)) {
            http.send(request("GET /health") + request("GET /health"));
            String first = http.read().header("Request-Id");
            String second = http.read().header("Request-Id");

            assertThat(first).isNotEqualTo(second);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"X-Request-Id", "Request-Id"})
    void aSaneIdOfTheClientIsKept(String header) {
        Response answer = server.api().send("GET", "/v1/nothing-here", studio.owner(), null,
                Map.of(header, "client-4f2a:7"));

        assertThat(answer.header("Request-Id")).isEqualTo("client-4f2a:7");
        assertThat(answer.text("/requestId")).isEqualTo("client-4f2a:7");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"has space", "", "x12345678901234567890123456789012345678901234567890123456789012345"})
    void anyOtherIsReplaced(String given) {
        Response answer = server.api().send("GET", "/health", null, null, Map.of("X-Request-Id", given));

        assertThat(answer.header("Request-Id")).matches("[0-9a-f]{16}");
    }

    @Test
    void theLogLinesOfARequestCarryItsId() throws Exception {
        String member = studio.member("Mia");
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        // The server's own pattern, so that the test reads what an operator reads.
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(logging);
        encoder.setPattern(productionPattern());
        encoder.start();
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(logging);
        appender.setEncoder(encoder);
        appender.setOutputStream(lines);
        appender.start();
        Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        server.faults().failAfter("journal");
        try {
            Response failed = server.api().send("POST", "/v1/members/" + member + "/credits/adjust", studio.owner(),
                    json("account", "master", "mode", "add", "amount", 1, "reason", "trial"),
                    Map.of("X-Request-Id", "trace-me-42"));

            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.text("/requestId")).isEqualTo("trace-me-42");
        } finally {
            server.faults().clear();
            root.detachAppender(appender);
            appender.stop();
        }
        // The failure is logged after the transaction's queries, on their callbacks.
        String log = lines.toString(StandardCharsets.UTF_8);
        assertThat(log.lines().filter(line -> line.contains("Unexpected failure of POST")))
                .isNotEmpty().allSatisfy(line -> assertThat(line).contains("[trace-me-42]"));
        Response later = server.api().get("/health", null);
        assertThat(later.header("Request-Id")).isNotEqualTo("trace-me-42");
    }

    private static String productionPattern() throws Exception {
        try (InputStream in = RequestIdTest.class.getResourceAsStream("/logback.xml")) {
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String pattern = xml.substring(xml.indexOf("<pattern>") + 9, xml.indexOf("</pattern>"));
            assertThat(pattern).contains("%requestId");
            return pattern;
        }
    }
}
