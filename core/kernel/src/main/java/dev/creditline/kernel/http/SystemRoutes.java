package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import dev.creditline.kernel.boot.Config;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** What operators and client generators ask: {@code /health} and {@code /openapi.json}. */
public final class SystemRoutes implements Routes {
    /** The contract, kept as YAML beside the code that implements it and served as JSON. */
    static final String OPENAPI_RESOURCE = "/dev/creditline/kernel/http/openapi.yaml";

    private final Pool pool;
    private final String openApi;

    private final PrometheusMeterRegistry metrics;
    private final byte[] metricsToken;

    @Inject
    public SystemRoutes(Pool pool, PrometheusMeterRegistry metrics, Config config) {
        this.pool = pool;
        this.openApi = Json.write(loadOpenApi());
        this.metrics = metrics;
        this.metricsToken = config.metricsToken() == null ? null
                : config.metricsToken().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The OpenAPI document. */
    public static JsonNode loadOpenApi() {
        try (InputStream in = SystemRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + OPENAPI_RESOURCE);
            }
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void mount(Router router) {
        router.get("/health").handler(this::health);
        router.get("/openapi.json").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json")
                .end(openApi));
        router.get("/metrics").handler(this::scrape);
    }

    /** Prometheus's text format; behind a bearer token when {@code metrics.token} is configured. */
    private void scrape(RoutingContext ctx) {
        if (metricsToken != null) {
            String header = ctx.request().getHeader("Authorization");
            byte[] given = header == null || !header.startsWith("Bearer ") ? new byte[0]
                    : header.substring(7).trim().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (!java.security.MessageDigest.isEqual(given, metricsToken)) {
                ctx.fail(Problem.unauthorized("GET /metrics needs the metrics token as a bearer token"));
                return;
            }
        }
        ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape());
    }

    private void health(RoutingContext ctx) {
        pool.query("SELECT 1").execute().onComplete(result -> {
            if (result.succeeded()) {
                Http.send(ctx, Reply.ok(Json.object().put("status", "up").put("database", "up")));
            } else {
                ctx.response().putHeader("Retry-After", "1");
                Problem down = new Problem(503, "database_unavailable", "Service unavailable",
                        "the database is not reachable", List.of(), Json.object().put("database", "down"));
                Http.send(ctx, new Reply(503, down.body()));
            }
        });
    }
}
