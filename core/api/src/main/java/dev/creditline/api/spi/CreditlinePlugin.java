package dev.creditline.api.spi;

import java.util.List;
import java.util.Map;
import java.util.Set;
import io.vertx.core.json.JsonObject;
import org.pf4j.Plugin;

/**
 * The base class of every Creditline plugin (the {@code Plugin-Class} of its manifest). The kernel gives it a
 * {@link PluginHost} before {@link #start()}; the plugin builds its own Dagger component on the host there and returns
 * its extensions from {@link #createExtensions}. Extensions are created through that component (constructor
 * injection), once per plugin, and dropped at {@link #stop()}.
 *
 * <p>A typical plugin:
 * <pre>{@code
 * public final class FirstVisitPlugin extends CreditlinePlugin {
 *     protected Map<Class<?>, Object> createExtensions(PluginHost host) {
 *         return DaggerFirstVisitComponent.factory().create(host).extensions();
 *     }
 *
 *     public List<PluginSetting> studioSettings() {
 *         return List.of(PluginSetting.integer("maxVisits", "...").between(1, 100).defaultValue(1));
 *     }
 * }
 * }</pre>
 */
public abstract class CreditlinePlugin extends Plugin {
    private volatile PluginHost host;
    private volatile Map<Class<?>, Object> extensions = Map.of();

    /** Called by the kernel before {@link #start()}; not for plugins to call. */
    public final void attach(PluginHost pluginHost) {
        this.host = pluginHost;
    }

    /** The host this plugin was given; null before the kernel attached it. */
    protected final PluginHost host() {
        return host;
    }

    /**
     * Builds the plugin's component on the host and returns its extensions keyed by their class: every class the
     * plugin annotates with {@code @Extension} must be here, or the plugin fails to start.
     */
    protected abstract Map<Class<?>, Object> createExtensions(PluginHost host);

    /** Builds the extensions; override {@link #started()} to do more at start. */
    @Override
    public final void start() {
        if (host == null) {
            throw new IllegalStateException("plugin " + getClass().getName() + " started without a host");
        }
        extensions = Map.copyOf(createExtensions(host));
        started();
    }

    /** Drops the extensions; override {@link #stopping()} to release what the plugin holds. */
    @Override
    public final void stop() {
        stopping();
        extensions = Map.of();
    }

    /** Called after the extensions are built. Does nothing by default. */
    protected void started() {
    }

    /** Called before the extensions are dropped. Does nothing by default. */
    protected void stopping() {
    }

    /** The extension instance of the given class, or null (the kernel's extension factory asks this). */
    public final Object extension(Class<?> type) {
        return extensions.get(type);
    }

    /** The extension classes this plugin provides. */
    public final Set<Class<?>> extensionTypes() {
        return extensions.keySet();
    }

    /**
     * The settings a studio may give this plugin ({@code PUT /v1/plugins/{id}}, or the config file's
     * {@code plugins.defaults} and {@code studios.<id>.plugins}). The kernel refuses any other name and any value not
     * of its type, fills in the defaults, and keeps secrets write-only and encrypted. None by default.
     */
    public List<PluginSetting> studioSettings() {
        return List.of();
    }

    /**
     * The settings only the server's operator gives, in the config file ({@code plugins.serverSettings.<id>}): the
     * same for every studio, never set nor seen by one (a test server's address, say). Read them with
     * {@link PluginSettings#server()}. None by default.
     */
    public List<PluginSetting> serverSettings() {
        return List.of();
    }

    /**
     * The plugin's own checks of a studio's settings, given those the kernel found as declared (names, types; any
     * that are not are left out): what a declaration cannot say, such as a key's prefix, two settings that go together or the
     * structure of a {@code json} setting. Each problem names the setting. The kernel calls it off the event loop, so
     * it may block briefly (a host name's lookup), never for long. Accepts anything by default.
     */
    public List<SettingProblem> validateSettings(JsonObject settings) {
        return List.of();
    }

    /**
     * The plugin's own checks of the operator's settings ({@link #serverSettings()}), given them with their defaults
     * once they are as declared: what a declaration cannot say, such as the structure of a {@code json} setting. The
     * kernel calls it at start, before it checks any studio's settings; a problem stops the start, naming the
     * setting. Accepts anything by default.
     */
    public List<SettingProblem> validateServerSettings(JsonObject settings) {
        return List.of();
    }

    /**
     * Everything wrong with a studio's settings: against {@link #studioSettings()}, then {@link #validateSettings}
     * with the settings that passed. The kernel calls it before storing settings and, at start, for settings in the config
     * file.
     *
     * @param enabled whether the plugin is to be enabled with them (required settings are required then)
     */
    public final List<SettingProblem> checkSettings(JsonObject settings, boolean enabled) {
        Set<String> operators = names(serverSettings());
        List<SettingProblem> problems = new java.util.ArrayList<>();
        JsonObject studios = settings.copy();
        for (String name : settings.fieldNames()) {
            if (operators.contains(name) && !names(studioSettings()).contains(name)) {
                problems.add(new SettingProblem(name, "is the server operator's setting (plugins.serverSettings."
                        + (host == null ? "<plugin>" : host.pluginId()) + "." + name
                        + " in the config file), not a studio's"));
                studios.remove(name);
            }
        }
        problems.addAll(PluginSetting.check(studioSettings(), studios, enabled));
        // The plugin sees the settings that are as declared, so that one answer names every bad one.
        JsonObject sound = studios.copy();
        problems.forEach(p -> sound.remove(p.setting()));
        for (SettingProblem own : validateSettings(sound)) {
            if (problems.stream().noneMatch(p -> p.setting().equals(own.setting()))) {
                problems.add(own);
            }
        }
        return problems;
    }

    private static Set<String> names(List<PluginSetting> settings) {
        Set<String> out = new java.util.LinkedHashSet<>();
        settings.forEach(s -> out.add(s.name()));
        return out;
    }

    /**
     * A problem with one setting.
     *
     * @param setting the setting's name
     * @param message what is wrong with it
     */
    public record SettingProblem(String setting, String message) {
    }
}
