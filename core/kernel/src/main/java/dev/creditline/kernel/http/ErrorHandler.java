package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.api.spi.ApiProblem;
import dev.creditline.api.spi.PluginFailure;
import dev.creditline.ledger.EligibilityReport;
import dev.creditline.store.ConnectionFailures;
import dev.creditline.store.Rejection;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into {@code application/problem+json}: our own problems and the ledger's refusals as they are,
 * a database that is away as 503 with {@code Retry-After}, a plugin's failure as a logged 503 that names the plugin
 * only, and anything unexpected as a logged 500 that tells the client nothing internal.
 */
public final class ErrorHandler implements Handler<RoutingContext> {
    /** The base of problem type URIs; the problem's code follows. */
    public static final String TYPE_BASE = "https://creditline.dev/problems/";

    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

    @Inject
    public ErrorHandler() {
    }

    @Override
    public void handle(RoutingContext ctx) {
        Problem problem = problem(ctx);
        if (problem.status() == 503) {
            // The database or a plugin is away for now: the same request may succeed in a moment.
            ctx.response().putHeader("Retry-After", "1");
        }
        Http.send(ctx, new Reply(problem.status(), problem.body()));
    }

    private Problem problem(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof Problem problem) {
            return problem;
        }
        if (failure instanceof Rejection rejection) {
            return problem(rejection);
        }
        if (failure instanceof ApiProblem answer) {
            return problem(answer);
        }
        if (failure instanceof PluginFailure plugin) {
            // What the plugin said may name anything (hosts, queries, keys): the log has it, under the Request-Id.
            LOG.warn("Plugin {} failed {} {} ({}): {}", plugin.pluginId(), ctx.request().method(),
                    ctx.request().path(), plugin.operation(), String.valueOf(plugin.getMessage()));
            return new Problem(503, "plugin_failed", "Plugin failed", failedDetail(plugin.pluginId()), List.of(),
                    Json.object().put("plugin", plugin.pluginId()));
        }
        if (failure == null) {
            return byStatus(ctx.statusCode());
        }
        if (failure instanceof PgException pg) {
            return database(ctx, pg);
        }
        if (unavailable(failure)) {
            LOG.warn("Database unavailable for {} {}: {}", ctx.request().method(), ctx.request().path(),
                    failure.toString());
            return unavailableProblem();
        }
        LOG.error("Unexpected failure of {} {}", ctx.request().method(), ctx.request().path(), failure);
        return new Problem(500, "internal_error", "Internal error",
                "the server failed unexpectedly; the request changed nothing", List.of(), null);
    }

    /**
     * What a client is told of a plugin's failure: which plugin, never what it said (the server's log has that,
     * under the answer's Request-Id).
     */
    private static String failedDetail(String pluginId) {
        return "plugin " + pluginId + " failed; the request changed nothing (the server's log has the failure under"
                + " this answer's Request-Id)";
    }

    /** The problem that a ledger refusal is. */
    static Problem problem(Rejection rejection) {
        List<FieldError> errors = rejection.field() == null
                ? List.of() : List.of(new FieldError(rejection.field(), rejection.getMessage()));
        ObjectNode extensions = null;
        Object details = rejection.details();
        if (details instanceof EligibilityReport report) {
            extensions = Json.object();
            extensions.set("eligibility", Views.eligibility(report));
        } else if (details instanceof Integer number) {
            extensions = Json.object().put(rejection.code().equals("balance_changed") ? "balance" : "outstanding",
                    number);
        } else if (details instanceof String text) {
            extensions = Json.object().put("mergedInto", text);
        }
        String title = switch (rejection.kind()) {
            case NOT_FOUND -> "Not found";
            case CONFLICT -> "Conflict";
            case INVALID -> "Invalid request";
        };
        return new Problem(rejection.kind().status(), rejection.code(), title, rejection.getMessage(), errors,
                extensions);
    }

    /** The problem a plugin answered with. */
    static Problem problem(ApiProblem answer) {
        List<FieldError> errors = answer.field() == null
                ? List.of() : List.of(new FieldError(answer.field(), answer.getMessage()));
        String title = switch (answer.status()) {
            case 400 -> "Malformed request";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 409 -> "Conflict";
            case 422 -> "Invalid request";
            default -> "HTTP " + answer.status();
        };
        int status = answer.status() >= 400 && answer.status() < 600 ? answer.status() : 500;
        return new Problem(status, answer.type(), title, answer.getMessage(), errors, null);
    }

    private static Problem byStatus(int status) {
        return switch (status) {
            case 404 -> Problem.notFound("no such endpoint; see /openapi.json");
            case 405 -> new Problem(405, "method_not_allowed", "Method not allowed",
                    "the endpoint does not take this method; see /openapi.json", List.of(), null);
            case 413 -> new Problem(413, "payload_too_large", "Payload too large",
                    "the request body is larger than the server accepts", List.of(), null);
            case 400 -> Problem.malformed("the request is malformed");
            default -> new Problem(status >= 400 && status < 600 ? status : 500, "http_" + status,
                    "HTTP " + status, "the request failed", List.of(), null);
        };
    }

    private static Problem database(RoutingContext ctx, PgException pg) {
        String state = pg.getSqlState() == null ? "" : pg.getSqlState();
        if (state.equals("40001") || state.equals("40P01") || state.startsWith("08") || state.startsWith("57")
                || state.startsWith("53")) {
            LOG.warn("Database refused {} {}: {} {}", ctx.request().method(), ctx.request().path(), state,
                    pg.getErrorMessage());
            return unavailableProblem();
        }
        if (state.startsWith("22")) {
            // A data exception: a value the database cannot store. Input checks should have caught it first.
            LOG.warn("Database refused a value of {} {}: {} {}", ctx.request().method(), ctx.request().path(), state,
                    pg.getErrorMessage());
            return Problem.malformed("the request holds a value that cannot be stored");
        }
        if (state.startsWith("23")) {
            LOG.warn("Constraint {} refused {} {}: {}", pg.getConstraint(), ctx.request().method(),
                    ctx.request().path(), pg.getErrorMessage());
            return Problem.conflict("constraint_violation", "the request conflicts with the current state");
        }
        LOG.error("Database error on {} {}: {} {}", ctx.request().method(), ctx.request().path(), state,
                pg.getErrorMessage(), pg);
        return new Problem(500, "internal_error", "Internal error",
                "the server failed unexpectedly; the request changed nothing", List.of(), null);
    }

    private static Problem unavailableProblem() {
        return new Problem(503, "database_unavailable", "Service unavailable",
                "the database is not reachable right now; retry with the same Idempotency-Key", List.of(), null);
    }

    /** Whether a failure means the database (or its connection) is away, rather than a bug. */
    static boolean unavailable(Throwable failure) {
        return ConnectionFailures.isConnectionLost(failure);
    }
}
