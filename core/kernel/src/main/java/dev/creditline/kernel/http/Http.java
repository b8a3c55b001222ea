package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import dev.creditline.store.OpaqueIds;

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

    /** Sends a reply; an error status goes out as {@code application/problem+json}. */
    public static void send(RoutingContext ctx, Reply reply) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(reply.status())
                .putHeader("Content-Type", reply.status() >= 400 ? "application/problem+json" : "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(Json.write(reply.body()));
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
