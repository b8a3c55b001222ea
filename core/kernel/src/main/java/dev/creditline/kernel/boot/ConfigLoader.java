package dev.creditline.kernel.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.creditline.store.DatabaseUrl;
import dev.creditline.store.StudioContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import dev.creditline.ledger.ConsumptionOrder;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code creditline.yaml} (or JSON) and applies the environment: {@code CREDITLINE_HTTP_PORT},
 * {@code CREDITLINE_DATABASE_URL}, {@code CREDITLINE_ADMIN_TOKEN} and {@code CREDITLINE_SECRETS_KEY} always win over
 * the file. A text value of the
 * form {@code ${env:NAME}} is read from the environment, so secrets need not be written into the file.
 */
public final class ConfigLoader {
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private ConfigLoader() {
    }

    /**
     * Loads the configuration.
     *
     * @param file the config file, or null for defaults only
     * @param env  the environment
     * @param home the installation directory: its {@code plugins/} is searched for plugins, and relative plugin
     *             directories are resolved against it; null for none
     * @throws ConfigException naming the bad setting
     */
    public static Config load(Path file, Map<String, String> env, Path home) {
        JsonNode root = file == null ? null : read(file);
        Config defaults = Config.defaults();
        Config.Builder config = defaults.toBuilder()
                .httpPort(integer(root, "http.port", defaults.httpPort(), 0, 65535, env))
                .httpInstances(integer(root, "http.instances", defaults.httpInstances(), 1, 64, env))
                .bodyLimit(integer(root, "http.bodyLimit", (int) defaults.bodyLimit(), 1024, 16 * 1024 * 1024, env))
                .apiKeyCacheTtl(duration(root, "http.apiKeyCacheTtl", defaults.apiKeyCacheTtl(), true, env))
                .database(databaseUrl(text(root, "database.url", defaults.database().toString(), env)))
                .poolSize(integer(root, "database.poolSize", defaults.poolSize(), 1, 500, env))
                .adminToken(blankToNull(text(root, "admin.token", null, env)))
                .expirySweepInterval(duration(root, "ledger.expirySweepInterval", defaults.expirySweepInterval(), env))
                .idempotencyRetention(duration(root, "ledger.idempotencyKeyRetention",
                        defaults.idempotencyRetention(), env))
                .plugins(plugins(root, env, home))
                .studios(studios(root, env))
                .metricsToken(blankToNull(text(root, "metrics.token", null, env)))
                .metricsRefreshInterval(duration(root, "metrics.refreshInterval", defaults.metricsRefreshInterval(),
                        env))
                .expiryWarningDays(integer(root, "ledger.expiryWarningDays", defaults.expiryWarningDays(), 0, 365,
                        env))
                .publicUrl(publicUrl(blankToNull(text(root, "http.publicUrl", null, env))))
                .secureCookies(secureCookies(text(root, "http.secureCookies", "auto", env)))
                .failedAuthPerClient(integer(root, "http.failedAuthPerClient", defaults.failedAuthPerClient(), 1,
                        1_000_000, env))
                .secretsKey(blankToNull(text(root, "secrets.key", null, env)))
                .connections(new Config.Connections(
                        duration(root, "http.idleTimeout", defaults.connections().idleTimeout(), env),
                        duration(root, "http.headerReadTimeout", defaults.connections().headerReadTimeout(), env),
                        duration(root, "http.bodyReadTimeout", defaults.connections().bodyReadTimeout(), env),
                        integer(root, "http.maxConnections", defaults.connections().maxConnections(), 1, 1 << 20,
                                env),
                        integer(root, "http.maxConnectionsPerAddress",
                                defaults.connections().maxConnectionsPerAddress(), 0, 1 << 20, env),
                        bool(root, "http.h2c", env)));
        String port = env.get("CREDITLINE_HTTP_PORT");
        if (port != null && !port.isBlank()) {
            config.httpPort(parseInt("CREDITLINE_HTTP_PORT", port.trim(), 0, 65535));
        }
        String url = env.get("CREDITLINE_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            config.database(databaseUrl(url));
        }
        String token = env.get("CREDITLINE_ADMIN_TOKEN");
        if (token != null && !token.isBlank()) {
            config.adminToken(token.trim());
        }
        String secretsKey = env.get("CREDITLINE_SECRETS_KEY");
        if (secretsKey != null && !secretsKey.isBlank()) {
            config.secretsKey(secretsKey.trim());
        }
        Config built = config.build();
        if (built.adminToken() != null && built.adminToken().length() < 16) {
            throw new ConfigException("admin token: must be at least 16 characters");
        }
        return built;
    }

