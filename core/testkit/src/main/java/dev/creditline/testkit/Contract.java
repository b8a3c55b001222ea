package dev.creditline.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The OpenAPI document a server serves ({@code GET /openapi.json}), held to: every answer a test gets through
 * {@link ApiClient} is validated against the operation it answers (status, content type, body schema), with
 * Vert.x's OpenAPI validator, so the document and the server cannot drift apart. Answers of paths the document does
 * not describe are left alone (OpenApiTest checks that it describes every endpoint).
 */
public final class Contract {
    // One small Vert.x for all tests of a JVM: the validator needs one; nothing here blocks it.
    private static final Vertx VERTX = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));

    private final OpenAPIContract contract;
    private final ResponseValidator validator;

    private Contract(OpenAPIContract contract) {
        this.contract = contract;
        this.validator = ResponseValidator.create(VERTX, contract);
    }

    /** The contract the server at {@code base} serves. */
    public static Contract read(URI base, HttpClient http) {
        try {
            HttpResponse<String> served = http.send(HttpRequest.newBuilder(base.resolve("/openapi.json"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (served.statusCode() != 200) {
                throw new AssertionError("GET /openapi.json answered " + served.statusCode());
            }
            return new Contract(await(OpenAPIContract.from(VERTX, validatable(here(new JsonObject(served.body()),
                    base)))));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Fails (an AssertionError naming the operation and what is wrong) when the answer is not one the document
     * describes for the request.
     */
    public void check(String method, URI uri, int status, HttpHeaders headers, String body) {
        String path = uri.getRawPath();
        Operation operation = contract.findOperation(path, HttpMethod.valueOf(method));
        if (operation == null) {
            return;
        }
        String contentType = checkedAs(headers.firstValue("Content-Type").orElse(null));
        io.vertx.openapi.contract.Response declared = operation.getResponse(status) != null
                ? operation.getResponse(status) : operation.getDefaultResponse();
        if (declared == null && status >= 500) {
            // A failure of the server (a fault test's injected crash, an overload) is no operation's answer; it
            // is still a problem document.
            if (!"application/json".equals(contentType)) {
                throw new AssertionError(method + " " + path + " answered " + status + " as " + contentType
                        + ", not as a problem document: " + body);
            }
            return;
        }
        if (declared != null && declared.getContent().keySet().equals(java.util.Set.of("application/octet-stream"))) {
            // Any type (*/*: an exporter's CSV, say): the body is not the document's to describe.
            contentType = "application/octet-stream";
        }
        Map<String, String> firstValues = new HashMap<>();
        // The validator decodes header values as parameters and cannot read a challenge's quoted auth-params
        // (WWW-Authenticate: Bearer realm="creditline"); AccessTest checks that header itself.
        headers.map().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("WWW-Authenticate")) {
                firstValues.put(name, values.get(0));
            }
        });
        if ("text/plain".equals(contentType)) {
            // Text (metrics, CSV): the validator cannot read a text body against a schema; its status and type are
            // the document's to say.
            if (declared == null || !declared.getContent().containsKey("text/plain")) {
                throw new AssertionError(method + " " + path + " (" + operation.getOperationId() + ") answered "
                        + status + " as text, which the OpenAPI document does not describe");
            }
            return;
        }
        ValidatableResponse response = body == null || body.isEmpty()
                ? ValidatableResponse.create(status, firstValues)
                : ValidatableResponse.create(status, firstValues, Buffer.buffer(body), contentType);
        try {
            await(validator.validate(response, operation.getOperationId()));
        } catch (AssertionError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AssertionError(method + " " + path + " (" + operation.getOperationId() + ") answered " + status
                    + " not as the OpenAPI document says: " + describe(e) + "\nbody: "
                    + (body == null || body.length() < 2_000 ? body : body.substring(0, 2_000) + "…"), e);
        }
    }

    /**
     * Fails when the server took (2xx) a JSON body that the operation's request schema refuses: the server's own
     * checks of requests and the document must not drift apart. (A body the document allows may still be refused:
     * many rules, such as a member's balance, are no schema's.)
     */
    public void checkTaken(String method, URI uri, int status, String body) {
        if (status < 200 || status > 299 || body == null || body.isBlank()) {
            return;
        }
        Operation operation = contract.findOperation(uri.getRawPath(), HttpMethod.valueOf(method));
        if (operation == null || operation.getRequestBody() == null) {
            return;
        }
        io.vertx.openapi.contract.MediaType json = operation.getRequestBody().getContent().get("application/json");
        if (json == null || json.getSchema() == null) {
            return;
        }
        io.vertx.json.schema.OutputUnit result = contract.getSchemaRepository().validator(json.getSchema())
                .validate(io.vertx.core.json.Json.decodeValue(body));
        if (!Boolean.TRUE.equals(result.getValid())) {
            List<String> problems = new java.util.ArrayList<>();
            collect(result, problems);
            throw new AssertionError(method + " " + uri.getRawPath() + " (" + operation.getOperationId()
                    + ") took a body its request schema refuses, answering " + status + ": " + problems + "\nbody: "
                    + body);
        }
    }

    private static void collect(io.vertx.json.schema.OutputUnit unit, List<String> problems) {
        if (unit.getErrors() == null || unit.getErrors().isEmpty()) {
            if (unit.getError() != null) {
                problems.add(unit.getInstanceLocation() + ": " + unit.getError());
            }
            return;
        }
        unit.getErrors().forEach(error -> collect(error, problems));
    }

    /**
     * The document with this server as its server: it names a relative one ({@code /}), which the specification
     * allows and the validator cannot resolve.
     */
    public static JsonObject here(JsonObject document, URI base) {
        return document.copy().put("servers", new io.vertx.core.json.JsonArray()
                .add(new JsonObject().put("url", base.resolve("/").toString())));
    }

    /**
     * The document as the validator can take it: it reads only a few media types, so the problem documents
     * ({@code application/problem+json}) are checked as the JSON they are, and CSV and scripts as text. Nothing else
     * changes: statuses, headers and schemas are checked as written.
     */
    public static JsonObject validatable(JsonObject document) {
        JsonObject copy = (JsonObject) nullableAsAnyOf(document.copy());
        renameMediaTypes(copy);
        return copy;
    }

    /**
     * OpenAPI 3.0's {@code nullable: true} as JSON Schema says it ({@code anyOf} the schema or null): Vert.x's
     * validator reads 3.0 schemas as plain JSON Schema and ignores {@code nullable} (eclipse-vertx/vertx-json-schema
     * issue 62). Only schemas carry {@code nullable}, so every object with it is one.
     */
    private static Object nullableAsAnyOf(Object node) {
        if (node instanceof JsonObject object) {
            JsonObject converted = new JsonObject();
            object.forEach(entry -> converted.put(entry.getKey(), nullableAsAnyOf(entry.getValue())));
            Object nullable = converted.remove("nullable");
            if (Boolean.TRUE.equals(nullable)) {
                return new JsonObject().put("anyOf", new io.vertx.core.json.JsonArray().add(converted)
                        .add(new JsonObject().put("enum", new io.vertx.core.json.JsonArray().addNull())));
            }
            return converted;
        }
        if (node instanceof io.vertx.core.json.JsonArray array) {
            io.vertx.core.json.JsonArray converted = new io.vertx.core.json.JsonArray();
            array.forEach(item -> converted.add(nullableAsAnyOf(item)));
            return converted;
        }
        return node;
    }

    private static void renameMediaTypes(Object node) {
        if (node instanceof JsonObject object) {
            Object content = object.getValue("content");
            if (content instanceof JsonObject media) {
                for (String type : List.copyOf(media.fieldNames())) {
                    String checked = checkedAs(type);
                    if (!checked.equals(type)) {
                        Object described = media.remove(type);
                        media.put(checked, described);
                    }
                }
            }
            object.forEach(entry -> renameMediaTypes(entry.getValue()));
        } else if (node instanceof io.vertx.core.json.JsonArray array) {
            array.forEach(Contract::renameMediaTypes);
        }
    }

    /** The media type a body of this type is checked as. */
    private static String checkedAs(String type) {
        if (type == null) {
            return null;
        }
        String base = type.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (base.equals("*/*")) {
            return "application/octet-stream";
        }
        if (base.endsWith("+json")) {
            return "application/json";
        }
        if (base.startsWith("text/")) {
            // The validator knows text/plain without parameters (Prometheus adds version=0.0.4).
            return "text/plain";
        }
        return type;
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append("; ").append(cause.getMessage());
        }
        return text.toString();
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the OpenAPI validator did not answer in 30 s", e);
        }
    }
}
