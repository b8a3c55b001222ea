package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.store.ListPage;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import dev.creditline.store.OpaqueIds;
import java.util.Set;

/** Small helpers shared by the route classes: answering, paging, reading path and query parameters. */
public final class Http {
    /** Ids are short; anything longer names nothing. */
    private static final int MAX_ID_LENGTH = 64;

    private Http() {
    }

    /** Sends the reply when the future succeeds, or hands the failure to the error handler. */
    public static void respond(RoutingContext ctx, Future<Reply> reply) {
        reply.onComplete(result -> {
            if (result.succeeded()) {
                send(ctx, result.result());
            } else {
                ctx.fail(result.cause());
            }
        });
    }

    /**
     * Sends a reply; an error status goes out as {@code application/problem+json}, with the request's id as
     * {@code requestId}.
     */
    public static void send(RoutingContext ctx, Reply reply) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        JsonNode body = reply.body();
        String requestId = response.headers().get(RequestIds.HEADER);
        if (reply.status() >= 400 && requestId != null && reply.body() != null && !reply.body().has("requestId")) {
            // A copy: the reply may be remembered (idempotency) and answered again to another request.
            body = reply.body().deepCopy().put("requestId", requestId);
        }
        response.setStatusCode(reply.status())
                .putHeader("Content-Type", reply.status() >= 400 ? "application/problem+json" : "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(Json.write(body));
    }

    /**
     * Answers a request the router does not see (refused at the server's edge) with a problem, then closes the
     * connection: what else came on it is not read as requests.
     */
    public static void refuse(HttpServerRequest request, Problem problem) {
        String requestId = RequestIds.assign(request);
        HttpServerResponse response = request.response();
        if (response.headWritten() || response.ended() || response.closed()) {
            request.connection().close();
            return;
        }
        if (problem.status() == 503) {
            response.putHeader("Retry-After", "1");
        }
        response.setStatusCode(problem.status())
                .putHeader("Content-Type", "application/problem+json")
                .putHeader("Cache-Control", "no-store")
                .putHeader("Connection", "close")
                .end(Json.write(problem.body().put("requestId", requestId)))
                .onComplete(sent -> request.connection().close());
    }

    /** The caller resolved by {@link Auth}. */
    public static Caller caller(RoutingContext ctx) {
        return ctx.get(Auth.CALLER);
    }

