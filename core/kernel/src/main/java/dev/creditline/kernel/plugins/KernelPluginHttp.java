package dev.creditline.kernel.plugins;

import dev.creditline.api.Role;
import dev.creditline.api.spi.Caller;
import dev.creditline.api.spi.Fields;
import dev.creditline.api.spi.PluginHttp;
import dev.creditline.kernel.http.Http;
import dev.creditline.kernel.http.Input;
import dev.creditline.kernel.http.Json;
import dev.creditline.kernel.http.Problem;
import dev.creditline.kernel.http.Writes;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** A plugin's HTTP: its routes, behind the kernel's authentication and the studio's enablement of the plugin. */
public final class KernelPluginHttp implements PluginHttp {
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9_.:-]+)+/?|/");

    /** Makes each plugin's HTTP helper. */
    @Singleton
    public static final class Factory {
        private final PluginEnablement enablement;
        private final Writes writes;

        @Inject
        public Factory(PluginEnablement enablement, Writes writes) {
            this.enablement = enablement;
            this.writes = writes;
        }

        KernelPluginHttp create(String pluginId) {
            return new KernelPluginHttp(pluginId, enablement, writes);
        }
    }

    private final String pluginId;
    private final PluginEnablement enablement;
    private final Writes writes;
    private final List<Consumer<PluginHttp.Router>> registrars = new CopyOnWriteArrayList<>();

    private KernelPluginHttp(String pluginId, PluginEnablement enablement, Writes writes) {
        this.pluginId = pluginId;
        this.enablement = enablement;
        this.writes = writes;
    }

    @Override
    public void routes(Consumer<PluginHttp.Router> registrar) {
        registrars.add(registrar);
    }

    /** Applies the plugin's registrars to one of the kernel's routers. */
    void mount(io.vertx.ext.web.Router router) {
        PluginHttp.Router view = new PluginHttp.Router() {
            @Override
            public Route studio(HttpMethod method, String path) {
                return router.route(method, "/v1/plugins/" + pluginId + checked(path)).handler(enabledOnly());
            }

            @Override
            public Route api(HttpMethod method, String path) {
                if (checked(path).startsWith("/plugins/")) {
                    throw new IllegalArgumentException("use studio() for routes under /v1/plugins/" + pluginId);
                }
                return router.route(method, "/v1" + path).handler(enabledOnly());
            }

            @Override
            public Route webhook(HttpMethod method, String path) {
                // "" is the plugin's own webhook, /webhooks/<id> (as API.md names Stripe's).
                return router.route(method, "/webhooks/" + pluginId + ("".equals(path) ? "" : checked(path)));
            }
        };
        registrars.forEach(registrar -> registrar.accept(view));
    }

    private static String checked(String path) {
        if (path == null || !PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("a route path starts with / and holds letters, digits, _ . : - only: "
                    + path);
        }
        return path;
    }

    /** Studios that did not enable the plugin do not reach it: 404, as if the route did not exist. */
    private Handler<RoutingContext> enabledOnly() {
        return ctx -> {
            if (enablement.enabled(Http.caller(ctx).studio().id(), pluginId)) {
                ctx.next();
            } else {
                ctx.fail(Problem.notFound("the " + pluginId + " plugin is not enabled for this studio"));
            }
        };
    }

    @Override
    public Caller caller(RoutingContext ctx) {
        var caller = Http.caller(ctx);
        return new Caller(caller.studio().id(), caller.role(), caller.memberId(), caller.actor().name(),
                caller.studio().now(), caller.studio().zone(), caller.studio().currency());
    }

    @Override
    public void requireRole(RoutingContext ctx, Role... roles) {
        Role role = Http.caller(ctx).role();
        for (Role allowed : roles) {
            if (allowed == role) {
                return;
            }
        }
        throw Problem.forbidden("a " + role.wireName() + " key may not do this");
    }

    @Override
    public Fields fields(RoutingContext ctx, String... allowed) {
        return Input.of(Http.body(ctx), allowed);
    }

    @Override
    public void requireParams(RoutingContext ctx, String... allowed) {
        Http.requireParams(ctx, allowed);
    }

    @Override
    public java.time.Instant instant(RoutingContext ctx, String name) {
        return Http.instant(ctx, name);
    }

    @Override
    public int limit(RoutingContext ctx) {
        return Http.limit(ctx);
    }

    @Override
    public String cursor(RoutingContext ctx) {
        return Http.textCursor(ctx);
    }

    @Override
    public String cursor(String position) {
        return Http.textCursor(position);
    }

    @Override
    public void respond(RoutingContext ctx, int status, JsonObject body) {
        Http.send(ctx, reply(new Reply(status, body)));
    }

    @Override
    public void respond(RoutingContext ctx, Future<Reply> reply) {
        Http.respond(ctx, reply.map(KernelPluginHttp::reply));
    }

    @Override
    public Future<Reply> write(RoutingContext ctx, JsonObject body, Work work) {
        return writes.run(ctx, body == null ? null : Json.tree(body.encode()),
                        (c, key) -> work.apply(c, key).map(KernelPluginHttp::reply))
                .map(kernel -> new Reply(kernel.status(), new JsonObject(Json.write(kernel.body()))));
    }

    private static dev.creditline.kernel.http.Reply reply(Reply reply) {
        return new dev.creditline.kernel.http.Reply(reply.status(), Json.read(reply.body().encode()));
    }
}
