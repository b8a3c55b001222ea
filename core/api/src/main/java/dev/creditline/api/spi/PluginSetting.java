package dev.creditline.api.spi;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.threeten.extra.PeriodDuration;

/**
 * One setting a plugin declares (as Keycloak's {@code ProviderConfigProperty} declares a provider's): its name, type,
 * default, whether it is required or secret, and what it means. A plugin lists its settings in
 * {@link CreditlinePlugin#studioSettings()} (what a studio sets) and {@link CreditlinePlugin#serverSettings()} (what
 * only the server's operator sets). The kernel refuses settings that are not declared or not of their type (422
 * naming {@code settings.<name>}), fills in defaults, masks secrets in every answer and encrypts them at rest, and
 * describes the declaration in {@code GET /v1/plugins/{id}}.
 *
 * <pre>{@code
 * PluginSetting.integer("maxVisits", "promotional credits pay for this many bookings").between(1, 100).defaultValue(1)
 * PluginSetting.string("secretKey", "the studio's Stripe secret key (sk_...)").required(true).secret(true)
 * }</pre>
 *
 * @param name         the setting's name: a letter, then letters, digits or {@code _} (up to 64)
 * @param type         what its value is
 * @param defaultValue what a studio that leaves it out gets, or null
 * @param required     whether a studio that enables the plugin must give it
 * @param secret       write-only: shown as {@code ********}, encrypted at rest (text settings only)
 * @param description  what it means, for people who fill it in
 * @param options      the values an {@link Type#ENUM} (or each item of a {@link Type#LIST}) may take; empty: any
 * @param min          the least value of a number, or null
 * @param max          the greatest value of a number, or null
 */
