package dev.creditline.kernel.boot;

import dev.creditline.kernel.boot.ConnectionCount.Admission;
import dev.creditline.kernel.http.FieldError;
import dev.creditline.kernel.http.Http;
import dev.creditline.kernel.http.Problem;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One event loop's guard of its HTTP connections, before the router: the caps of {@link ConnectionCount}, the
 * header-read and body-read timeouts (Vert.x has an idle timeout only, which a client trickling a byte at a time
 * never trips), and message framing a second request could hide in (RFC 9112 §6.1, §6.3). What it refuses is
 * answered with problem+json and the connection closed, so nothing after it on the connection is read as a request.
 *
 * <p>All of it runs on the event loop's thread: a connection's handlers, its requests and its timers alike.
 */
final class HttpEdge {
    /** How long a connection over its address's cap has to send its request and be told why it is refused. */
    static final Duration REFUSAL_GRACE = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final Config.Connections settings;
    private final ConnectionCount count;
    private final Map<HttpConnection, Connection> open = new HashMap<>();

    HttpEdge(Vertx vertx, Config.Connections settings, ConnectionCount count) {
        this.vertx = vertx;
        this.settings = settings;
        this.count = count;
    }

    /** A new connection: counted, or refused; its request head is awaited for the header-read timeout. */
    void connected(HttpConnection connection) {
        String address = connection.remoteAddress() == null || connection.remoteAddress().hostAddress() == null
                ? "unknown" : connection.remoteAddress().hostAddress();
        Admission admission = count.open(address);
        if (admission == Admission.OVER_TOTAL_CAP) {
            // At its cap the server is near its file descriptor budget: the refusal must cost nothing more.
            connection.close();
            return;
        }
        Connection state = new Connection(connection, admission);
        open.put(connection, state);
        connection.closeHandler(closed -> {
            state.disarm();
            open.remove(connection);
            count.closed(address, admission);
        });
        state.arm(admission == Admission.OVER_ADDRESS_CAP ? REFUSAL_GRACE : settings.headerReadTimeout());
    }

    /** A request whose head has arrived: refused here, or handed to the router with its body awaited. */
    void request(HttpServerRequest request, Handler<HttpServerRequest> router) {
        Connection state = open.get(request.connection());
        if (state == null) {
            router.handle(request);
            return;
        }
        state.disarm();
        if (state.poisoned) {
            request.connection().close();
            return;
        }
        if (state.admission == Admission.OVER_ADDRESS_CAP) {
            state.poisoned = true;
            Http.refuse(request, new Problem(503, "too_many_connections", "Service unavailable",
                    "this client address has " + settings.maxConnectionsPerAddress() + " connections open, as many"
                            + " as the server takes from one address; reuse one (keep-alive) or close some",
                    List.of(), null));
            return;
        }
        String codings = String.join(",", request.headers().getAll("Transfer-Encoding"));
        if (!codings.isEmpty() && !codings.trim().equalsIgnoreCase("chunked")) {
            // Netty reads no body for a coding it does not know, and would read the body as the next request.
            state.poisoned = true;
            Http.refuse(request, framing("Transfer-Encoding '" + printable(codings)
                    + "' is not supported: the server takes chunked only"));
            return;
        }
        state.inFlight++;
        if (!request.isEnded() && hasBody(request)) {
            long timer = vertx.setTimer(settings.bodyReadTimeout().toMillis(), fired -> {
                if (!request.isEnded()) {
                    state.poisoned = true;
                    Http.refuse(request, new Problem(408, "request_timeout", "Request timeout",
                            "the request's body did not arrive within " + settings.bodyReadTimeout().toSeconds()
                                    + " seconds of its head", List.of(), null));
                }
            });
            request.end().onComplete(ended -> vertx.cancelTimer(timer));
        }
        router.handle(request);
    }

    /** The router's first handler: when the answer is done, the connection awaits its next request's head. */
    Handler<RoutingContext> answered() {
        return ctx -> {
            Connection state = open.get(ctx.request().connection());
            if (state != null) {
                ctx.addEndHandler(done -> {
                    if (--state.inFlight == 0) {
                        state.arm(settings.idleTimeout().plus(settings.headerReadTimeout()));
                    }
                });
            }
            ctx.next();
        };
    }

    /** A request Netty could not decode: problem+json instead of Vert.x's empty answer, then the connection closes. */
    void invalid(HttpServerRequest request) {
        Connection state = open.get(request.connection());
        if (state != null) {
            state.disarm();
            if (state.poisoned) {
                request.connection().close();
                return;
            }
            state.poisoned = true;
        }
        Throwable cause = request.decoderResult().cause();
        Problem problem;
        if (cause instanceof TooLongHttpLineException) {
            problem = new Problem(414, "uri_too_long", "URI too long", "the request line is longer than the "
                    + HttpVerticle.MAX_INITIAL_LINE + " bytes the server reads", List.of(), null);
        } else if (cause instanceof TooLongHttpHeaderException) {
            problem = new Problem(431, "headers_too_large", "Request header fields too large",
                    "the request's headers are larger than the " + HttpVerticle.MAX_HEADER_SIZE
                            + " bytes the server reads", List.of(), null);
        } else if (cause != null && String.valueOf(cause.getMessage()).contains("Transfer-Encoding")
                || cause != null && String.valueOf(cause.getMessage()).contains("chunked")) {
            problem = framing("Transfer-Encoding and Content-Length together are refused (RFC 9112 §6.3): "
                    + printable(cause.getMessage()));
        } else {
            problem = Problem.malformed("the request's head is not valid HTTP/1.1"
                    + (cause == null || cause.getMessage() == null ? "" : ": " + printable(cause.getMessage())));
        }
        Http.refuse(request, problem);
    }

    private static Problem framing(String detail) {
        return new Problem(400, "malformed_request", "Malformed request", detail,
                List.of(new FieldError("Transfer-Encoding", detail)), null);
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        return request.getHeader("Transfer-Encoding") != null || length != null && !length.trim().equals("0");
    }

    /** A client's text fit to repeat: printable ASCII, at most 120 characters. */
    private static String printable(String text) {
        String shown = text == null ? "" : text.replaceAll("[^\\x20-\\x7e]", "?");
        return shown.length() > 120 ? shown.substring(0, 120) + "..." : shown;
    }

    /** What the edge knows of one connection. */
    private final class Connection {
        private final HttpConnection connection;
        private final Admission admission;
        /** Requests routed and not answered yet (more than one only over HTTP/2). */
        private int inFlight;
        /** Refused: anything more on it is not served. */
        private boolean poisoned;
        private long timer = -1;

        Connection(HttpConnection connection, Admission admission) {
            this.connection = connection;
            this.admission = admission;
        }

        /** Closes the connection unless a request's head arrives within the time. */
        void arm(Duration timeout) {
            disarm();
            timer = vertx.setTimer(Math.max(1, timeout.toMillis()), fired -> {
                timer = -1;
                if (inFlight == 0) {
                    connection.close();
                }
            });
        }

        void disarm() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }
}
