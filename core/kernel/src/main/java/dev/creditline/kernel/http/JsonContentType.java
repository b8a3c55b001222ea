package dev.creditline.kernel.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes with a body must say it is JSON: {@code Content-Type: application/json} or a {@code +json} type such as
 * {@code application/merge-patch+json}, with no charset or UTF-8 (RFC 8259 §8.1); anything else (a form, text, XML,
 * none) is 415 before the body is read. A problem document is an answer, never a request: not taken. A write
 * without a body needs no Content-Type. Webhooks ({@code /webhooks/...}) take what their sender sends: the plugin
 * reads and verifies the body itself.
 */
final class JsonContentType {
    /** The type a 415 names. */
    static final String EXPECTED = "application/json";

    private static final Set<HttpMethod> WRITES =
            Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);
    private static final Pattern STRUCTURED_JSON = Pattern.compile("application/[a-z0-9][a-z0-9!#$&^_.-]*\\+json");
    private static final Pattern UTF8 = Pattern.compile("\"?utf-8\"?", Pattern.CASE_INSENSITIVE);

    private JsonContentType() {
    }

    static void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!WRITES.contains(request.method()) || !hasBody(request) || ctx.normalizedPath().startsWith("/webhooks/")
                || acceptable(request.getHeader("Content-Type"))) {
            ctx.next();
            return;
        }
        String given = request.getHeader("Content-Type");
        String printable = given == null ? null : given.replaceAll("[^\\x20-\\x7e]", "?");
        String shown = printable == null ? "none"
                : "'" + (printable.length() > 80 ? printable.substring(0, 80) + "..." : printable) + "'";
        String message = "the body must be JSON sent as Content-Type: " + EXPECTED + " (was " + shown + ")";
        ctx.fail(new Problem(415, "unsupported_media_type", "Unsupported media type", message,
                List.of(new FieldError("Content-Type", message)), Json.object().put("expected", EXPECTED)));
    }

    static boolean acceptable(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals(EXPECTED) && (!STRUCTURED_JSON.matcher(type).matches()
                || type.equals("application/problem+json"))) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("charset")
                    && !UTF8.matcher(parameter.substring(equals + 1).trim()).matches()) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        return request.getHeader("Transfer-Encoding") != null || length != null && !length.trim().equals("0");
    }
}