public record PluginSetting(String name, Type type, Object defaultValue, boolean required, boolean secret,
                            String description, List<String> options, BigDecimal min, BigDecimal max) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    /** The types of settings, named in lower case in the API. */
    public enum Type {
        /** A text. */
        STRING,
        /** A whole number (within {@code int} unless {@code min}/{@code max} say otherwise). */
        INTEGER,
        /** A finite number. */
        NUMBER,
        /** An exact decimal, as a number or a text ({@code "0.25"}). */
        DECIMAL,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** An ISO 8601 duration or period ({@code PT30S}, {@code P1D}). */
        DURATION,
        /** An {@code http} or {@code https} URL with a host. */
        URL,
        /** One of {@code options}. */
        ENUM,
        /** A list of texts (each one of {@code options}, when there are any). */
        LIST,
        /** Any JSON value (finite numbers only); the plugin checks its structure in {@code validateSettings}. */
        JSON;

        /** The name in the API. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PluginSetting {
        Objects.requireNonNull(type, "type");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a setting's name is a letter, then letters, digits or _: " + name);
        }
        options = List.copyOf(options == null ? List.of() : options);
        if (type == Type.ENUM && options.isEmpty()) {
            throw new IllegalArgumentException("setting " + name + ": an enum needs its options");
        }
        if (secret && type != Type.STRING) {
            throw new IllegalArgumentException("setting " + name + ": only text settings can be secret");
        }
        if (secret && defaultValue != null) {
            throw new IllegalArgumentException("setting " + name + ": a secret has no default");
        }
        if (required && defaultValue != null) {
            throw new IllegalArgumentException("setting " + name + ": a required setting has no default");
        }
        if (min != null && max != null && min.compareTo(max) > 0) {
            throw new IllegalArgumentException("setting " + name + ": min is above max");
        }
    }

    private static PluginSetting of(String name, Type type, String description) {
        return new PluginSetting(name, type, null, false, false, description, List.of(), null, null);
    }

    public static PluginSetting string(String name, String description) {
        return of(name, Type.STRING, description);
    }

    public static PluginSetting integer(String name, String description) {
        return of(name, Type.INTEGER, description);
    }

    public static PluginSetting number(String name, String description) {
        return of(name, Type.NUMBER, description);
    }

    public static PluginSetting decimal(String name, String description) {
        return of(name, Type.DECIMAL, description);
    }

    public static PluginSetting bool(String name, String description) {
        return of(name, Type.BOOLEAN, description);
    }

    public static PluginSetting duration(String name, String description) {
        return of(name, Type.DURATION, description);
    }

    public static PluginSetting url(String name, String description) {
        return of(name, Type.URL, description);
    }

    public static PluginSetting choice(String name, String description, String... options) {
        return new PluginSetting(name, Type.ENUM, null, false, false, description, Arrays.asList(options), null, null);
    }

    public static PluginSetting list(String name, String description, String... options) {
        return new PluginSetting(name, Type.LIST, null, false, false, description, Arrays.asList(options), null, null);
    }

    public static PluginSetting json(String name, String description) {
        return of(name, Type.JSON, description);
    }

    /** The same setting, required when the plugin is enabled (or not). */
    public PluginSetting required(boolean value) {
        return new PluginSetting(name, type, defaultValue, value, secret, description, options, min, max);
    }

    /** The same setting, secret (or not). */
    public PluginSetting secret(boolean value) {
        return new PluginSetting(name, type, defaultValue, required, value, description, options, min, max);
    }

    /** The same setting with a default, which must be a valid value. */
    public PluginSetting defaultValue(Object value) {
        PluginSetting with = new PluginSetting(name, type, value, required, secret, description, options, min, max);
        String problem = value == null ? null : with.problem(value);
        if (problem != null) {
            throw new IllegalArgumentException("setting " + name + ": the default " + problem);
        }
        return with;
    }

    /** The same number setting between {@code least} and {@code most} (either null: unbounded). */
    public PluginSetting between(Number least, Number most) {
        if (type != Type.INTEGER && type != Type.NUMBER && type != Type.DECIMAL) {
            throw new IllegalArgumentException("setting " + name + ": only numbers have a range");
        }
        return new PluginSetting(name, type, defaultValue, required, secret, description, options,
                least == null ? null : new BigDecimal(least.toString()),
                most == null ? null : new BigDecimal(most.toString()));
    }

    /**
     * What is wrong with a value given for this setting ("must be ..."), or null when it is a valid one. A JSON null
     * counts as leaving the setting out.
     */
    public String problem(Object value) {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case STRING -> value instanceof String ? null : "must be a text";
            case INTEGER -> integerProblem(value);
            case NUMBER -> value instanceof Number n ? range(decimal(n)) : "must be a finite number" + bounds();
            case DECIMAL -> {
                BigDecimal d = value instanceof Number n ? decimal(n) : value instanceof String s ? parse(s) : null;
                yield d == null ? "must be a decimal number, such as 0.25 or \"0.25\"" + bounds() : range(d);
            }
            case BOOLEAN -> value instanceof Boolean ? null : "must be true or false";
            case DURATION -> value instanceof String s && duration(s) ? null
                    : "must be an ISO 8601 duration, such as PT30S or P1D";
            case URL -> value instanceof String s && webUrl(s) ? null : "must be an http(s) URL with a host";
            case ENUM -> value instanceof String s && options.contains(s) ? null
                    : "must be one of " + String.join(", ", options);
            case LIST -> listProblem(value);
            case JSON -> finite(value) ? null : "must hold finite numbers only";
        };
    }

    private String integerProblem(Object value) {
        if (!(value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte)) {
            return "must be a whole number" + bounds();
        }
        BigDecimal least = min != null ? min : BigDecimal.valueOf(Integer.MIN_VALUE);
        BigDecimal most = max != null ? max : BigDecimal.valueOf(Integer.MAX_VALUE);
        BigDecimal d = BigDecimal.valueOf(((Number) value).longValue());
        return d.compareTo(least) < 0 || d.compareTo(most) > 0 ? "must be a whole number" + bounds(least, most) : null;
    }

    private String listProblem(Object value) {
        if (!(value instanceof JsonArray array) || !array.stream().allMatch(String.class::isInstance)) {
            return "must be a list of texts";
        }
        if (!options.isEmpty() && !options.containsAll(array.getList())) {
            return "must be a list of " + String.join(", ", options);
        }
        return null;
    }

    /** The decimal of a number, or null when it is not finite. */
    private static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        return new BigDecimal(n.toString());
    }

    private static BigDecimal parse(String text) {
        try {
            return text.length() > 40 ? null : new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String range(BigDecimal value) {
        if (value == null || (min != null && value.compareTo(min) < 0) || (max != null && value.compareTo(max) > 0)) {
            return "must be a " + (type == Type.DECIMAL ? "decimal" : "finite") + " number" + bounds();
        }
        return null;
    }

    private String bounds() {
        return bounds(min, max);
    }

    private static String bounds(BigDecimal least, BigDecimal most) {
        if (least != null && most != null) {
            return " from " + least.toPlainString() + " to " + most.toPlainString();
        }
        if (least != null) {
            return " of at least " + least.toPlainString();
        }
        return most == null ? "" : " of at most " + most.toPlainString();
    }

    private static boolean duration(String text) {
        try {
            PeriodDuration.parse(text);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean webUrl(String text) {
        try {
            URI uri = new URI(text);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** Whether every number in a JSON value is finite (a parser reads 1e400 as infinity). */
    private static boolean finite(Object value) {
        if (value instanceof Double d) {
            return Double.isFinite(d);
        }
        if (value instanceof Float f) {
            return Float.isFinite(f);
        }
        if (value instanceof JsonObject object) {
            return object.stream().allMatch(e -> finite(e.getValue()));
        }
        if (value instanceof JsonArray array) {
            return array.stream().allMatch(PluginSetting::finite);
        }
        if (value instanceof Map<?, ?> map) {
            return map.values().stream().allMatch(PluginSetting::finite);
        }
        if (value instanceof List<?> list) {
            return list.stream().allMatch(PluginSetting::finite);
        }
        return true;
    }

    /**
     * Checks settings against a declaration: every name must be declared, every value of its type, and, when the
     * plugin is enabled, every required setting given. One problem per bad setting.
     *
     * @param declared the plugin's settings (of its studios, or of the server)
     * @param settings the settings given
     * @param enabled  whether the plugin is to be enabled with them
     */
    public static List<CreditlinePlugin.SettingProblem> check(List<PluginSetting> declared, JsonObject settings,
                                                              boolean enabled) {
        Map<String, PluginSetting> byName = byName(declared);
        List<CreditlinePlugin.SettingProblem> problems = new ArrayList<>();
        for (String name : settings.fieldNames()) {
            PluginSetting setting = byName.get(name);
            String problem = setting != null ? setting.problem(settings.getValue(name))
                    : byName.isEmpty() ? "is not a setting: this plugin takes none"
                    : "is not a setting of this plugin (" + String.join(", ", byName.keySet()) + ")";
            if (problem != null) {
                problems.add(new CreditlinePlugin.SettingProblem(name, problem));
            }
        }
        if (enabled) {
            for (PluginSetting setting : declared) {
                if (setting.required() && settings.getValue(setting.name()) == null) {
                    problems.add(new CreditlinePlugin.SettingProblem(setting.name(), "is required"
                            + (setting.description() == null ? "" : ": " + setting.description())));
                }
            }
        }
        return problems;
    }

    /** The settings with the declared defaults filled in where a setting is left out. */
    public static JsonObject withDefaults(List<PluginSetting> declared, JsonObject settings) {
        JsonObject out = settings.copy();
        for (PluginSetting setting : declared) {
            if (setting.defaultValue() != null && out.getValue(setting.name()) == null) {
                out.put(setting.name(), setting.defaultValue());
            }
        }
        return out;
    }

    /** The names of the secret settings of a declaration. */
    public static Set<String> secrets(List<PluginSetting> declared) {
        return declared.stream().filter(PluginSetting::secret).map(PluginSetting::name)
                .collect(Collectors.toUnmodifiableSet());
    }

    private static Map<String, PluginSetting> byName(List<PluginSetting> declared) {
        Map<String, PluginSetting> out = new LinkedHashMap<>();
        for (PluginSetting setting : declared) {
            if (out.put(setting.name(), setting) != null) {
                throw new IllegalArgumentException("setting " + setting.name() + " is declared twice");
            }
        }
        return out;
    }
}
