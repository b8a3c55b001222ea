package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.api.spi.CreditlinePlugin;
import dev.creditline.api.spi.PluginSetting;
import dev.creditline.kernel.plugins.KernelPluginHost;
import dev.creditline.kernel.plugins.PluginEnablement;
import dev.creditline.kernel.plugins.PluginRuntime;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
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
        node.set("settingsSchema", schema(plugin.id()));
        Http.send(ctx, Reply.ok(node));
    }

    /** The settings a studio may give the plugin, as it declares them; empty while it does not run. */
    private ArrayNode schema(String pluginId) {
        ArrayNode out = Json.array();
        for (PluginSetting setting : declared(pluginId)) {
            ObjectNode item = out.addObject().put("name", setting.name()).put("type", setting.type().wireName());
            item.set("default", Json.tree(new JsonArray().add(setting.defaultValue()).encode()).get(0));
            item.put("required", setting.required()).put("secret", setting.secret())
                    .put("description", setting.description());
            if (!setting.options().isEmpty()) {
                setting.options().forEach(item.putArray("options")::add);
            }
            if (setting.min() != null) {
                item.put("min", setting.min());
            }
            if (setting.max() != null) {
                item.put("max", setting.max());
            }
        }
        return out;
    }

    private List<PluginSetting> declared(String pluginId) {
        KernelPluginHost host = plugins.host(pluginId);
        return host == null ? List.of() : host.studioSettings();
    }

    /** The settings with secrets masked; when the plugin is not running, which are secret is unknown: all are. */
    private JsonObject masked(String pluginId, JsonObject settings) {
        Set<String> secrets = plugins.host(pluginId) == null ? settings.fieldNames()
                : PluginSetting.secrets(declared(pluginId));
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
        // A null leaves a setting out.
        for (String name : Set.copyOf(settings.fieldNames())) {
            if (settings.getValue(name) == null) {
                settings.remove(name);
            }
        }
        List<FieldError> problems = new ArrayList<>();
        // A masked secret sent back unchanged keeps the stored secret.
        for (String secret : PluginSetting.secrets(declared(loaded.id()))) {
            if (MASK.equals(settings.getValue(secret))) {
                if (stored.getValue(secret) != null) {
                    settings.put(secret, stored.getValue(secret));
                } else {
                    problems.add(new FieldError("settings." + secret, MASK + " keeps the stored secret, and none is"
                            + " stored: send the secret itself"));
                }
            }
        }
        JsonObject saved = settings;
        // The plugin's own checks may look things up (an SMTP host's addresses): off the event loop.
        JsonObject resolved = enablement.resolved(settings);
        Future<List<CreditlinePlugin.SettingProblem>> checked = !problems.isEmpty() ? Future.succeededFuture(List.of())
                : ctx.vertx().executeBlocking(() -> plugin.checkSettings(resolved, enabled), false);
        Http.respond(ctx, checked.compose(found -> {
            for (CreditlinePlugin.SettingProblem problem : found) {
                problems.add(new FieldError("settings." + problem.setting(), problem.message()));
            }
            for (String missing : enablement.missingEnvironment(saved)) {
                problems.add(new FieldError("settings", "environment variable " + missing
                        + " is not set on the server"));
            }
            if (!problems.isEmpty()) {
                throw Problem.invalid(problems);
            }
            Set<String> secrets = PluginSetting.secrets(declared(loaded.id()));
            refuseSecretsWithoutKey(saved, stored, secrets);
            return enablement.save(studioId, loaded.id(), enabled, saved, secrets).map(done -> {
                ObjectNode node = view(loaded, studioId);
                node.set("settings", Json.read(masked(loaded.id(), saved).encode()));
                node.set("settingsSchema", schema(loaded.id()));
                return Reply.ok(node);
            });
        }));
    }

    /**
     * Without a secrets key a new secret cannot be stored encrypted, and it is not stored in plain text: the owner is
     * told why (a secret kept from before is kept as it was).
     */
    private void refuseSecretsWithoutKey(JsonObject settings, JsonObject stored, Set<String> secrets) {
        if (enablement.canStoreSecrets()) {
            return;
        }
        List<FieldError> refused = new ArrayList<>();
        for (String secret : secrets) {
            Object value = settings.getValue(secret);
            if (value != null && !value.equals(stored.getValue(secret))) {
                refused.add(new FieldError("settings." + secret, "is a secret, and this server has no key to"
                        + " encrypt secrets with"));
            }
        }
        if (!refused.isEmpty()) {
            throw new Problem(409, "secrets_key_missing", "No secrets key", "this server stores secrets only"
                    + " encrypted, and no key is configured: its operator sets secrets.key or CREDITLINE_SECRETS_KEY"
                    + " (openssl rand -base64 32)", refused, null);
        }
    }
}
