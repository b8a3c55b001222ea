package dev.creditline.kernel.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.inject.Inject;
import java.util.Set;

/** Builds the router: body limits, authentication of {@code /v1}, every resource's routes and the error handler. */
public final class ApiRouter {
    private final Set<Routes> routes;
    private final Auth auth;
    private final ErrorHandler errors;

    @Inject
    public ApiRouter(Set<Routes> routes, Auth auth, ErrorHandler errors) {
        this.routes = routes;
        this.auth = auth;
        this.errors = errors;
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
        router.route().failureHandler(errors);
        for (int status : new int[] {400, 404, 405, 413, 500}) {
            router.errorHandler(status, errors);
        }
        return router;
    }
}
