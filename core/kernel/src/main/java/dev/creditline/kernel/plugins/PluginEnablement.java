package dev.creditline.kernel.plugins;

import dev.creditline.store.citus.MultiShard;
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
import java.util.Set;
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
    private final SettingsCipher cipher;
    private final Map<String, String> env;
    private volatile Map<String, Choice> stored = Map.of();
    /** Saves applied on this node; a reload that a save overtook must not bring back the rows from before it. */
    private long saves;
    private long timer = -1;

    @Inject
    public PluginEnablement(Config config, Pool pool, SettingsCipher cipher) {
        this.config = config;
        this.pool = pool;
        this.cipher = cipher;
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

    /**
     * Stores a studio's choice and applies it at once on this node. The secret settings are stored encrypted (when no
     * secrets key is configured, only secrets stored before are kept, as they were: the caller refuses new ones).
     */
    public Future<Void> save(String studioId, String pluginId, boolean enabled, JsonObject settings,
                             Set<String> secrets) {
        JsonObject row = sealed(studioId, pluginId, settings, secrets);
        return pool.preparedQuery("""
                        INSERT INTO plugin_settings (studio_id, plugin_id, enabled, settings, updated_at)
                        VALUES ($1, $2, $3, $4, now())
                        ON CONFLICT (studio_id, plugin_id)
                        DO UPDATE SET enabled = $3, settings = $4, updated_at = EXCLUDED.updated_at""")
                .execute(Tuple.of(studioId, pluginId, enabled, row))
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

    /** Whether secrets can be stored: a secrets key is configured. */
    public boolean canStoreSecrets() {
        return cipher.canEncrypt();
    }

    /** The settings as they are stored: secrets encrypted with the current key (when there is one). */
    private JsonObject sealed(String studioId, String pluginId, JsonObject settings, Set<String> secrets) {
        JsonObject out = settings.copy();
        if (cipher.canEncrypt()) {
            for (String name : secrets) {
                if (out.getValue(name) instanceof String plaintext) {
                    out.put(name, cipher.encrypt(studioId, pluginId, name, plaintext));
                }
            }
        }
        return out;
    }

    /** Stored settings as plugins read them: every encrypted value decrypted (fails naming the row and key). */
    private JsonObject opened(String studioId, String pluginId, JsonObject stored) {
        JsonObject out = stored.copy();
        for (String name : stored.fieldNames()) {
            if (SettingsCipher.isEncrypted(stored.getValue(name))) {
                out.put(name, cipher.decrypt(studioId, pluginId, name, stored.getString(name)));
            }
        }
        return out;
    }

    /**
     * Rewrites the stored secrets that are not encrypted with the current key: plain text from before secrets were
     * encrypted, or another key's after a rotation. Run at start, when the plugins have said which of their
     * settings are secret, so that no secret waits in plain text for a studio's next change. A row changed meanwhile
     * (by another node) is left to that change. Answers how many rows were rewritten.
     *
     * @param secretsOf a started plugin's secret settings; null for a plugin that is not running
     */
    public Future<Integer> encryptStored(java.util.function.Function<String, Set<String>> secretsOf) {
        return MultiShard.query(pool, "SELECT studio_id, plugin_id, settings FROM plugin_settings", Tuple.tuple()).compose(rows -> {
            // One row after another: a large table must not flood the pool's wait queue at start.
            Future<Integer> rewritten = Future.succeededFuture(0);
            int plain = 0;
            for (Row row : rows) {
                String studioId = row.getString("studio_id");
                String pluginId = row.getString("plugin_id");
                Set<String> secrets = secretsOf.apply(pluginId);
                JsonObject before = row.getJsonObject("settings");
                if (secrets == null || before == null || secrets.stream().allMatch(name -> before.getValue(name)
                        == null || cipher.isCurrent(before.getValue(name)))) {
                    continue;
                }
                if (!cipher.canEncrypt()) {
                    plain++;
                    continue;
                }
                JsonObject after = sealed(studioId, pluginId, opened(studioId, pluginId, before), secrets);
                rewritten = rewritten.compose(n -> pool.preparedQuery("UPDATE plugin_settings SET settings = $3"
                                + " WHERE studio_id = $1 AND plugin_id = $2 AND settings = $4")
                        .execute(Tuple.of(studioId, pluginId, after, before)).map(r -> n + r.rowCount()));
            }
            if (plain > 0) {
                LOG.warn("{} plugin settings hold secrets in plain text: set secrets.key (CREDITLINE_SECRETS_KEY)"
                        + " to have them encrypted at the next start", plain);
            }
            return rewritten;
        }).onSuccess(n -> {
            if (n > 0) {
                LOG.info("Encrypted the secrets of {} plugin settings with key {}", n, cipher.currentKeyId());
            }
        });
    }

    /** Reads every studio's stored choices. */
    public Future<Void> reload() {
        long savesBefore;
        synchronized (this) {
            savesBefore = saves;
        }
        return MultiShard.query(pool, "SELECT studio_id, plugin_id, enabled, settings FROM plugin_settings",
                        Tuple.tuple())
                .compose(rows -> {
                    Map<String, Choice> next = new HashMap<>();
                    for (Row row : rows) {
                        JsonObject settings = row.getJsonObject("settings");
                        String studioId = row.getString("studio_id");
                        String pluginId = row.getString("plugin_id");
                        next.put(key(studioId, pluginId), new Choice(row.getBoolean("enabled"),
                                settings == null ? new JsonObject() : opened(studioId, pluginId, settings)));
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
