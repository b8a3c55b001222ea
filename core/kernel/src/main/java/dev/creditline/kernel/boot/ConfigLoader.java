package dev.creditline.kernel.boot;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.creditline.kernel.http.TrustedProxies;
import dev.creditline.store.DatabaseUrl;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads {@code creditline.yaml} (or JSON) into {@link ConfigFile} and applies the defaults and the environment:
 * {@code CREDITLINE_HTTP_PORT}, {@code CREDITLINE_MANAGEMENT_PORT}, {@code CREDITLINE_DATABASE_URL},
 * {@code CREDITLINE_ADMIN_TOKEN} and {@code CREDITLINE_SECRETS_KEY} always win over the file. A text value of the
 * form {@code ${env:NAME}} is read from the environment, so secrets need not be written into the file. Every error
 * names the setting's path, and where the file is at fault its line and column.
 */
public final class ConfigLoader {
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
    private static final JsonMapper MAPPER = JsonMapper.builder(new YAMLFactory())
            .addModule(new JavaTimeModule())
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

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
        ConfigFile read = file == null ? empty(ConfigFile.class) : read(file, env);
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
        orEmpty(plugins.serverSettings()).forEach((id, settings) ->
                serverSettings.put(id, settings == null ? new JsonObject() : new JsonObject(settings.toString())));
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

    /** plugin id → {enabled, settings}. */
    private static Map<String, Config.PluginChoice> choices(Map<String, ConfigFile.PluginChoice> read) {
        Map<String, Config.PluginChoice> out = new LinkedHashMap<>();
        orEmpty(read).forEach((id, given) -> {
            ConfigFile.PluginChoice choice = orEmpty(given, ConfigFile.PluginChoice.class);
            ObjectNode settings = choice.settings();
            out.put(id, new Config.PluginChoice(choice.enabled() == null || choice.enabled(),
                    settings == null ? new JsonObject() : new JsonObject(settings.toString())));
        });
        return out;
    }

