package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.api.Role;
import dev.creditline.api.spi.DashboardPage;
import dev.creditline.api.spi.Extensions;
import dev.creditline.kernel.plugins.PluginRuntime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pages plugins add to the staff dashboard ({@link DashboardPage}): {@code GET /v1/dashboard/pages} lists those
 * of the plugins the caller's studio enabled, and {@code /dashboard/plugins/<id>/<file>} serves their files from the
 * plugin's own jar.
 */
public final class PluginPageRoutes implements Routes {
    private static final Logger LOG = LoggerFactory.getLogger(PluginPageRoutes.class);
    private static final Pattern PLUGIN_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})?");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8", "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "json", "application/json", "svg", "image/svg+xml",
            "png", "image/png");
    /** A plugin's files do not change while it runs: read once each. */
    private final Map<String, Optional<Buffer>> files = new ConcurrentHashMap<>();

    private final Auth auth;
    private final PluginRuntime plugins;
    private final Vertx vertx;

    @Inject
    public PluginPageRoutes(Auth auth, PluginRuntime plugins, Vertx vertx) {
        this.auth = auth;
        this.plugins = plugins;
        this.vertx = vertx;
    }

    @Override
    public void mount(Router router) {
        router.get("/v1/dashboard/pages").handler(auth.staff()).handler(Http.params("language"))
                .handler(this::pages);
        router.get("/dashboard/plugins/:id/:file").handler(this::file);
    }

    /** A page as its plugin describes it. */
    private record Described(String pluginId, String slug, String title, String module, Set<Role> roles) {
    }

    private void pages(RoutingContext ctx) {
        Caller caller = Http.caller(ctx);
        String language = Http.query(ctx, "language", 16);
        if (language != null && !LANGUAGE.matcher(language).matches()) {
            throw Problem.invalid("language", "must be a language tag such as en or de");
        }
        String lang = language == null ? "en" : language.toLowerCase(Locale.ROOT);
        List<Future<Described>> asked = new ArrayList<>();
        for (Extensions.Contained<DashboardPage> page : plugins.forStudio(caller.studio().id(), DashboardPage.class)) {
            asked.add(page.<Described>call("describe", p -> Future.succeededFuture(new Described(page.pluginId(),
                            p.slug(), p.title(lang), p.module(), Set.copyOf(p.roles()))))
                    // One plugin's failure costs its own entry, never the dashboard's navigation.
                    .recover(e -> {
                        LOG.warn("Plugin {} could not describe its dashboard page: {}", page.pluginId(), e.toString());
                        return Future.succeededFuture(null);
                    }));
        }
        Http.respond(ctx, Future.all(asked).map(all -> {
            List<Described> shown = new ArrayList<>();
            for (Future<Described> f : asked) {
                Described d = f.result();
                if (d != null && d.roles().contains(caller.role()) && d.slug() != null && FILE.matcher(d.slug())
                        .matches() && d.module() != null && FILE.matcher(d.module()).matches() && d.title() != null) {
                    shown.add(d);
                }
            }
            shown.sort(Comparator.comparing(Described::title).thenComparing(Described::pluginId));
            ArrayNode items = Json.array();
            for (Described d : shown) {
                items.add(Json.object().put("pluginId", d.pluginId()).put("slug", d.slug()).put("title", d.title())
                        .put("module", "/dashboard/plugins/" + d.pluginId() + "/" + d.module()));
            }
            ObjectNode body = Json.object();
            body.set("items", items);
            return Reply.ok(body);
        }));
    }

    private void file(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        String name = ctx.pathParam("file");
        int dot = name == null ? -1 : name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (id == null || !PLUGIN_ID.matcher(id).matches() || !FILE.matcher(name).matches() || name.contains("..")
                || type == null) {
            ctx.fail(Problem.notFound("no such dashboard file"));
            return;
        }
        String key = id + "/" + name;
        Optional<Buffer> known = files.get(key);
        Future<Optional<Buffer>> read = known != null ? Future.succeededFuture(known)
                : vertx.executeBlocking(() -> read(plugins.ownResource(id, "dashboard/" + name)), false)
                        .onSuccess(found -> files.put(key, found));
        read.onComplete(result -> {
            if (result.failed() || result.result().isEmpty()) {
                ctx.fail(result.failed() ? result.cause() : Problem.notFound("no such dashboard file"));
                return;
            }
            ctx.response().putHeader("Content-Type", type).putHeader("Cache-Control", "no-cache")
                    .putHeader("X-Content-Type-Options", "nosniff").end(result.result().get());
        });
    }

    private static Optional<Buffer> read(URL url) throws IOException {
        if (url == null) {
            return Optional.empty();
        }
        try (InputStream in = url.openStream()) {
            return Optional.of(Buffer.buffer(in.readAllBytes()));
        }
    }
}
