package dev.creditline.kernel.http;

import dev.creditline.kernel.plugins.PluginRuntime;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.inject.Inject;
import java.util.Set;

/**
 * Builds the router: body limits, authentication of {@code /v1}, every resource's routes, the plugins' routes and the
 * error handler.
 */
public final class ApiRouter {
    private final Set<Routes> routes;
    private final Auth auth;
    private final ErrorHandler errors;
    private final PluginRuntime plugins;

    @Inject
    public ApiRouter(Set<Routes> routes, Auth auth, ErrorHandler errors, PluginRuntime plugins) {
        this.routes = routes;
        this.auth = auth;
        this.errors = errors;
        this.plugins = plugins;
    }

    /**
     * A new router (one per event-loop instance).
     *
     * @param bodyLimit the largest request body accepted, in bytes; larger ones get 413
     */
    public Router create(Vertx vertx, long bodyLimit) {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(bodyLimit));
        router.route("/v1/*").handler(auth.authenticate());
        routes.forEach(r -> r.mount(router));
        // After the kernel's own routes, which win over a plugin's of the same path.
        plugins.mountRoutes(router);
        router.route().failureHandler(errors);
        for (int status : new int[] {400, 404, 405, 413, 500}) {
            router.errorHandler(status, errors);
        }
        return router;
    }
}
