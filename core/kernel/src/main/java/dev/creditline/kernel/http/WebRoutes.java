package dev.creditline.kernel.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.MimeMapping;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The staff dashboard ({@code /dashboard/}) and the athlete portal ({@code /portal/}): static pages from the
 * creditline-web jar on the class path. They are public assets, never authenticated here: every data call they make
 * goes to {@code /v1} with the key as a bearer token, as any other client. An unknown asset path is 404.
 */
public final class WebRoutes implements Routes {
    /** The page sets, each mounted at {@code /<name>/} from {@code dev/creditline/web/<name>/}. */
    public static final List<String> PAGES = List.of("dashboard", "portal");

    /**
     * Pages, scripts and styles only from this server; the API is called on the same origin. No inline script or
     * style, no framing (clickjacking of the credit forms).
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Inject
    public WebRoutes() {
    }

    /**
     * Whether a mounted path belongs to the pages (not to the API, so not in the OpenAPI document). Plugins' page
     * files ({@link PluginPageRoutes}) are documented: their path is a contract plugins build on.
     */
    public static boolean isPage(String path) {
        return !path.startsWith("/dashboard/plugins/")
                && PAGES.stream().anyMatch(name -> path.equals("/" + name) || path.startsWith("/" + name + "/"));
    }

    @Override
    public void mount(Router router) {
        for (String name : PAGES) {
            // "/dashboard" → "/dashboard/", so the pages' relative links resolve (Vert.x matches both paths here).
            router.get("/" + name).handler(ctx -> {
                if (ctx.request().path().endsWith("/")) {
                    ctx.next();
                } else {
                    ctx.redirect("/" + name + "/");
                }
            });
            StaticHandler files = StaticHandler.create("dev/creditline/web/" + name)
                    .setIndexPage("index.html")
                    .setDirectoryListing(false)
                    .setIncludeHidden(false)
                    // Last-Modified and ETag answers for revalidation; Cache-Control is set below.
                    .setCachingEnabled(true)
                    .setDefaultContentEncoding("UTF-8");
            router.route("/" + name + "/*").method(HttpMethod.GET).method(HttpMethod.HEAD)
                    .handler(WebRoutes::headers).handler(files);
        }
    }

    private static void headers(RoutingContext ctx) {
        ctx.addHeadersEndHandler(v -> {
            var headers = ctx.response().headers();
            if (ctx.response().getStatusCode() < 400) {
                // The file names carry no version: a browser asks again (cheaply, 304) so a new release shows at once.
                headers.set("Cache-Control", "no-cache");
            }
            if (ctx.request().method() == HttpMethod.HEAD && headers.get("Content-Type") == null
                    && ctx.response().getStatusCode() == 200) {
                // The static handler answers HEAD without the type its GET has.
                String path = ctx.normalizedPath();
                String type = MimeMapping.mimeTypeForFilename(path.endsWith("/") ? "index.html" : path);
                if (type != null) {
                    headers.set("Content-Type", type.startsWith("text") ? type + ";charset=UTF-8" : type);
                }
            }
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "no-referrer");
        });
        ctx.next();
    }
}
