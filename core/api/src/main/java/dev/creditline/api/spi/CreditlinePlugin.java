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
     * Checks a studio's settings for this plugin before the kernel stores them; each problem names the setting.
     * The default accepts anything.
     */
    public List<SettingProblem> validateSettings(JsonObject settings) {
        return List.of();
    }

    /** Setting names whose values are secrets: write-only, masked when settings are read back. */
    public Set<String> secretSettings() {
        return Set.of();
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
