package dev.creditline.kernel.http;

import dev.creditline.kernel.plugins.PluginRuntime;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds the router: request ids, JSON bodies and their limits, authentication of {@code /v1}, every resource's
 * routes, the plugins' routes and the error handler.
 */
public final class ApiRouter {
    /** The realm of {@code WWW-Authenticate} (RFC 6750 §3). */
    static final String REALM = "creditline";

    /** The order {@code Allow} lists methods in. */
    private static final List<HttpMethod> METHOD_ORDER = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
            HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    private final Set<Routes> routes;
    private final Auth auth;
    private final ErrorHandler errors;
    private final PluginRuntime plugins;
    private final TrustedProxies proxies;

    @Inject
    public ApiRouter(Set<Routes> routes, Auth auth, ErrorHandler errors, PluginRuntime plugins,
                     dev.creditline.kernel.boot.Config config) {
        this.proxies = config.trustedProxies();
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
        router.route().handler(ctx -> {
            ctx.put(Throttle.CLIENT, proxies.client(ctx.request()));
            identify(ctx);
        });
        router.route().handler(JsonContentType::check);
        router.route().handler(BodyHandler.create(false).setBodyLimit(bodyLimit));
        router.route("/v1/*").handler(auth.authenticate());
        routes.forEach(r -> r.mount(router));
        // After the kernel's own routes, which win over a plugin's of the same path.
        plugins.mountRoutes(router);
        // HEAD is GET without the body (RFC 9110 §9.3.2); Vert.x leaves the body out of a HEAD answer itself.
        for (Route route : router.getRoutes()) {
            if (route.methods() != null && route.methods().contains(HttpMethod.GET)
                    && !route.methods().contains(HttpMethod.HEAD)) {
                route.method(HttpMethod.HEAD);
            }
        }
        List<Allowed> allowed = allowed(router);
        router.route().failureHandler(errors);
        for (int status : new int[] {400, 404, 413, 500}) {
            router.errorHandler(status, errors);
        }
        router.errorHandler(405, ctx -> {
            ctx.response().putHeader("Allow", allow(allowed, ctx.normalizedPath()));
            errors.handle(ctx);
        });
        // A method Vert.x does not know (501): the path's methods are what the client may use instead.
        router.errorHandler(501, ctx -> {
            String allow = allow(allowed, ctx.normalizedPath());
            if (!allow.isEmpty()) {
                ctx.response().putHeader("Allow", allow);
            }
            Http.send(ctx, new Reply(allow.isEmpty() ? 404 : 405, allow.isEmpty()
                    ? Problem.notFound("no such endpoint; see /openapi.json").body()
                    : new Problem(405, "method_not_allowed", "Method not allowed",
                    "the endpoint does not take this method; see /openapi.json", List.of(), null).body()));
        });
        return router;
    }

    /**
     * The router's first handler: the request's id (answered and logged), and the challenge every 401 carries
     * (RFC 6750 §3), whoever answers it.
     */
    private static void identify(RoutingContext ctx) {
        RequestIds.assign(ctx.request());
        ctx.addHeadersEndHandler(v -> {
            if (ctx.response().getStatusCode() == 401 && ctx.response().headers().get("WWW-Authenticate") == null) {
                String authorization = ctx.request().getHeader("Authorization");
                boolean tokenSent = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
                ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"" + REALM + "\""
                        + (tokenSent ? ", error=\"invalid_token\"" : ""));
            }
        });
        ctx.next();
    }

    /** A mounted path as a pattern, and the methods it takes. */
    private record Allowed(Pattern path, Set<HttpMethod> methods) {
    }

    private static List<Allowed> allowed(Router router) {
        List<Allowed> out = new ArrayList<>();
        for (Route route : router.getRoutes()) {
            if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
                continue;
            }
            String path = route.getPath();
            boolean prefix = path.endsWith("*");
            String fixed = prefix ? path.substring(0, path.length() - 1) : path;
            if (fixed.length() > 1 && fixed.endsWith("/")) {
                fixed = fixed.substring(0, fixed.length() - 1);
            }
            List<String> segments = new ArrayList<>();
            for (String segment : fixed.split("/", -1)) {
                segments.add(segment.startsWith(":") ? "[^/]+" : Pattern.quote(segment));
            }
            // "/dashboard/*" takes "/dashboard" too; a trailing slash is the same path.
            out.add(new Allowed(Pattern.compile(String.join("/", segments) + (prefix ? "(/.*)?" : "/?")),
                    Set.copyOf(route.methods())));
        }
        return out;
    }

    private static String allow(List<Allowed> allowed, String path) {
        Set<HttpMethod> methods = new HashSet<>();
        for (Allowed entry : allowed) {
            if (entry.path().matcher(path).matches()) {
                methods.addAll(entry.methods());
            }
        }
        return METHOD_ORDER.stream().filter(methods::contains).map(HttpMethod::name)
                .collect(Collectors.joining(", "));
    }
}
