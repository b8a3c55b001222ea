package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.api.spi.CreditlinePlugin;
import dev.creditline.kernel.plugins.PluginEnablement;
import dev.creditline.kernel.plugins.PluginRuntime;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code /v1/plugins}: which plugins the server runs and which the caller's studio enabled; owners enable them and
 * store their settings (validated by the plugin first; secrets are write-only).
 */
public final class PluginRoutes implements Routes {
    static final String MASK = "********";

    private final Auth auth;
    private final PluginRuntime plugins;
    private final PluginEnablement enablement;

    @Inject
    public PluginRoutes(Auth auth, PluginRuntime plugins, PluginEnablement enablement) {
        this.auth = auth;
        this.plugins = plugins;
        this.enablement = enablement;
    }

    @Override
    public void mount(Router router) {
        router.get("/v1/plugins").handler(auth.staff()).handler(Http.params()).handler(this::list);
        router.get("/v1/plugins/:id").handler(auth.owner()).handler(Http.params()).handler(this::get);
        router.put("/v1/plugins/:id").handler(auth.owner()).handler(this::put);
    }

    private void list(RoutingContext ctx) {
        String studioId = Http.caller(ctx).studio().id();
        ArrayNode items = Json.array();
        for (PluginRuntime.Loaded plugin : plugins.plugins()) {
            items.add(view(plugin, studioId));
        }
        Http.send(ctx, Reply.ok(Views.page(items, null)));
    }

    private ObjectNode view(PluginRuntime.Loaded plugin, String studioId) {
        ObjectNode node = Json.object().put("id", plugin.id()).put("version", plugin.version())
                .put("description", plugin.description())
                .put("enabled", plugin.state() == PluginRuntime.State.STARTED && enablement.enabled(studioId, plugin.id()))
                .put("state", plugin.state().name().toLowerCase(Locale.ROOT));
        if (plugin.problem() != null) {
            node.put("problem", plugin.problem());
        }
        return node;
    }

    private PluginRuntime.Loaded loaded(RoutingContext ctx) {
        String id = Http.pathId(ctx, "id", "plugin");
        return plugins.plugins().stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> Problem.notFound("no plugin " + id + " on this server"));
    }

    private void get(RoutingContext ctx) {
        PluginRuntime.Loaded plugin = loaded(ctx);
        String studioId = Http.caller(ctx).studio().id();
        ObjectNode node = view(plugin, studioId);
        node.set("settings", Json.read(masked(plugin.id(), enablement.rawSettings(studioId, plugin.id())).encode()));
        Http.send(ctx, Reply.ok(node));
    }

    /** The settings with secrets masked; when the plugin is not running, which are secret is unknown: all are. */
    private JsonObject masked(String pluginId, JsonObject settings) {
        CreditlinePlugin plugin = plugins.plugin(pluginId);
        Set<String> secrets = plugin == null ? settings.fieldNames() : plugin.secretSettings();
        JsonObject out = settings.copy();
        for (String name : Set.copyOf(secrets)) {
            if (out.containsKey(name) && out.getValue(name) != null) {
                out.put(name, MASK);
            }
        }
        return out;
    }

    private void put(RoutingContext ctx) {
        PluginRuntime.Loaded loaded = loaded(ctx);
        String studioId = Http.caller(ctx).studio().id();
        Input in = Input.of(Http.body(ctx), "enabled", "settings");
        Boolean enabled = in.bool("enabled", true);
        JsonObject settings = new JsonObject();
        if (in.hasValue("settings")) {
            if (!in.raw("settings").isObject()) {
                in.error("settings", "must be an object of settings");
            } else {
                settings = new JsonObject(Json.write(in.raw("settings")));
            }
        }
        // The server's environment is the operator's: only config files may refer to it, never a studio.
        for (String name : settings.fieldNames()) {
            if (new JsonObject().put("v", settings.getValue(name)).encode().contains("${env:")) {
                in.error("settings." + name, "may not refer to the server's environment; send the value itself");
            }
        }
        in.check();
        CreditlinePlugin plugin = plugins.plugin(loaded.id());
        if (plugin == null) {
            throw Problem.conflict("plugin_not_started", "plugin " + loaded.id() + " is not running on this server ("
                    + loaded.state().name().toLowerCase(Locale.ROOT) + ")");
        }
        JsonObject stored = enablement.rawSettings(studioId, loaded.id());
        if (!in.has("settings")) {
            // Enabling or disabling alone keeps the settings (and their secrets).
            settings = stored.copy();
        }
        // A masked secret sent back unchanged keeps the stored secret.
        for (String secret : plugin.secretSettings()) {
            if (MASK.equals(settings.getValue(secret)) && stored.containsKey(secret)) {
                settings.put(secret, stored.getValue(secret));
            }
        }
        List<FieldError> problems = new ArrayList<>();
        for (CreditlinePlugin.SettingProblem problem : plugin.validateSettings(enablement.resolved(settings))) {
            problems.add(new FieldError("settings." + problem.setting(), problem.message()));
        }
        for (String missing : enablement.missingEnvironment(settings)) {
            problems.add(new FieldError("settings", "environment variable " + missing + " is not set on the server"));
        }
        if (!problems.isEmpty()) {
            throw Problem.invalid(problems);
        }
        JsonObject saved = settings;
        Http.respond(ctx, enablement.save(studioId, loaded.id(), enabled, saved).map(done -> {
            ObjectNode node = view(loaded, studioId);
            node.set("settings", Json.read(masked(loaded.id(), saved).encode()));
            return Reply.ok(node);
        }));
    }
}
