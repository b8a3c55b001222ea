package dev.creditline.kernel.plugins;

import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.boot.ConfigException;
import dev.creditline.kernel.boot.ConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which plugins each studio enabled, with what settings: what a studio stored ({@code PUT /v1/plugins/{id}}) wins
 * over its section of the config file, which wins over the config's defaults. Served from memory; reloaded from the
 * database every few seconds so that every kernel node follows a change.
 */
@Singleton
public final class PluginEnablement {
    private static final Logger LOG = LoggerFactory.getLogger(PluginEnablement.class);

    /** A studio's choice for a plugin. */
    record Choice(boolean enabled, JsonObject settings) {
    }

    private final Config config;
    private final Pool pool;
    private final Map<String, String> env;
    private volatile Map<String, Choice> stored = Map.of();
    /** Saves applied on this node; a reload that a save overtook must not bring back the rows from before it. */
    private long saves;
    private long timer = -1;

    @Inject
    public PluginEnablement(Config config, Pool pool) {
        this.config = config;
        this.pool = pool;
        this.env = System.getenv();
    }

    /** Whether the studio enabled the plugin. */
    public boolean enabled(String studioId, String pluginId) {
        Choice choice = choice(studioId, pluginId);
        return choice != null && choice.enabled();
    }

    /** The studio's settings for the plugin, with {@code ${env:NAME}} resolved; empty when none. */
    public JsonObject settings(String studioId, String pluginId) {
        Choice choice = choice(studioId, pluginId);
        return choice == null ? new JsonObject() : resolved(choice.settings());
    }

    /** The settings as stored, references unresolved (for showing them, masked). */
    public JsonObject rawSettings(String studioId, String pluginId) {
        Choice choice = choice(studioId, pluginId);
        return choice == null ? new JsonObject() : choice.settings().copy();
    }

    private Choice choice(String studioId, String pluginId) {
        Choice own = stored.get(key(studioId, pluginId));
        if (own != null) {
            return own;
        }
        Config.Studio studio = config.studios().get(studioId);
        Config.PluginChoice configured = studio == null ? null : studio.plugins().get(pluginId);
        if (configured == null) {
            configured = config.plugins().defaults().get(pluginId);
        }
        return configured == null ? null : new Choice(configured.enabled(), configured.settings());
    }

    /**
     * What the studio stored for its plugins, as a value: two reads are equal until the studio changes a choice or a
     * setting (on any node, once reloaded). Lets retries that wait out a failing plugin start over after a fix.
     */
    public Object revision(String studioId) {
        String prefix = studioId + "\u0000";
        Map<String, Choice> own = new HashMap<>();
        stored.forEach((key, choice) -> {
            if (key.startsWith(prefix)) {
                own.put(key, choice);
            }
        });
        return own;
    }

    /** Stores a studio's choice and applies it at once on this node. */
    public Future<Void> save(String studioId, String pluginId, boolean enabled, JsonObject settings) {
        return pool.preparedQuery("""
                        INSERT INTO plugin_settings (studio_id, plugin_id, enabled, settings, updated_at)
                        VALUES ($1, $2, $3, $4, now())
                        ON CONFLICT (studio_id, plugin_id)
                        DO UPDATE SET enabled = $3, settings = $4, updated_at = now()""")
                .execute(Tuple.of(studioId, pluginId, enabled, settings))
                .onSuccess(done -> {
                    synchronized (this) {
                        saves++;
                        Map<String, Choice> next = new HashMap<>(stored);
                        next.put(key(studioId, pluginId), new Choice(enabled, settings.copy()));
                        stored = Map.copyOf(next);
                    }
                })
                .mapEmpty();
    }

    /** Reads every studio's stored choices. */
    public Future<Void> reload() {
        long savesBefore;
        synchronized (this) {
            savesBefore = saves;
        }
        return pool.query("SELECT studio_id, plugin_id, enabled, settings FROM plugin_settings").execute()
                .compose(rows -> {
                    Map<String, Choice> next = new HashMap<>();
                    for (Row row : rows) {
                        JsonObject settings = row.getJsonObject("settings");
                        next.put(key(row.getString("studio_id"), row.getString("plugin_id")),
                                new Choice(row.getBoolean("enabled"), settings == null ? new JsonObject() : settings));
                    }
                    synchronized (this) {
                        if (saves == savesBefore) {
                            stored = Map.copyOf(next);
                            return Future.<Void>succeededFuture();
                        }
                    }
                    // A save on this node finished while the rows were read: they may predate it, so read again.
                    return reload();
                });
    }

    /** Reloads periodically, so changes made on other kernel nodes apply here within the interval. */
    public void startRefreshing(Vertx vertx, Duration every) {
        timer = vertx.setPeriodic(every.toMillis(), id -> reload()
                .onFailure(e -> LOG.warn("Cannot reload plugin settings: {}", e.toString())));
    }

    public void stopRefreshing(Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** The settings with environment references resolved; an unset variable resolves to nothing. */
    public JsonObject resolved(JsonObject settings) {
        JsonObject out = settings.copy();
        resolveIn(out);
        return out;
    }

    private void resolveIn(JsonObject object) {
        for (String name : object.fieldNames()) {
            Object value = object.getValue(name);
            if (value instanceof String text) {
                try {
                    object.put(name, ConfigLoader.resolve(name, text, env));
                } catch (ConfigException e) {
                    object.putNull(name);
                }
            } else if (value instanceof JsonObject nested) {
                resolveIn(nested);
            }
        }
    }

    /** The environment variables a settings map refers to that are not set. */
    public java.util.List<String> missingEnvironment(JsonObject settings) {
        java.util.List<String> missing = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}")
                .matcher(settings.encode());
        while (m.find()) {
            if (env.get(m.group(1)) == null) {
                missing.add(m.group(1));
            }
        }
        return missing;
    }

    private static String key(String studioId, String pluginId) {
        return studioId + "\u0000" + pluginId;
    }
}