    /** A path id; an absurdly long one is answered 404 without a query. */
    public static String pathId(RoutingContext ctx, String name, String what) {
        String id = ctx.pathParam(name);
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH || !Input.printable(id)) {
            throw Problem.notFound("no " + what + " with that id");
        }
        return id;
    }

    /** A query parameter of at most {@code maxLength} printable characters, or null when absent or empty. */
    public static String query(RoutingContext ctx, String name, int maxLength) {
        String value = ctx.queryParams().get(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > maxLength || !Input.printable(value)) {
            throw Problem.invalid(name, "must be at most " + maxLength + " printable characters");
        }
        return value;
    }

    /** The body as a JSON object (400 when it is not one). */
    public static ObjectNode body(RoutingContext ctx) {
        return Json.parseObject(ctx.body().buffer());
    }

    /** The body as a JSON object, or null when the request has none. */
    public static ObjectNode optionalBody(RoutingContext ctx) {
        var buffer = ctx.body().buffer();
        return buffer == null || buffer.length() == 0 ? null : Json.parseObject(buffer);
    }

    /**
     * A route's query parameters: lets the request through when it names only these, else 400 naming the first
     * unknown one (a typo such as {@code ?memberid=} must not silently list everything). Mount it on every GET.
     */
    public static Handler<RoutingContext> params(String... allowed) {
        Set<String> known = Set.of(allowed);
        return ctx -> {
            String unknown = unknownParam(ctx, known);
            if (unknown != null) {
                ctx.fail(unknownParamProblem(unknown, known));
            } else {
                ctx.next();
            }
        };
    }

    /** {@link #params} for a list: its filters, and {@code limit} and {@code cursor}. */
    public static Handler<RoutingContext> listParams(String... filters) {
        String[] all = java.util.Arrays.copyOf(filters, filters.length + 2);
        all[filters.length] = "limit";
        all[filters.length + 1] = "cursor";
        return params(all);
    }

    /** The check of {@link #params} where a handler cannot be mounted (a plugin's route): throws the 400. */
    public static void requireParams(RoutingContext ctx, String... allowed) {
        Set<String> known = Set.of(allowed);
        String unknown = unknownParam(ctx, known);
        if (unknown != null) {
            throw unknownParamProblem(unknown, known);
        }
    }

    private static String unknownParam(RoutingContext ctx, Set<String> known) {
        return ctx.queryParams().names().stream().filter(name -> !known.contains(name)).sorted().findFirst()
                .orElse(null);
    }

    private static Problem unknownParamProblem(String unknown, Set<String> known) {
        String shown = unknown.length() > 64 ? unknown.substring(0, 64) + "…" : unknown;
        return Problem.malformed(shown, "unknown query parameter '" + shown + "'"
                + (known.isEmpty() ? "; this endpoint takes none" : "; this endpoint takes "
                + String.join(", ", new java.util.TreeSet<>(known))));
    }

    /** {@code ?limit=}: 1 to 500, default 50. */
    public static int limit(RoutingContext ctx) {
        String raw = query(ctx, "limit", 10);
        if (raw == null) {
            return 50;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= 500) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw Problem.invalid("limit", "must be a whole number from 1 to 500");
    }

    /** {@code ?cursor=} as the numbers it encodes ({@code parts} of them), or null when absent. */
    public static long[] cursor(RoutingContext ctx, int parts) {
        String raw = query(ctx, "cursor", 200);
        if (raw == null) {
            return null;
        }
        try {
            String opened = OpaqueIds.open(raw);
            String[] fields = opened == null ? new String[0] : opened.split(":");
            if (fields.length == parts + 1 && fields[0].equals("c1")) {
                long[] values = new long[parts];
                for (int i = 0; i < parts; i++) {
                    values[i] = Long.parseLong(fields[i + 1]);
                }
                return values;
            }
        } catch (IllegalArgumentException ignored) {
            // answered below
        }
        throw Problem.invalid("cursor", "is not a cursor this API returned");
    }

    /** {@code ?cursor=} as the text position it encodes (see {@link #textCursor(String)}), or null when absent. */
    public static String textCursor(RoutingContext ctx) {
        String raw = query(ctx, "cursor", 1000);
        if (raw == null) {
            return null;
        }
        String text = OpaqueIds.open(raw);
        if (text != null && text.startsWith("t1:")) {
            return text.substring(3);
        }
        throw Problem.invalid("cursor", "is not a cursor this API returned");
    }

    /** {@code ?cursor=} of a newest-first list: the position (see {@link ListPage}) below which it goes on. */
    public static Long below(RoutingContext ctx) {
        long[] cursor = cursor(ctx, 1);
        return cursor == null ? null : cursor[0];
    }

    /** A page of a newest-first list, each item rendered by {@code view}. */
    public static <T> Reply page(ListPage<T> page, java.util.function.Function<T, ObjectNode> view) {
        com.fasterxml.jackson.databind.node.ArrayNode items = Json.array();
        page.items().forEach(item -> items.add(view.apply(item)));
        return Reply.ok(Views.page(items, page.next() == null ? null : cursor(page.next())));
    }

    /** A query parameter {@code true} or {@code false}, or null when absent (422 otherwise). */
    public static Boolean bool(RoutingContext ctx, String name) {
        String raw = query(ctx, name, 5);
        if (raw == null) {
            return null;
        }
        if (!raw.equals("true") && !raw.equals("false")) {
            throw Problem.invalid(name, "must be true or false");
        }
        return Boolean.valueOf(raw);
    }

    /** A query parameter naming one of the enum's constants in lower case, or null when absent (422 otherwise). */
    public static <E extends Enum<E>> E choice(RoutingContext ctx, String name, Class<E> type) {
        String raw = query(ctx, name, 40);
        if (raw == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(java.util.Locale.ROOT).equals(raw)) {
                return constant;
            }
        }
        throw Problem.invalid(name, "must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(java.util.Locale.ROOT)).toList());
    }

    /** A query parameter as an ISO 8601 instant, or null when absent (422 otherwise). */
    public static java.time.Instant instant(RoutingContext ctx, String name) {
        String raw = query(ctx, name, 64);
        if (raw == null) {
            return null;
        }
        try {
            // An offset such as +02:00 names the same instant as Z does.
            java.time.OffsetDateTime value = java.time.OffsetDateTime.parse(raw);
            if (value.getYear() < 1 || value.getYear() > 9999) {
                throw Problem.invalid(name, "must be an instant of the years 1 to 9999");
            }
            return value.toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw Problem.invalid(name, "must be an ISO 8601 instant such as 2026-05-22T10:07:00Z");
        }
    }

    /** The opaque cursor for a text position (a plugin's list). */
    public static String textCursor(String position) {
        return OpaqueIds.seal("t1:" + position);
    }

    /** The opaque cursor for a position (sealed: it tells the client nothing of the server's counters). */
    public static String cursor(long... parts) {
        StringBuilder text = new StringBuilder("c1");
        for (long part : parts) {
            text.append(':').append(part);
        }
        return OpaqueIds.seal(text.toString());
    }
}
