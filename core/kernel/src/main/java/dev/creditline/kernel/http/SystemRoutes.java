package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

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
        return loadOpenApi(OPENAPI_RESOURCE);
    }

    static JsonNode loadOpenApi(String resource) {
        try (InputStream in = SystemRoutes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void mount(Router router) {
        // Up or down only: the details, and the metrics, are on the management listener (ManagementRoutes).
        router.get("/health").handler(ctx -> ManagementRoutes.health(ctx, pool, false));
        router.get("/openapi.json").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json")
                .end(openApi));
    }
}