    private static String publicUrl(String url) {
        if (url == null) {
            return null;
        }
        if (!url.matches("https?://[^/\\s]+(/\\S*)?")) {
            throw new ConfigException("http.publicUrl: must be an http:// or https:// address such as"
                    + " https://credits.example.com, not '" + url + "'");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static Config.SecureCookies secureCookies(String value) {
        try {
            return Config.SecureCookies.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("http.secureCookies: must be auto, true or false, not '" + value + "'");
        }
    }

    /** Loads the configuration without an installation directory (no plugins unless the file names some). */
    public static Config load(Path file, Map<String, String> env) {
        return load(file, env, null);
    }

    private static Config.Plugins plugins(JsonNode root, Map<String, String> env, Path home) {
        List<Path> directories = new ArrayList<>();
        if (home != null) {
            directories.add(home.resolve("plugins"));
        }
        for (String directory : texts(root, "plugins.directories", env)) {
            Path path = Path.of(directory);
            directories.add(home == null || path.isAbsolute() ? path : home.resolve(path));
        }
        List<String> start = node(root, "plugins.start") == null ? null : texts(root, "plugins.start", env);
        return new Config.Plugins(directories, start == null ? null : new LinkedHashSet<>(start),
                choices(node(root, "plugins.defaults"), "plugins.defaults", env),
                duration(root, "plugins.callTimeout", Duration.ofSeconds(2), env), serverSettings(root, env));
    }

    /** plugins.serverSettings: plugin id → the operator's settings (checked against the plugin's declaration). */
    private static Map<String, JsonObject> serverSettings(JsonNode root, Map<String, String> env) {
        Map<String, JsonObject> out = new LinkedHashMap<>();
        JsonNode node = node(root, "plugins.serverSettings");
        if (node != null && !node.isObject()) {
            throw new ConfigException("plugins.serverSettings: must map plugin ids to their settings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node == null ? List.<Map.Entry<String, JsonNode>>of()
                .iterator() : node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> plugin = it.next();
            String at = "plugins.serverSettings." + plugin.getKey();
            if (!plugin.getValue().isObject()) {
                throw new ConfigException(at + ": must be a map of settings");
            }
            out.put(plugin.getKey(), resolveAll(at, plugin.getValue(), env));
        }
        return out;
    }

    private static Map<String, Config.Studio> studios(JsonNode root, Map<String, String> env) {
        JsonNode studios = node(root, "studios");
        if (studios == null) {
            return Map.of();
        }
        if (!studios.isObject()) {
            throw new ConfigException("studios: must map studio ids to their settings");
        }
        Map<String, Config.Studio> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = studios.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> studio = it.next();
            String path = "studios." + studio.getKey();
            String order = text(studio.getValue(), "consumptionOrder", null, env);
            ConsumptionOrder consumptionOrder = null;
            if (order != null) {
                try {
                    consumptionOrder = ConsumptionOrder.valueOf(order.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(path + ".consumptionOrder: must be fifo or earliest_expiry, not '"
                            + order + "'");
                }
            }
            JsonNode days = studio.getValue() == null ? null : studio.getValue().get("expiryWarningDays");
            Integer warningDays = days == null ? null : integer(studio.getValue(), "expiryWarningDays",
                    StudioContext.DEFAULT_WARNING_DAYS, 0, 365, env);
            out.put(studio.getKey(), new Config.Studio(consumptionOrder,
                    choices(node(studio.getValue(), "plugins"), path + ".plugins", env), warningDays));
        }
        return out;
    }

    /** plugin id → {enabled, settings}. */
    private static Map<String, Config.PluginChoice> choices(JsonNode node, String path, Map<String, String> env) {
        if (node == null) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new ConfigException(path + ": must map plugin ids to {enabled, settings}");
        }
        Map<String, Config.PluginChoice> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> plugin = it.next();
            String at = path + "." + plugin.getKey();
            JsonNode enabled = plugin.getValue().get("enabled");
            if (enabled != null && !enabled.isBoolean()) {
                throw new ConfigException(at + ".enabled: must be true or false");
            }
            JsonNode settings = plugin.getValue().get("settings");
            if (settings != null && !settings.isObject()) {
                throw new ConfigException(at + ".settings: must be a map of settings");
            }
            JsonObject resolved = settings == null ? new JsonObject() : resolveAll(at + ".settings", settings, env);
            out.put(plugin.getKey(), new Config.PluginChoice(enabled == null || enabled.booleanValue(), resolved));
        }
        return out;
    }

    /** A settings map with every {@code ${env:NAME}} in its texts resolved. */
    private static JsonObject resolveAll(String path, JsonNode settings, Map<String, String> env) {
        JsonObject out = new JsonObject(settings.toString());
        resolveIn(path, out, env);
        return out;
    }

    private static void resolveIn(String path, JsonObject object, Map<String, String> env) {
        for (String key : object.fieldNames()) {
            Object value = object.getValue(key);
            if (value instanceof String text) {
                object.put(key, resolve(path + "." + key, text, env));
            } else if (value instanceof JsonObject nested) {
                resolveIn(path + "." + key, nested, env);
            }
        }
    }

    private static List<String> texts(JsonNode root, String path, Map<String, String> env) {
        JsonNode node = node(root, path);
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ConfigException(path + ": must be a list");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isValueNode()) {
                throw new ConfigException(path + ": must be a list of texts");
            }
            out.add(resolve(path, item.asText(), env));
        }
        return out;
    }

    private static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist (set CREDITLINE_CONFIG to its path)");
        }
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            if (root != null && !root.isNull() && !root.isMissingNode() && !root.isObject()) {
                throw new ConfigException("config file " + file + " must hold a map of settings");
            }
            return root;
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static JsonNode node(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            if (node == null || node.isNull() || node.isMissingNode()) {
                return null;
            }
            node = node.get(part);
        }
        return node == null || node.isNull() ? null : node;
    }

    private static String text(JsonNode root, String path, String fallback, Map<String, String> env) {
        JsonNode node = node(root, path);
        if (node == null) {
            return fallback;
        }
        if (!node.isValueNode()) {
            throw new ConfigException(path + ": must be a single value");
        }
        return resolve(path, node.asText(), env);
    }

    /** Replaces {@code ${env:NAME}} references by the environment's values. */
    public static String resolve(String path, String value, Map<String, String> env) {
        Matcher matcher = ENV_REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement = env.get(matcher.group(1));
            if (replacement == null) {
                throw new ConfigException(path + ": environment variable " + matcher.group(1) + " is not set");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static boolean bool(JsonNode root, String path, Map<String, String> env) {
        String value = text(root, path, "false", env).trim();
        if (!value.equals("true") && !value.equals("false")) {
            throw new ConfigException(path + ": must be true or false, not '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    private static int integer(JsonNode root, String path, int fallback, int min, int max, Map<String, String> env) {
        String value = text(root, path, null, env);
        return value == null ? fallback : parseInt(path, value, min, max);
    }

    private static int parseInt(String name, String value, int min, int max) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(name + ": must be a whole number from " + min + " to " + max + ", not '" + value + "'");
    }

    private static Duration duration(JsonNode root, String path, Duration fallback, Map<String, String> env) {
        return duration(root, path, fallback, false, env);
    }

    private static Duration duration(JsonNode root, String path, Duration fallback, boolean zeroAllowed,
                                     Map<String, String> env) {
        String value = text(root, path, null, env);
        if (value == null) {
            return fallback;
        }
        try {
            Duration parsed = Duration.parse(value);
            if (!parsed.isNegative() && (zeroAllowed || !parsed.isZero())) {
                return parsed;
            }
        } catch (DateTimeParseException ignored) {
            // reported below
        }
        throw new ConfigException(path + ": must be a " + (zeroAllowed ? "" : "positive ")
                + "ISO 8601 duration such as PT30S" + (zeroAllowed ? " (PT0S for none)" : "") + ", not '" + value + "'");
    }

    private static DatabaseUrl databaseUrl(String value) {
        try {
            return DatabaseUrl.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