    /** Binds the file, resolving {@code ${env:NAME}} in its texts as they are read. */
    private static ConfigFile read(Path file, Map<String, String> env) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist (set CREDITLINE_CONFIG to its path)");
        }
        EnvironmentResolving parser;
        try {
            parser = new EnvironmentResolving(MAPPER.createParser(file.toFile()), env);
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        }
        try (parser) {
            ConfigFile read = parser.nextToken() == null ? null : MAPPER.readValue(parser, ConfigFile.class);
            return read == null ? empty(ConfigFile.class) : read;
        } catch (JacksonException e) {
            throw new ConfigException(describe(e, file, parser));
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        } catch (RuntimeException e) {
            throw causeOrThis(e);
        }
    }

    /** What is wrong where, in an operator's words: the setting's path, what it must be, line and column. */
    private static String describe(JacksonException e, Path file, EnvironmentResolving parser) {
        ConfigException ours = configCause(e);
        if (ours != null) {
            return ours.getMessage();
        }
        StreamReadException unreadable = unreadable(e);
        if (unreadable != null) {
            return "config file " + file + " is not valid YAML" + yamlProblem(unreadable);
        }
        JsonLocation location = e instanceof JsonMappingException mapping
                ? parser.locations.getOrDefault(pointer(mapping), e.getLocation()) : e.getLocation();
        String line = location == null ? "" : "line " + location.getLineNr() + ", column " + location.getColumnNr();
        String at = " (" + file + (line.isEmpty() ? "" : " " + line) + ")";
        if (e instanceof UnrecognizedPropertyException unknown) {
            String path = path(unknown);
            int dot = path.lastIndexOf('.');
            String section = dot < 0 ? "the file" : path.substring(0, dot);
            return path + ": not a setting" + at + "; " + section + " has " + known(unknown.getKnownPropertyIds());
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String given = e instanceof InvalidFormatException invalid && invalid.getValue() != null
                    ? ", not '" + invalid.getValue() + "'" : "";
            Class<?> type = e instanceof MismatchedInputException mismatched ? mismatched.getTargetType()
                    : e.getCause() instanceof InputCoercionException tooLarge ? tooLarge.getTargetType() : null;
            return path(mapping) + ": must be " + expected(type) + given + at;
        }
        return "config file " + file + " cannot be read" + at + ": "
                + e.getOriginalMessage().lines().findFirst().orElse("");
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /**
     * The YAML parser's error inside a binding error, if that is what it is (Jackson wraps it with the path it was
     * binding); a number too large for its setting is the setting's error, not the file's.
     */
    private static StreamReadException unreadable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamReadException read && !(t instanceof InputCoercionException)) {
                return read;
            }
        }
        return null;
    }

    /**
     * The YAML parser's problem and where it is. Its message reads "while scanning ... / found ... / in 'reader',
     * line 3, column 1:" and a snippet; the last mark is the problem's (Jackson's location is the context's).
     */
    private static String yamlProblem(StreamReadException e) {
        String message = e.getOriginalMessage();
        List<String> said = message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .toList();
        Matcher mark = Pattern.compile("line (\\d+), column (\\d+)").matcher(message);
        String at = null;
        while (mark.find()) {
            at = " at line " + mark.group(1) + ", column " + mark.group(2);
        }
        if (at == null && e.getLocation() != null) {
            at = " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        }
        return (at == null ? "" : at) + ": " + (said.isEmpty() ? message : said.get(said.size() - 1));
    }

    /** The JSON pointer of the setting an error is about, as {@link EnvironmentResolving#locations} keys it. */
    private static String pointer(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            out.append('/').append(reference.getFieldName() != null ? reference.getFieldName()
                    : String.valueOf(reference.getIndex()));
        }
        return out.toString();
    }

    private static String known(Collection<Object> ids) {
        return ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another kind";
        }
        if (type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Duration.class) {
            return "an ISO 8601 duration such as PT30S";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> c.toString().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        }
        if (type == String.class) {
            return "a single value";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a map of settings";
    }

    private static ConfigException configCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException config) {
                return config;
            }
        }
        return null;
    }

    private static RuntimeException causeOrThis(RuntimeException e) {
        ConfigException ours = configCause(e);
        return ours != null ? ours : e;
    }

    /**
     * Hands the binder each text with its {@code ${env:NAME}} references replaced, so that any setting (a port, a
     * duration, a plugin's setting) may come from the environment and errors still know their line.
     */
    private static final class EnvironmentResolving extends JsonParserDelegate {
        private final Map<String, String> env;
        /**
         * Where each key was read, by JSON pointer: Jackson reports some errors (an unknown key of a record) only
         * once it has read the whole map, where its own location is the map's end.
         */
        final Map<String, JsonLocation> locations = new java.util.HashMap<>();

        EnvironmentResolving(JsonParser parser, Map<String, String> env) {
            super(parser);
            this.env = env;
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken token = super.nextToken();
            if (token == JsonToken.FIELD_NAME) {
                locations.putIfAbsent(getParsingContext().pathAsPointer().toString(), currentTokenLocation());
            }
            return token;
        }

        @Override
        public String getText() throws IOException {
            String text = super.getText();
            return currentToken() == JsonToken.VALUE_STRING ? resolve(dotted(), text, env) : text;
        }

        @Override
        public String getValueAsString() throws IOException {
            return currentToken() == JsonToken.VALUE_STRING ? getText() : super.getValueAsString();
        }

        @Override
        public String getValueAsString(String defaultValue) throws IOException {
            return currentToken() == JsonToken.VALUE_STRING ? getText() : super.getValueAsString(defaultValue);
        }

        @Override
        public char[] getTextCharacters() throws IOException {
            return getText().toCharArray();
        }

        @Override
        public int getTextLength() throws IOException {
            return getText().length();
        }

        @Override
        public int getTextOffset() {
            return 0;
        }

        @Override
        public boolean hasTextCharacters() {
            return false;
        }

        private String dotted() {
            return getParsingContext().pathAsPointer().toString().substring(1).replace('/', '.');
        }
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

    /** A section the file leaves out: every setting at its default. */
    private static <T> T empty(Class<T> type) {
        return MAPPER.convertValue(Map.of(), type);
    }

    private static <T> T orEmpty(T section, Class<T> type) {
        return section != null ? section : empty(type);
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
