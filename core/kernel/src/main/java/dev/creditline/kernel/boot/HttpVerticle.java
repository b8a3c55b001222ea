package dev.creditline.kernel.boot;

import dev.creditline.kernel.http.ApiRouter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.atomic.AtomicInteger;

/** One event loop serving the API; the kernel deploys as many as configured, sharing the port. */
final class HttpVerticle extends VerticleBase {
    private final ApiRouter router;
    private final Config config;
    private final AtomicInteger actualPort;

    HttpVerticle(ApiRouter router, Config config, AtomicInteger actualPort) {
        this.router = router;
        this.config = config;
        this.actualPort = actualPort;
    }

    @Override
    public Future<?> start() {
        int port = actualPort.get() > 0 ? actualPort.get() : config.httpPort();
        HttpServerOptions options = new HttpServerOptions()
                .setPort(port)
                .setHost("0.0.0.0")
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(16 * 1024)
                .setCompressionSupported(true);
        return vertx.createHttpServer(options)
                .requestHandler(router.create(vertx, config.bodyLimit()))
                .listen()
                .map(HttpServer::actualPort)
                .onSuccess(bound -> actualPort.compareAndSet(0, bound));
    }
}
