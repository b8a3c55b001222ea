package dev.creditline.kernel.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.context.storage.ContextLocal;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The id of each request: the client's {@code X-Request-Id} or {@code Request-Id} when it is sane (1 to 64 visible
 * ASCII characters), else a new one; answered as {@code Request-Id} and written in every log line of the request.
 *
 * <p>Vert.x serves each request on a context of its own (a duplicate of the event loop's), and the callbacks of
 * what the request starts (queries, timers, blocking work) run on it again; so the id is kept as context-local data
 * rather than in SLF4J's thread-bound MDC, and the log pattern reads it through {@link RequestIdConverter}.
 * Vert.x takes context-local keys only before its first instance is built: it loads this class as a service
 * provider ({@code META-INF/services}) while building one.
 */
public final class RequestIds implements VertxServiceProvider {
    /** The answer's header. */
    public static final String HEADER = "Request-Id";

    private static final ContextLocal<String> ID = ContextLocal.registerLocal(String.class);
    private static final int MAX_LENGTH = 64;

    /** For {@link java.util.ServiceLoader}. */
    public RequestIds() {
    }

    @Override
    public void init(VertxBootstrap builder) {
        // Loading the class registered the key.
    }

    /**
     * Gives the request its id (on the current context and as the answer's header), unless it has one already;
     * returns it.
     */
    public static String assign(HttpServerRequest request) {
        // The answer's header marks a request that has its id (the edge may give it one before the router).
        String id = request.response().headers().get(HEADER);
        if (id == null) {
            id = sane(request.getHeader("X-Request-Id"));
            if (id == null) {
                id = sane(request.getHeader(HEADER));
            }
            if (id == null) {
                id = generate();
            }
            request.response().headers().set(HEADER, id);
        }
        Context context = Vertx.currentContext();
        if (context != null) {
            ID.put(context, id);
        }
        return id;
    }

    /** The id of the request being served on this thread, or null outside any request. */
    public static String current() {
        Context context = Vertx.currentContext();
        return context == null ? null : ID.get(context);
    }

    static String sane(String given) {
        if (given == null || given.isEmpty() || given.length() > MAX_LENGTH) {
            return null;
        }
        for (int i = 0; i < given.length(); i++) {
            char c = given.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return null;
            }
        }
        return given;
    }

    /** 16 hex digits: unique enough to find one request's lines among a day's. */
    private static String generate() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
