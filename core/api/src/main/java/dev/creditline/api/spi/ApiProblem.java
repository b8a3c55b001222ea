package dev.creditline.api.spi;

/**
 * An error answer a plugin gives: the kernel renders it as {@code application/problem+json}. Fail a request with it
 * ({@code ctx.fail(problem)} or a failed future).
 */
public final class ApiProblem extends RuntimeException {
    private final int status;
    private final String type;
    private final String field;

    public ApiProblem(int status, String type, String detail, String field) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.field = field;
    }

    /** 404: an id that names nothing in the caller's studio. */
    public static ApiProblem notFound(String field, String detail) {
        return new ApiProblem(404, "not_found", detail, field);
    }

    /** 409: the request does not fit the current state. */
    public static ApiProblem conflict(String type, String detail) {
        return new ApiProblem(409, type, detail, null);
    }

    /** 422: a value that cannot apply. */
    public static ApiProblem invalid(String field, String detail) {
        return new ApiProblem(422, "invalid_request", detail, field);
    }

    public int status() {
        return status;
    }

    /** A short code, the last segment of the problem's type URI. */
    public String type() {
        return type;
    }

    /** The field at fault, or null. */
    public String field() {
        return field;
    }
}
