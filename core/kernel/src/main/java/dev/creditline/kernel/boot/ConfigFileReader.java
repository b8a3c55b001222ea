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
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads {@code creditline.yaml} into {@link ConfigFile}: {@code ${env:NAME}} resolved as the text is read, and every
 * error of the file said in an operator's words, with the setting's path, line and column.
 */
final class ConfigFileReader {
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
    private static final JsonMapper MAPPER = JsonMapper.builder(new YAMLFactory())
            .addModule(new JavaTimeModule())
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ConfigFileReader() {
    }

    /** Binds the file, resolving {@code ${env:NAME}} in its texts as they are read. */
    static ConfigFile read(Path file, Map<String, String> env) {
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

    /** A section the file leaves out: every setting at its default. */
    static <T> T empty(Class<T> type) {
        return MAPPER.convertValue(Map.of(), type);
    }
}
