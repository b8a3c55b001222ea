package dev.creditline.kernel.boot;

import dev.creditline.kernel.http.ManagementRoutes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The management listener: one event loop on its own address (see {@link Config.Management}). */
final class ManagementVerticle extends VerticleBase {
    private final ManagementRoutes routes;
    private final Config config;
    private final AtomicInteger actualPort;

    ManagementVerticle(ManagementRoutes routes, Config config, AtomicInteger actualPort) {
        this.routes = routes;
        this.config = config;
        this.actualPort = actualPort;
    }

    @Override
    public Future<?> start() {
        Config.Management management = config.management();
        HttpServerOptions options = new HttpServerOptions()
                .setHost(management.host())
                .setPort(management.port())
                .setMaxInitialLineLength(HttpVerticle.MAX_INITIAL_LINE)
                .setMaxHeaderSize(HttpVerticle.MAX_HEADER_SIZE)
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, config.connections().idleTimeout().toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        return vertx.createHttpServer(options)
                .requestHandler(routes.create(vertx))
                .listen()
                .recover(failure -> Future.failedFuture(Listening.refusal("management", management.host(),
                        management.port(), "management.port / CREDITLINE_MANAGEMENT_PORT", failure)))
                .map(HttpServer::actualPort)
                .onSuccess(actualPort::set);
    }
}
