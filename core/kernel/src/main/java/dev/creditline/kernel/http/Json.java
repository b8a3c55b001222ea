package dev.creditline.kernel.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** JSON in and out: strict parsing with limits against hostile input, and canonical forms for hashing. */
public final class Json {
    /** Deeper nesting than this is refused: no request of the API nests more than a few levels. */
    static final int MAX_DEPTH = 16;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(20_000)
                    .maxNumberLength(40)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, false);

    private static final ObjectMapper CANONICAL = MAPPER.copy()
            .configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);

    private Json() {
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /**
     * Parses a request body that must be one JSON object.
     *
     * @throws Problem 400 when it is empty, not JSON, too deep, has duplicate keys or is not an object
     */
    public static ObjectNode parseObject(Buffer body) {
        if (body == null || body.length() == 0) {
            throw Problem.malformed("the request needs a JSON object body");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body.getBytes());
        } catch (StreamConstraintsException e) {
            throw Problem.malformed("the JSON body is too deeply nested or has a value too long");
        } catch (JsonProcessingException e) {
            throw Problem.malformed("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw Problem.malformed("the body could not be read");
        }
        if (node == null || node.isMissingNode()) {
            throw Problem.malformed("the request needs a JSON object body");
        }
        if (!node.isObject()) {
            throw Problem.malformed("the body must be a JSON object, not " + node.getNodeType().name().toLowerCase());
        }
        return (ObjectNode) node;
    }

    /** Parses stored JSON (our own output). */
    public static ObjectNode read(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not parse", e);
        }
    }

    /** Parses stored JSON of any shape (our own output). */
    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not parse", e);
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of the method, path and body with sorted keys: what makes two requests "the same request". */
    public static byte[] requestHash(String method, String path, JsonNode body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                digest.update(CANONICAL.writeValueAsBytes(body));
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of a secret, to store and look up API keys and tokens without keeping them. */
    public static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
