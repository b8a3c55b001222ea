package dev.creditline.kernel.plugins;

import dev.creditline.api.spi.CreditlinePlugin;
import dev.creditline.api.spi.Extensions;
import dev.creditline.api.spi.PluginSetting;
import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.boot.ConfigException;
import dev.creditline.store.citus.CitusDistribution;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.pf4j.DefaultPluginManager;
import org.pf4j.ExtensionFactory;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the plugins of the configured directories with PF4J, migrates each plugin's own schema, gives it its host and
 * starts it. A plugin that is present but not in {@code plugins.start} is not started; one that fails to load or start
 * is reported and skipped, and the kernel starts without it.
 */
@Singleton
public final class PluginRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRuntime.class);

    /** What happened to a plugin at start. */
    public enum State { STARTED, FAILED, NOT_STARTED }

    /**
     * A plugin found in a plugin directory.
     *
     * @param problem why it failed, or null
     */
    public record Loaded(String id, String version, String description, State state, String problem) {
    }

    /** An extension with its plugin. */
    record Found<T>(String pluginId, T extension) {
    }

    private final Config config;
    private final Provider<KernelPluginHost.Factory> hosts;
    private final PluginEnablement enablement;
    private final ContainedCalls calls;
    private final Map<String, Loaded> loaded = new LinkedHashMap<>();
    private final Map<String, KernelPluginHost> started = new LinkedHashMap<>();
    private final Map<Class<?>, List<Found<?>>> extensions = new ConcurrentHashMap<>();
    private PluginManager manager;

    @Inject
    public PluginRuntime(Config config, Provider<KernelPluginHost.Factory> hosts, PluginEnablement enablement,
                         ContainedCalls calls) {
        this.config = config;
        this.hosts = hosts;
        this.enablement = enablement;
        this.calls = calls;
    }

    /** Loads and starts the plugins. Blocking (class loading, schema migrations): call it off the event loops. */
    public synchronized void load() {
        List<Path> roots = config.plugins().directories().stream().filter(Files::isDirectory).toList();
        if (roots.isEmpty()) {
            LOG.info("No plugin directory; running without plugins");
            return;
        }
        manager = new DefaultPluginManager(roots) {
            @Override
            protected ExtensionFactory createExtensionFactory() {
                return new DaggerExtensionFactory(() -> PluginRuntime.this.manager);
            }
        };
        manager.loadPlugins();
        reportUnloadable(roots);
        List<PluginWrapper> found = new ArrayList<>(manager.getPlugins());
        found.sort(Comparator.comparing(PluginWrapper::getPluginId));
        for (PluginWrapper wrapper : found) {
            String id = wrapper.getPluginId();
            if (config.plugins().started() != null && !config.plugins().started().contains(id)) {
                record(wrapper, State.NOT_STARTED, null);
                LOG.info("Plugin {} is present but not in plugins.start; not started", id);
                continue;
            }
            try {
                start(wrapper);
                record(wrapper, State.STARTED, null);
                LOG.info("Started plugin {} {}", id, wrapper.getDescriptor().getVersion());
            } catch (ConfigException e) {
                // The operator's config is wrong: the server does not start (it would run without what they asked).
                throw e;
            } catch (RuntimeException | LinkageError e) {
                String problem = e.getMessage() == null ? e.toString() : e.getMessage();
                record(wrapper, State.FAILED, problem);
                started.remove(id);
                LOG.error("Plugin {} failed to start and is skipped: {}", id, problem);
                stopQuietly(id);
            }
        }
        for (String id : config.plugins().serverSettings().keySet()) {
            if (!loaded.containsKey(id)) {
                LOG.warn("config plugins.serverSettings.{}: there is no plugin {}; its settings are not used", id, id);
            }
        }
    }

    private void start(PluginWrapper wrapper) {
        String id = wrapper.getPluginId();
        if (!(wrapper.getPlugin() instanceof CreditlinePlugin plugin)) {
            throw new IllegalStateException("its Plugin-Class " + wrapper.getDescriptor().getPluginClass()
                    + " does not extend " + CreditlinePlugin.class.getName());
        }
        KernelPluginHost host = hosts.get().create(id, plugin);
        migrate(wrapper, host.database().schema());
        plugin.attach(host);
        started.put(id, host);
        PluginState state = manager.startPlugin(id);
        if (state != PluginState.STARTED) {
            Throwable cause = wrapper.getFailedException();
            throw new IllegalStateException("did not start" + (cause == null ? "" : ": " + cause), cause);
        }
        host.declare(plugin.studioSettings(), plugin.serverSettings());
        checkConfiguredSettings(id, plugin);
        for (String name : manager.getExtensionClassNames(id)) {
            try {
                Class<?> type = wrapper.getPluginClassLoader().loadClass(name);
                if (plugin.extension(type) == null) {
                    throw new IllegalStateException("its @Extension " + name + " has no binding in the map that "
                            + "createExtensions returns");
                }
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("its extension index names " + name + ", which it does not hold", e);
            }
        }
    }

    /**
     * Settings from the config file go through the same checks as a studio's: a bad one stops the server's start,
     * naming the plugin and the setting. The operator's settings come first: a plugin may check a studio's against
     * them.
     */
    private void checkConfiguredSettings(String id, CreditlinePlugin plugin) {
        JsonObject server = config.plugins().serverSettings().getOrDefault(id, new JsonObject());
        var serverProblems = PluginSetting.check(plugin.serverSettings(), server, true);
        if (serverProblems.isEmpty()) {
            serverProblems = plugin.validateServerSettings(PluginSetting.withDefaults(plugin.serverSettings(), server));
        }
        if (!serverProblems.isEmpty()) {
            throw new ConfigException("config plugins.serverSettings." + id + "." + serverProblems.get(0).setting()
                    + ": " + serverProblems.get(0).message());
        }
        Map<String, Config.PluginChoice> configured = new LinkedHashMap<>();
        if (config.plugins().defaults().containsKey(id)) {
            configured.put("plugins.defaults." + id, config.plugins().defaults().get(id));
        }
        config.studios().forEach((studioId, studio) -> {
            if (studio.plugins().containsKey(id)) {
                configured.put("studios." + studioId + ".plugins." + id, studio.plugins().get(id));
            }
        });
        for (var choice : configured.entrySet()) {
            var problems = plugin.checkSettings(choice.getValue().settings().copy(), choice.getValue().enabled());
            if (!problems.isEmpty()) {
                throw new ConfigException("config " + choice.getKey() + ".settings." + problems.get(0).setting()
                        + ": " + problems.get(0).message());
            }
        }
    }

    /** Migrates the plugin's own schema from its {@code db/plugins/<id>} resources, when it has any. */
    private void migrate(PluginWrapper wrapper, String schema) {
        String location = "db/plugins/" + wrapper.getPluginId();
        if (wrapper.getPluginClassLoader().getResource(location) == null) {
            return;
        }
        Flyway.configure(wrapper.getPluginClassLoader())
                .dataSource(config.database().jdbcUrl(), config.database().user(), config.database().password())
                .schemas(schema)
                .createSchemas(true)
                .table("flyway_schema_history")
                .locations("classpath:" + location)
                .callbacks(new CitusDistribution(schema))
                .load()
                .migrate();
    }

    private void reportUnloadable(List<Path> roots) {
        Set<Path> loadedPaths = new HashSet<>();
        manager.getPlugins().forEach(w -> loadedPaths.add(w.getPluginPath().toAbsolutePath().normalize()));
        for (Path root : roots) {
            try (Stream<Path> entries = Files.list(root)) {
                entries.filter(p -> Files.isDirectory(p) || p.toString().endsWith(".jar") || p.toString().endsWith(".zip"))
                        .filter(p -> !loadedPaths.contains(p.toAbsolutePath().normalize()))
                        .forEach(p -> {
                            String name = p.getFileName().toString();
                            loaded.put(name, new Loaded(name, null, null, State.FAILED, "not a loadable plugin"));
                            LOG.error("{} is not a loadable plugin and is skipped", p);
                        });
            } catch (IOException e) {
                LOG.warn("Cannot list plugin directory {}: {}", root, e.toString());
            }
        }
    }

    private void record(PluginWrapper wrapper, State state, String problem) {
        loaded.put(wrapper.getPluginId(), new Loaded(wrapper.getPluginId(), wrapper.getDescriptor().getVersion(),
                wrapper.getDescriptor().getPluginDescription(), state, problem));
    }

    private void stopQuietly(String id) {
        try {
            if (manager.getPlugin(id).getPluginState() == PluginState.STARTED) {
                manager.stopPlugin(id);
            }
        } catch (RuntimeException e) {
            LOG.warn("Plugin {} did not stop cleanly: {}", id, e.toString());
        }
    }

    /** Every plugin found, started or not, by id. */
    public synchronized List<Loaded> plugins() {
        return List.copyOf(loaded.values());
    }

    /** A started plugin's host, or null. */
    public synchronized KernelPluginHost host(String pluginId) {
        return started.get(pluginId);
    }

    /** The started plugin of this id, or null. */
    public synchronized CreditlinePlugin plugin(String pluginId) {
        KernelPluginHost host = started.get(pluginId);
        return host == null ? null : host.plugin();
    }

    /** The extensions of a type of every started plugin, in plugin id order. */
    @SuppressWarnings("unchecked")
    <T> List<Found<T>> extensions(Class<T> type) {
        return (List<Found<T>>) (List<?>) extensions.computeIfAbsent(type, t -> {
            List<Found<?>> found = new ArrayList<>();
            if (manager != null) {
                for (String id : startedIds()) {
                    for (Object extension : manager.getExtensions(type, id)) {
                        found.add(new Found<>(id, extension));
                    }
                }
            }
            return List.copyOf(found);
        });
    }

    private synchronized List<String> startedIds() {
        return List.copyOf(started.keySet());
    }

    /** The extensions of a type whose plugins the studio enabled, each wrapped in the kernel's containment. */
    public <T> List<Extensions.Contained<T>> forStudio(String studioId, Class<T> type) {
        List<Extensions.Contained<T>> out = new ArrayList<>();
        for (Found<T> found : extensions(type)) {
            if (enablement.enabled(studioId, found.pluginId())) {
                out.add(contain(found, type));
            }
        }
        return out;
    }

    /** Whether the studio enabled the plugin. */
    boolean enabledFor(String studioId, String pluginId) {
        return enablement.enabled(studioId, pluginId);
    }

    /** An extension wrapped in the kernel's containment. */
    <T> Extensions.Contained<T> contain(Found<T> found, Class<T> type) {
        return new Contained<>(found.pluginId(), type.getSimpleName(), found.extension(), calls);
    }

    /** Whether any plugin the studio enabled provides this extension point. */
    public boolean studioHas(String studioId, Class<?> type) {
        for (Found<?> found : extensions(type)) {
            if (enablement.enabled(studioId, found.pluginId())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A file of a started plugin's own jar (never the kernel's nor another plugin's: its class loader's own URLs
     * only), or null.
     */
    public java.net.URL ownResource(String pluginId, String name) {
        PluginWrapper wrapper;
        synchronized (this) {
            if (manager == null || !started.containsKey(pluginId)) {
                return null;
            }
            wrapper = manager.getPlugin(pluginId);
        }
        ClassLoader loader = wrapper == null ? null : wrapper.getPluginClassLoader();
        return loader instanceof java.net.URLClassLoader own ? own.findResource(name) : null;
    }

    /** Mounts every started plugin's routes on a router (the kernel's routes are mounted first, and win). */
    public void mountRoutes(Router router) {
        for (String id : startedIds()) {
            started.get(id).http().mount(router);
        }
    }

    /** Stops the plugins one by one (PF4J's stopPlugins trips over its own list once a plugin started). */
    public synchronized void stop() {
        if (manager == null) {
            return;
        }
        List<String> ids = new ArrayList<>(started.keySet());
        java.util.Collections.reverse(ids);
        for (String id : ids) {
            stopQuietly(id);
        }
        started.clear();
        extensions.clear();
    }

    /** An extension called through the containment. */
    private record Contained<T>(String pluginId, String point, T extension, ContainedCalls calls)
            implements Extensions.Contained<T> {
        @Override
        public <R> io.vertx.core.Future<R> call(String operation, java.util.function.Function<T, io.vertx.core.Future<R>> call) {
            return calls.call(pluginId, point + "." + operation, extension, call);
        }

        @Override
        public <R> io.vertx.core.Future<R> call(String operation, java.time.Duration timeLimit,
                                                java.util.function.Function<T, io.vertx.core.Future<R>> call) {
            return calls.call(pluginId, point + "." + operation, timeLimit.toMillis(), extension, call);
        }
    }
}
