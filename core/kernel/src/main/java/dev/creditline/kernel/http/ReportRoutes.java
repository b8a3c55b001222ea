package dev.creditline.kernel.http;

import dev.creditline.api.spi.Extensions;
import dev.creditline.api.spi.ReportExporter;
import dev.creditline.kernel.plugins.PluginRuntime;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.util.List;

/** {@code GET /v1/reports/exports/{name}}: a report streamed by the studio's {@link ReportExporter} of that name. */
public final class ReportRoutes implements Routes {
    /** An export streams for as long as it takes, up to this. */
    static final java.time.Duration EXPORT_TIME_LIMIT = java.time.Duration.ofMinutes(10);

    private final Auth auth;
    private final PluginRuntime plugins;

    @Inject
    public ReportRoutes(Auth auth, PluginRuntime plugins) {
        this.auth = auth;
        this.plugins = plugins;
    }

    @Override
    public void mount(Router router) {
        router.get("/v1/reports/exports/:name").handler(auth.staff()).handler(Http.params("from", "to"))
                .handler(this::export);
    }

    private void export(RoutingContext ctx) {
        String studioId = Http.caller(ctx).studio().id();
        String name = Http.pathId(ctx, "name", "report");
        var request = new ReportExporter.Request(studioId, Http.instant(ctx, "from"), Http.instant(ctx, "to"));
        List<Extensions.Contained<ReportExporter>> exporters = plugins.forStudio(studioId, ReportExporter.class);
        findAndExport(ctx, exporters, 0, name, request);
    }

    /** Asks each exporter's name in turn (a contained call) and streams the first that matches. */
    private void findAndExport(RoutingContext ctx, List<Extensions.Contained<ReportExporter>> exporters, int next,
                               String name, ReportExporter.Request request) {
        if (next == exporters.size()) {
            ctx.fail(Problem.notFound("no report " + name + " is enabled for this studio"));
            return;
        }
        var exporter = exporters.get(next);
        exporter.<String[]>call("name", e -> Future.succeededFuture(new String[] {e.name(), e.contentType()}))
                .onFailure(ctx::fail)
                .onSuccess(named -> {
                    if (!name.equals(named[0])) {
                        findAndExport(ctx, exporters, next + 1, name, request);
                        return;
                    }
                    HttpServerResponse response = ctx.response().setChunked(true)
                            .putHeader("Content-Type", named[1] == null ? "application/octet-stream" : named[1]);
                    exporter.<Void>call("export", EXPORT_TIME_LIMIT, e -> e.export(request, response))
                            .onComplete(done -> {
                        if (done.succeeded()) {
                            response.end();
                        } else if (!response.headWritten()) {
                            ctx.fail(done.cause());
                        } else {
                            // Part of the report went out: the client must see a broken transfer, not a short file.
                            response.reset();
                        }
                    });
                });
    }
}
