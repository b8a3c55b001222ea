package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
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

    @Inject
    public SystemRoutes(Pool pool) {
        this.pool = pool;
        this.openApi = Json.write(loadOpenApi());
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
