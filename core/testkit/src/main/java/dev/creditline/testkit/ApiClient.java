package dev.creditline.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small blocking client for the Creditline HTTP API, for tests. Thread-safe. Every answer is checked against the
 * server's OpenAPI document ({@link Contract}): one that the document does not describe fails the test.
 */
public final class ApiClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI base;
    // HTTP/1.1, a connection per concurrent request, as the studio apps and scripts talk to the server; over an h2c
    // upgrade the JDK client would multiplex every thread on one connection and refuse past its stream limit.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private volatile Contract contract;

    public ApiClient(URI base) {
        this.base = base;
    }

    /** The server's OpenAPI document, read at its first answer. */
    private Contract contract() {
        Contract read = contract;
        if (read == null) {
            read = Contract.read(base, http);
            contract = read;
        }
        return read;
    }

    /** The server's base URI. */
    public URI base() {
        return base;
    }

    /** A JSON object from alternating names and values (values: strings, numbers, booleans, nodes, null). */
    public static ObjectNode json(Object... namesAndValues) {
        ObjectNode node = MAPPER.createObjectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            node.set((String) namesAndValues[i], MAPPER.valueToTree(namesAndValues[i + 1]));
        }
        return node;
    }

    public Response get(String path, String key) {
        return send("GET", path, key, null, Map.of());
    }

    public Response post(String path, String key, Object body) {
        return send("POST", path, key, body, Map.of());
    }

    /** A POST with an {@code Idempotency-Key}. */
    public Response post(String path, String key, Object body, String idempotencyKey) {
        return send("POST", path, key, body, Map.of("Idempotency-Key", idempotencyKey));
    }

    public Response patch(String path, String key, Object body) {
        return send("PATCH", path, key, body, Map.of());
    }

    public Response delete(String path, String key) {
        return send("DELETE", path, key, null, Map.of());
    }

    /**
     * Sends a request.
     *
     * @param body a JSON node, a raw string (sent as is), or null for none
     */
    public Response send(String method, String path, String key, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        Map<String, String> all = new LinkedHashMap<>(headers);
        String payload = null;
        if (body instanceof String text) {
            payload = text;
        } else if (body != null) {
            try {
                payload = MAPPER.writeValueAsString(body);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        }
        if (payload != null) {
            all.putIfAbsent("Content-Type", "application/json");
        }
        all.forEach(request::header);
        request.method(method, payload == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(payload));
        try {
            HttpRequest sent = request.build();
            HttpResponse<String> response = http.send(sent, HttpResponse.BodyHandlers.ofString());
            contract().check(method, sent.uri(), response.statusCode(), response.headers(), response.body());
            contract().checkTaken(method, sent.uri(), response.statusCode(), payload);
            return new Response(response.statusCode(), parse(response.body()), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isEmpty()) {
            return MAPPER.missingNode();
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return MAPPER.missingNode();
        }
    }

    /**
     * An answer.
     *
     * @param status  the HTTP status
     * @param body    the parsed JSON body (a missing node when it is not JSON)
     * @param headers the response headers
     * @param raw     the body as text
     */
    public record Response(int status, JsonNode body, HttpHeaders headers, String raw) {

        /** A text at a JSON pointer, e.g. {@code "/id"}. */
        public String text(String pointer) {
            JsonNode node = body.at(pointer);
            return node.isMissingNode() || node.isNull() ? null : node.asText();
        }

        /** A number at a JSON pointer. */
        public int number(String pointer) {
            JsonNode node = body.at(pointer);
            if (!node.isNumber()) {
                throw new AssertionError("no number at " + pointer + " in " + raw);
            }
            return node.intValue();
        }

        /** The header's value, or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** This response, after checking its status. */
        public Response expect(int expected) {
            if (status != expected) {
                throw new AssertionError("expected HTTP " + expected + " but got " + status + ": " + raw);
            }
            return this;
        }
    }
}
