package dev.creditline.api.spi;

import dev.creditline.api.Role;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Consumer;

/**
 * A plugin's HTTP: routes and the kernel's request conventions (API keys, problem+json errors, strict JSON bodies,
 * idempotency keys). Register routes once in {@link #routes}; the kernel applies the registrar to every router it
 * builds (one per event loop).
 */
public interface PluginHttp {

    /** Registers the plugin's routes. */
    void routes(Consumer<Router> registrar);

    /**
     * Where a plugin may mount routes. Every route of {@link #studio} and {@link #api} is behind API-key
     * authentication and answers 404 to studios that did not enable the plugin; any key of the studio gets through,
     * athlete keys included, so check roles with {@link #requireRole}. The kernel's own routes win over a plugin's
     * {@link #api} route of the same path. Handlers run on an event loop, like the kernel's: never block in them.
     */
    interface Router {
        /** A route at {@code /v1/plugins/<id><path>}. */
        Route studio(HttpMethod method, String path);

        /** A route at {@code /v1<path>}, for paths of the API contract that the plugin implements. */
        Route api(HttpMethod method, String path);

        /**
         * A route at {@code /webhooks/<id><path>} ({@code ""}: {@code /webhooks/<id>} itself), without authentication:
         * verify signatures yourself, and check
         * {@link PluginSettings#enabledFor} for the studio the request names. Its body comes with whatever
         * Content-Type the sender chose; the {@link #studio} and {@link #api} routes take JSON only (415 otherwise).
         */
        Route webhook(HttpMethod method, String path);
    }

    /** The caller of an authenticated request. */
    Caller caller(RoutingContext ctx);

    /** Fails the request with 403 unless the caller has one of the roles. */
    void requireRole(RoutingContext ctx, Role... roles);

    /** The request's JSON body read strictly (400 when malformed), allowing only the given fields (422 otherwise). */
    Fields fields(RoutingContext ctx, String... allowed);

    /**
     * Fails the request with 400 naming the first query parameter that is not one of these, as the kernel's reads do
     * (a list's {@code limit} and {@code cursor} must be named too).
     */
    void requireParams(RoutingContext ctx, String... allowed);

    /**
     * A query parameter as an ISO 8601 instant ({@code 2026-05-22T10:07:00Z}, an offset allowed) of the years 1 to
     * 9999, as the kernel's reads take it; null when absent or empty (422 naming the parameter otherwise).
     */
    java.time.Instant instant(RoutingContext ctx, String name);

    /** {@code ?limit=} as the API's lists take it: 1 to 500, 50 when absent (422 naming {@code limit} otherwise). */
    int limit(RoutingContext ctx);

    /**
     * {@code ?cursor=}: the position a list page handed out with {@link #cursor(String)}, or null when absent (422
     * naming {@code cursor} when it is not a cursor of this API).
     */
    String cursor(RoutingContext ctx);

    /** The opaque cursor ({@code next} of a list page) for a position of the plugin's own choosing. */
    String cursor(String position);

    /** Answers with JSON. */
    void respond(RoutingContext ctx, int status, JsonObject body);

    /** Answers with JSON when the future succeeds; fails the request (problem+json) when it fails. */
    void respond(RoutingContext ctx, Future<Reply> reply);

    /**
     * Runs a change in one transaction of the caller's studio with the request's {@code Idempotency-Key}: a retry
     * gets the first answer. Ledger commands join it through {@link LedgerService#in}. A refusal (4xx) of a request
     * with a key is remembered and answered as a {@link Reply} with that status; without a key it fails the future.
     * Either way {@link #respond(RoutingContext, Future)} sends it.
     *
     * @param body the request body (part of what makes a retry the same request), or null
     */
    Future<Reply> write(RoutingContext ctx, JsonObject body, Work work);

    /** The work of {@link #write}. */
    @FunctionalInterface
    interface Work {
        Future<Reply> apply(SqlConnection transaction, String idempotencyKey);
    }

    /**
     * A JSON answer.
     *
     * @param status the HTTP status
     * @param body   the body
     */
    record Reply(int status, JsonObject body) {
    }
}
