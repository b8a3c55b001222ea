package dev.creditline.kernel.http;

import dev.creditline.kernel.boot.Config;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * The management listener's routes, apart from the API's port: {@code /health} with its details (also as
 * {@code /health/ready}), {@code /health/live}, and {@code /metrics} in Prometheus's text format, which holds every
 * studio's credit liability. Behind a bearer token when {@code management.token} is set.
 */
public final class ManagementRoutes {
    /** The listener's own contract, apart from the API's. */
    static final String OPENAPI_RESOURCE = "/dev/creditline/kernel/http/management-openapi.yaml";

    private final Pool pool;
    private final PrometheusMeterRegistry metrics;
    private final ErrorHandler errors;
    private final byte[] token;
    private final String openApi;

    @Inject
    public ManagementRoutes(Pool pool, PrometheusMeterRegistry metrics, ErrorHandler errors, Config config) {
        this.pool = pool;
        this.metrics = metrics;
        this.errors = errors;
        this.token = config.management().token() == null ? null
                : config.management().token().getBytes(StandardCharsets.UTF_8);
        this.openApi = Json.write(SystemRoutes.loadOpenApi(OPENAPI_RESOURCE));
    }

    /** A new router (one per listener instance). */
    public Router create(Vertx vertx) {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            RequestIds.assign(ctx.request());
            ctx.next();
        });
        // The document says nothing that is not public; a client reads it before it knows the token.
        router.get("/openapi.json").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json")
                .end(openApi));
        if (token != null) {
            router.route().handler(this::authorize);
        }
        router.get("/health").handler(ctx -> health(ctx, pool, true));
        router.get("/health/ready").handler(ctx -> health(ctx, pool, true));
        router.get("/health/live").handler(ctx -> Http.send(ctx, Reply.ok(Json.object().put("status", "up"))));
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape()));
        router.route().failureHandler(errors);
        for (int status : new int[] {404, 405, 500}) {
            router.errorHandler(status, errors);
        }
        return router;
    }

    private void authorize(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        byte[] given = header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) ? new byte[0]
                : header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"creditline-management\""
                    + (header == null ? "" : ", error=\"invalid_token\""));
            ctx.fail(Problem.unauthorized("the management listener needs management.token as a bearer token"));
            return;
        }
        ctx.next();
    }

    /**
     * Up when the database answers. The details (which part is down) are the management listener's; the API's
     * public {@code /health} says up or down only.
     */
    static void health(RoutingContext ctx, Pool pool, boolean details) {
        pool.query("SELECT 1").execute().onComplete(result -> {
            if (result.succeeded()) {
                var up = Json.object().put("status", "up");
                Http.send(ctx, Reply.ok(details ? up.put("database", "up") : up));
            } else {
                ctx.response().putHeader("Retry-After", "1");
                Problem down = new Problem(503, details ? "database_unavailable" : "service_unavailable",
                        "Service unavailable",
                        details ? "the database is not reachable" : "the server cannot serve requests now",
                        List.of(), details ? Json.object().put("database", "down") : null);
                Http.send(ctx, new Reply(503, down.body()));
            }
        });
    }
}
