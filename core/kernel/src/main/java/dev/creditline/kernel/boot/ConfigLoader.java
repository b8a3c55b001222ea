package dev.creditline.kernel.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.creditline.store.DatabaseUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code creditline.yaml} (or JSON) and applies the environment: {@code CREDITLINE_HTTP_PORT},
 * {@code CREDITLINE_DATABASE_URL} and {@code CREDITLINE_ADMIN_TOKEN} always win over the file. A text value of the
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
     * @throws ConfigException naming the bad setting
     */
    public static Config load(Path file, Map<String, String> env) {
        JsonNode root = file == null ? null : read(file);
        Config defaults = Config.defaults();
        Config config = new Config(
                integer(root, "http.port", defaults.httpPort(), 0, 65535, env),
                integer(root, "http.instances", defaults.httpInstances(), 1, 64, env),
                integer(root, "http.bodyLimit", (int) defaults.bodyLimit(), 1024, 16 * 1024 * 1024, env),
                databaseUrl(text(root, "database.url", defaults.database().toString(), env)),
                integer(root, "database.poolSize", defaults.poolSize(), 1, 500, env),
                blankToNull(text(root, "admin.token", null, env)),
                duration(root, "ledger.expirySweepInterval", defaults.expirySweepInterval(), env),
                duration(root, "ledger.idempotencyKeyRetention", defaults.idempotencyRetention(), env));
        String port = env.get("CREDITLINE_HTTP_PORT");
        if (port != null && !port.isBlank()) {
            config = config.withHttpPort(parseInt("CREDITLINE_HTTP_PORT", port.trim(), 0, 65535));
        }
        String url = env.get("CREDITLINE_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            config = config.withDatabase(databaseUrl(url));
        }
        String token = env.get("CREDITLINE_ADMIN_TOKEN");
        if (token != null && !token.isBlank()) {
            config = config.withAdminToken(token.trim());
        }
        if (config.adminToken() != null && config.adminToken().length() < 16) {
            throw new ConfigException("admin token: must be at least 16 characters");
        }
        return config;
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
    static String resolve(String path, String value, Map<String, String> env) {
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
        String value = text(root, path, null, env);
        if (value == null) {
            return fallback;
        }
        try {
            Duration parsed = Duration.parse(value);
            if (!parsed.isNegative() && !parsed.isZero()) {
                return parsed;
            }
        } catch (DateTimeParseException ignored) {
            // reported below
        }
        throw new ConfigException(path + ": must be a positive ISO 8601 duration such as PT30S, not '" + value + "'");
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
