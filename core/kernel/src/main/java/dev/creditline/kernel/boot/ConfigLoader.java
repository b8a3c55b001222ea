package dev.creditline.kernel.boot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.kernel.http.TrustedProxies;
import dev.creditline.store.DatabaseUrl;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code creditline.yaml} (or JSON) into {@link ConfigFile} and applies the defaults and the environment:
 * {@code CREDITLINE_HTTP_PORT}, {@code CREDITLINE_MANAGEMENT_PORT}, {@code CREDITLINE_DATABASE_URL},
 * {@code CREDITLINE_ADMIN_TOKEN} and {@code CREDITLINE_SECRETS_KEY} always win over the file. A text value of the
 * form {@code ${env:NAME}} is read from the environment, so secrets need not be written into the file. Every error
 * names the setting's path, and where the file is at fault its line and column.
 */
public final class ConfigLoader {
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
        ConfigFile read = file == null ? ConfigFileReader.empty(ConfigFile.class) : ConfigFileReader.read(file, env);
        Config defaults = Config.defaults();
        ConfigFile.Http http = orEmpty(read.http(), ConfigFile.Http.class);
        ConfigFile.Database database = orEmpty(read.database(), ConfigFile.Database.class);
        ConfigFile.Ledger ledger = orEmpty(read.ledger(), ConfigFile.Ledger.class);
        ConfigFile.Management management = orEmpty(read.management(), ConfigFile.Management.class);
        Config.Connections connections = defaults.connections();
        Config.Builder config = defaults.toBuilder()
                .httpPort(between("http.port", http.port(), defaults.httpPort(), 0, 65535))
                .httpHost(host("http.host", http.host(), defaults.httpHost()))
                .httpInstances(between("http.instances", http.instances(), defaults.httpInstances(), 1, 64))
                .bodyLimit(between("http.bodyLimit", http.bodyLimit(), (int) defaults.bodyLimit(), 1024,
                        16 * 1024 * 1024))
                .apiKeyCacheTtl(duration("http.apiKeyCacheTtl", http.apiKeyCacheTtl(), defaults.apiKeyCacheTtl(),
                        true))
                .publicUrl(publicUrl(nonBlank(http.publicUrl())))
                .secureCookies(secureCookies(http.secureCookies(), defaults.secureCookies()))
                .failedAuthPerClient(between("http.failedAuthPerClient", http.failedAuthPerClient(),
                        defaults.failedAuthPerClient(), 1, 1_000_000))
                .connections(new Config.Connections(
                        duration("http.idleTimeout", http.idleTimeout(), connections.idleTimeout(), false),
                        duration("http.headerReadTimeout", http.headerReadTimeout(),
                                connections.headerReadTimeout(), false),
                        duration("http.bodyReadTimeout", http.bodyReadTimeout(), connections.bodyReadTimeout(),
                                false),
                        between("http.maxConnections", http.maxConnections(), connections.maxConnections(), 1,
                                1 << 20),
                        between("http.maxConnectionsPerAddress", http.maxConnectionsPerAddress(),
                                connections.maxConnectionsPerAddress(), 0, 1 << 20),
                        http.h2c() != null ? http.h2c() : connections.h2c()))
                .trustedProxies(trustedProxies(http.trustedProxies()))
                .database(database.url() == null ? defaults.database() : databaseUrl(database.url()))
                .poolSize(between("database.poolSize", database.poolSize(), defaults.poolSize(), 1, 500))
                .writeLanes(between("database.writeLanes", database.writeLanes(), defaults.writeLanes(), 1, 64))
                .adminToken(nonBlank(orEmpty(read.admin(), ConfigFile.Admin.class).token()))
                .expirySweepInterval(duration("ledger.expirySweepInterval", ledger.expirySweepInterval(),
                        defaults.expirySweepInterval(), false))
                .idempotencyRetention(duration("ledger.idempotencyKeyRetention", ledger.idempotencyKeyRetention(),
                        defaults.idempotencyRetention(), false))
                .expiryWarningDays(between("ledger.expiryWarningDays", ledger.expiryWarningDays(),
                        defaults.expiryWarningDays(), 0, 365))
                .secretsKey(nonBlank(orEmpty(read.secrets(), ConfigFile.Secrets.class).key()))
                .metricsRefreshInterval(duration("metrics.refreshInterval",
                        orEmpty(read.metrics(), ConfigFile.Metrics.class).refreshInterval(),
                        defaults.metricsRefreshInterval(), false))
                .management(new Config.Management(
                        host("management.host", management.host(), defaults.management().host()),
                        between("management.port", management.port(), defaults.management().port(), 0, 65535),
                        nonBlank(management.token())))
                .plugins(plugins(orEmpty(read.plugins(), ConfigFile.Plugins.class), home))
                .studios(studios(read.studios()));
        applyEnvironment(config, env);
        Config built = config.build();
        if (built.adminToken() != null && built.adminToken().length() < 16) {
            throw new ConfigException("admin token: must be at least 16 characters");
        }
        if (built.management().port() != 0 && built.management().port() == built.httpPort()
                && built.management().host().equals(built.httpHost())) {
            throw new ConfigException("management.port: must differ from http.port (" + built.httpPort() + ")");
        }
        return built;
    }

    /** Loads the configuration without an installation directory (no plugins unless the file names some). */
    public static Config load(Path file, Map<String, String> env) {
        return load(file, env, null);
    }

    private static void applyEnvironment(Config.Builder config, Map<String, String> env) {
        String port = nonBlank(env.get("CREDITLINE_HTTP_PORT"));
        if (port != null) {
            config.httpPort(parseInt("CREDITLINE_HTTP_PORT", port, 0, 65535));
        }
        String managementPort = nonBlank(env.get("CREDITLINE_MANAGEMENT_PORT"));
        if (managementPort != null) {
            Config.Management management = config.build().management();
            config.management(new Config.Management(management.host(),
                    parseInt("CREDITLINE_MANAGEMENT_PORT", managementPort, 0, 65535), management.token()));
        }
        String url = nonBlank(env.get("CREDITLINE_DATABASE_URL"));
        if (url != null) {
            config.database(databaseUrl(url));
        }
        String token = nonBlank(env.get("CREDITLINE_ADMIN_TOKEN"));
        if (token != null) {
            config.adminToken(token);
        }
        String secretsKey = nonBlank(env.get("CREDITLINE_SECRETS_KEY"));
        if (secretsKey != null) {
            config.secretsKey(secretsKey);
        }
    }

    private static Config.Plugins plugins(ConfigFile.Plugins plugins, Path home) {
        List<Path> directories = new ArrayList<>();
        if (home != null) {
            directories.add(home.resolve("plugins"));
        }
        for (String directory : orEmpty(plugins.directories())) {
            Path path = Path.of(directory);
            directories.add(home == null || path.isAbsolute() ? path : home.resolve(path));
        }
        Map<String, JsonObject> serverSettings = new LinkedHashMap<>();
        orEmpty(plugins.serverSettings()).forEach((id, settings) -> serverSettings.put(id, settings(settings)));
        return new Config.Plugins(directories,
                plugins.start() == null ? null : new LinkedHashSet<>(plugins.start()),
                choices(plugins.defaults()),
                duration("plugins.callTimeout", plugins.callTimeout(), Config.Plugins.none().callTimeout(), false),
                serverSettings);
    }

    private static Map<String, Config.Studio> studios(Map<String, ConfigFile.Studio> studios) {
        Map<String, Config.Studio> out = new LinkedHashMap<>();
        orEmpty(studios).forEach((id, read) -> {
            ConfigFile.Studio studio = orEmpty(read, ConfigFile.Studio.class);
            Integer warningDays = studio.expiryWarningDays() == null ? null
                    : between("studios." + id + ".expiryWarningDays", studio.expiryWarningDays(), 0, 0, 365);
            out.put(id, new Config.Studio(studio.consumptionOrder(), choices(studio.plugins()), warningDays));
        });
        return out;
    }

    /** A plugin's settings as the kernel holds them; none given: empty. */
    private static JsonObject settings(ObjectNode read) {
        return read == null ? new JsonObject() : new JsonObject(read.toString());
    }

    /** plugin id → {enabled, settings}. */
    private static Map<String, Config.PluginChoice> choices(Map<String, ConfigFile.PluginChoice> read) {
        Map<String, Config.PluginChoice> out = new LinkedHashMap<>();
        orEmpty(read).forEach((id, given) -> {
            ConfigFile.PluginChoice choice = orEmpty(given, ConfigFile.PluginChoice.class);
            out.put(id, new Config.PluginChoice(choice.enabled() == null || choice.enabled(),
                    settings(choice.settings())));
        });
        return out;
    }

    private static <T> T orEmpty(T section, Class<T> type) {
        return section != null ? section : ConfigFileReader.empty(type);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static <V> Map<String, V> orEmpty(Map<String, V> map) {
        return map == null ? Map.of() : map;
    }

    private static int between(String path, Integer value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw new ConfigException(path + ": must be a whole number from " + min + " to " + max + ", not '"
                    + value + "'");
        }
        return value;
    }

    private static int parseInt(String name, String value, int min, int max) {
        try {
            return between(name, Integer.parseInt(value.trim()), 0, min, max);
        } catch (NumberFormatException e) {
            throw new ConfigException(name + ": must be a whole number from " + min + " to " + max + ", not '"
                    + value + "'");
        }
    }

    private static Duration duration(String path, Duration value, Duration fallback, boolean zeroAllowed) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || (!zeroAllowed && value.isZero())) {
            throw new ConfigException(path + ": must be a " + (zeroAllowed ? "" : "positive ")
                    + "ISO 8601 duration such as PT30S" + (zeroAllowed ? " (PT0S for none)" : "") + ", not '"
                    + value + "'");
        }
        return value;
    }

    /** An address to listen on: a name or an IP address, without a port or a scheme. */
    private static String host(String path, String value, String fallback) {
        String host = nonBlank(value);
        if (host == null) {
            return fallback;
        }
        if (!host.matches("[A-Za-z0-9.\\-]+|\\[?[0-9A-Fa-f:.]+]?")) {
            throw new ConfigException(path + ": must be a host name or an IP address such as 127.0.0.1 or 0.0.0.0,"
                    + " not '" + value + "'");
        }
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** Replaces {@code ${env:NAME}} references by the environment's values. */
    public static String resolve(String path, String value, Map<String, String> env) {
        return ConfigFileReader.resolve(path, value, env);
    }

    private static TrustedProxies trustedProxies(List<String> entries) {
        try {
            return TrustedProxies.parse(orEmpty(entries));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("http.trustedProxies" + e.getMessage());
        }
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

    private static Config.SecureCookies secureCookies(String value, Config.SecureCookies fallback) {
        if (nonBlank(value) == null) {
            return fallback;
        }
        try {
            return Config.SecureCookies.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("http.secureCookies: must be auto, true or false, not '" + value + "'");
        }
    }

    private static DatabaseUrl databaseUrl(String value) {
        try {
            return DatabaseUrl.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

}
