package dev.creditline.kernel;

import static dev.creditline.kernel.testing.RawHttp.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.testing.RawHttp;
import dev.creditline.kernel.testing.RawHttp.Answer;
import dev.creditline.kernel.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Idle and slow connections cannot use up the server: a connection that sends no request, or trickles its head or
 * body, is closed after its timeout; one client address holds at most its cap of connections (the next ones are
 * told 503 and closed) and the server its cap in all (the next ones are closed at once), while other clients are
 * served. Low caps and short timeouts here; each address of 127.0.0.0/8 is another client.
 */
class ConnectionLimitsTest {
    static final int PER_ADDRESS = 3;
    static final int IN_ALL = 8;
    static final Duration IDLE = Duration.ofMillis(1500);
    static final Duration HEADER = Duration.ofMillis(1000);
    static final Duration BODY = Duration.ofMillis(1000);

    @RegisterExtension
    static TestServer server = new TestServer(4, builder -> builder.connections(
            new Config.Connections(IDLE, HEADER, BODY, IN_ALL, PER_ADDRESS, false)));

    static int port() {
        return server.api().base().getPort();
    }

    /** The connections an earlier test closed are gone from the server too (it learns of a close a moment later). */
    @BeforeEach
    void quiet() throws InterruptedException {
        Thread.sleep(300);
    }

    @Test
    void connectionsOverTheAddressCapAreTold503AndClosedWhileOthersAreServed() {
        List<RawHttp> idle = new ArrayList<>();
        try {
            for (int i = 0; i < PER_ADDRESS; i++) {
                idle.add(RawHttp.connect("127.0.0.2", port()));
            }
            try (RawHttp extra = RawHttp.connect("127.0.0.2", port());
                 RawHttp other = RawHttp.connect("127.0.0.3", port())) {
                extra.send(request("GET /health"));
                Answer refused = extra.read();
                other.send(request("GET /health"));
                Answer served = other.read();

                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
                assertThat(refused.header("Retry-After")).isEqualTo("1");
                assertThat(refused.header("Connection")).isEqualTo("close");
                assertThat(refused.body()).contains("too_many_connections");
                assertThat(extra.readToEnd()).isEmpty();
                assertThat(served.status()).isEqualTo(200);
            }
            // The idle ones sent no request: closed at the header-read timeout.
            for (RawHttp connection : idle) {
                assertThat(connection.closedWithin(HEADER.plusSeconds(2))).isTrue();
            }
            try (RawHttp again = RawHttp.connect("127.0.0.2", port())) {
                again.send(request("GET /health"));
                assertThat(again.read().status()).isEqualTo(200);
            }
        } finally {
            idle.forEach(RawHttp::close);
        }
    }

    @Test
    void anOverAddressConnectionThatSendsNothingIsClosedSoon() {
        List<RawHttp> idle = new ArrayList<>();
        try {
            for (int i = 0; i < PER_ADDRESS; i++) {
                idle.add(RawHttp.connect("127.0.0.4", port()));
            }
            try (RawHttp extra = RawHttp.connect("127.0.0.4", port())) {
                long started = System.nanoTime();
                assertThat(extra.closedWithin(Duration.ofSeconds(3))).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(HEADER.plusMillis(500));
            }
        } finally {
            idle.forEach(RawHttp::close);
        }
    }

    @Test
    void overTheServersCapANewConnectionIsClosedAtOnce() throws InterruptedException {
        List<RawHttp> open = new ArrayList<>();
        try {
            // IN_ALL connections from addresses under their own cap, each answered once and kept alive.
            for (int i = 0; i < IN_ALL; i++) {
                RawHttp connection = RawHttp.connect("127.0.1." + (1 + i / PER_ADDRESS), port());
                open.add(connection);
                connection.send(request("GET /health"));
                assertThat(connection.read().status()).isEqualTo(200);
            }
            try (RawHttp extra = RawHttp.connect("127.0.2.1", port())) {
                assertThat(extra.closedWithin(Duration.ofMillis(500))).isTrue();
            }
            open.remove(0).close();
            // The server learns of the close a moment later.
            Thread.sleep(300);
            try (RawHttp next = RawHttp.connect("127.0.2.1", port())) {
                next.send(request("GET /health"));
                assertThat(next.read().status()).isEqualTo(200);
            }
        } finally {
            open.forEach(RawHttp::close);
        }
    }

    @Test
    void aKeptAliveConnectionIsClosedAfterTheIdleTimeout() {
        try (RawHttp connection = RawHttp.connect("127.0.0.5", port())) {
            connection.send(request("GET /health"));
            assertThat(connection.read().status()).isEqualTo(200);
            long answered = System.nanoTime();

            assertThat(connection.closedWithin(IDLE.plusSeconds(2))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - answered)).isGreaterThan(IDLE.minusMillis(300));
        }
    }

    @Test
    void aHeadTrickledByteByByteIsCutAtTheHeaderReadTimeout() throws InterruptedException {
        try (RawHttp connection = RawHttp.connect("127.0.0.6", port())) {
            long started = System.nanoTime();
            connection.send("GET /health HTTP/1.1\r\nHost: localhost\r\n");
            boolean closed = false;
            // A header line every 200 ms: never idle, never done.
            for (int i = 0; i < 30 && !closed; i++) {
                closed = connection.closedWithin(Duration.ofMillis(200)) || connection.sendFails("X-Slow: a\r\n");
            }
            Duration lasted = Duration.ofNanos(System.nanoTime() - started);

            assertThat(closed).isTrue();
            assertThat(lasted).isBetween(HEADER.minusMillis(200), HEADER.plusMillis(1500));
        }
    }

    @Test
    void aBodyTrickledByteByByteIs408AtTheBodyReadTimeout() {
        try (RawHttp connection = RawHttp.connect("127.0.0.7", port())) {
            connection.send(request("POST /v1/members", "Content-Type: application/json", "Content-Length: 100")
                    + "{\"name\":");
            long started = System.nanoTime();
            Answer answer = null;
            // A byte every 200 ms: never idle, never done.
            for (int i = 0; i < 30 && answer == null; i++) {
                if (connection.awaitData(Duration.ofMillis(200)) || !connection.trySend(" ")) {
                    answer = connection.read();
                }
            }
            Duration lasted = Duration.ofNanos(System.nanoTime() - started);

            assertThat(answer).isNotNull();
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(answer.body()).contains("request_timeout");
            assertThat(lasted).isBetween(BODY.minusMillis(200), BODY.plusMillis(1500));
            assertThat(connection.closedWithin(Duration.ofSeconds(2))).isTrue();
        }
    }
}
