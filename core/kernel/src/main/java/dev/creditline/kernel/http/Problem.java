package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * An error answer in RFC 9457 form ({@code application/problem+json}): thrown by handlers, rendered by
 * {@link ErrorHandler}.
 */
public final class Problem extends RuntimeException {
    private final int status;
    private final String type;
    private final String title;
    private final List<FieldError> errors;
    private final transient ObjectNode extensions;

    public Problem(int status, String type, String title, String detail, List<FieldError> errors,
                   ObjectNode extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.extensions = extensions;
    }

    /** 400: the body is not JSON, or not what JSON the endpoint takes. */
    public static Problem malformed(String detail) {
        return new Problem(400, "malformed_request", "Malformed request", detail, List.of(), null);
    }

    /** 400 naming one field or parameter. */
    public static Problem malformed(String field, String detail) {
        return new Problem(400, "malformed_request", "Malformed request", detail,
                List.of(new FieldError(field, detail)), null);
    }

    /** 422: well-formed, but some values are invalid. */
    public static Problem invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return new Problem(422, "invalid_request", "Invalid request", detail, errors, null);
    }

    /** 422 for one field. */
    public static Problem invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public static Problem unauthorized(String detail) {
        return new Problem(401, "unauthorized", "Unauthorized", detail, List.of(), null);
    }

    public static Problem forbidden(String detail) {
        return new Problem(403, "forbidden", "Forbidden", detail, List.of(), null);
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "not_found", "Not found", detail, List.of(), null);
    }

    /** 503: the server has more work waiting than it takes on; the same request may succeed in a moment. */
    public static Problem overloaded(String detail) {
        return new Problem(503, "overloaded", "Service unavailable", detail, List.of(), null);
    }

    public static Problem conflict(String type, String detail) {
        return new Problem(409, type, "Conflict", detail, List.of(), null);
    }

    /** The {@code application/problem+json} body. */
    public ObjectNode body() {
        ObjectNode body = Json.object()
                .put("type", ErrorHandler.TYPE_BASE + type)
                .put("title", title)
                .put("status", status)
                .put("detail", getMessage());
        ArrayNode list = body.putArray("errors");
        errors.forEach(e -> list.add(Json.object().put("field", e.field()).put("message", e.message())));
        if (extensions != null) {
            body.setAll(extensions);
        }
        return body;
    }

    public int status() {
        return status;
    }

    /** A short code, also the last segment of the problem's type URI. */
    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** Extra members of the problem body (e.g. the eligibility explanation), or null. */
    public ObjectNode extensions() {
        return extensions;
    }
}
