package dev.creditline.kernel.boot;

import dev.creditline.kernel.http.ApiRouter;
import io.netty.handler.codec.http.HttpObjectDecoder;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One event loop serving the API; the kernel deploys as many as configured, sharing the port. */
final class HttpVerticle extends VerticleBase {
    static final int MAX_INITIAL_LINE = 8192;
    static final int MAX_HEADER_SIZE = 16 * 1024;

    static {
        // RFC 9112 §6.3: Netty drops a Content-Length sent with Transfer-Encoding and reads the body as chunked; a
        // proxy in front that framed it by the length would see another request in it. Netty's RFC 9112 mode
        // refuses such a message instead. Read when Netty's HTTP decoder is first loaded: set before any server.
        if (System.getProperty(HttpObjectDecoder.PROP_RFC9112_TRANSFER_ENCODING) == null) {
            System.setProperty(HttpObjectDecoder.PROP_RFC9112_TRANSFER_ENCODING, "true");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

    private final ApiRouter router;
    private final Config config;
    private final ConnectionCount connections;
    private final AtomicInteger actualPort;

    HttpVerticle(ApiRouter router, Config config, ConnectionCount connections, AtomicInteger actualPort) {
        this.router = router;
        this.config = config;
        this.connections = connections;
        this.actualPort = actualPort;
    }

    @Override
    public Future<?> start() {
        if (!HttpObjectDecoder.RFC9112_TRANSFER_ENCODING) {
            LOG.warn("Netty's HTTP decoder was loaded before the server: requests with both Transfer-Encoding and"
                    + " Content-Length are read as chunked instead of refused; start the JVM with -D{}=true",
                    HttpObjectDecoder.PROP_RFC9112_TRANSFER_ENCODING);
        }
        Config.Connections settings = config.connections();
        int port = actualPort.get() > 0 ? actualPort.get() : config.httpPort();
        HttpServerOptions options = new HttpServerOptions()
                .setPort(port)
                .setHost(config.httpHost())
                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(MAX_HEADER_SIZE)
                .setCompressionSupported(true)
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, settings.idleTimeout().toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setHttp2ClearTextEnabled(settings.h2c());
        HttpEdge edge = new HttpEdge(vertx, settings, connections);
        Router routes = router.create(vertx, config.bodyLimit());
        routes.route().order(-1).handler(edge.answered());
        return vertx.createHttpServer(options)
                .connectionHandler(edge::connected)
                .invalidRequestHandler(edge::invalid)
                .requestHandler(request -> edge.request(request, routes))
                .listen()
                .recover(failure -> Future.failedFuture(Listening.refusal("HTTP", config.httpHost(), port,
                        "http.port / CREDITLINE_HTTP_PORT", failure)))
                .map(HttpServer::actualPort)
                .onSuccess(bound -> actualPort.compareAndSet(0, bound));
    }
}
