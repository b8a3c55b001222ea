package dev.creditline.plugins.reporting;

import dev.creditline.api.Role;
import dev.creditline.api.spi.ApiProblem;
import dev.creditline.api.spi.Caller;
import dev.creditline.api.spi.PluginHost;
import dev.creditline.api.spi.PluginHttp;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.ZonedDateTime;

/** The report routes of the API contract (staff only). */
@Singleton
final class ReportingRoutes {
    private final PluginHost host;
    private final PluginHttp http;
    private final JournalExport export;

    @Inject
    ReportingRoutes(PluginHost host, JournalExport export) {
        this.host = host;
        this.http = host.http();
        this.export = export;
    }

    void register() {
        http.routes(router -> {
            router.api(HttpMethod.GET, "/reports/summary").handler(this::summary);
            router.api(HttpMethod.GET, "/reports/monthly").handler(this::monthly);
            router.api(HttpMethod.GET, "/reports/liability-by-expiry").handler(this::byExpiry);
            router.api(HttpMethod.GET, "/reports/credits.csv").handler(this::creditsCsv);
            router.api(HttpMethod.GET, "/members/:id/statement.csv").handler(this::statement);
        });
    }

    /** The period of a request: {@code [from, to)}, {@code to} now when not given, {@code from} open. */
    private record Period(Instant from, Instant to) {
    }

    private Period period(RoutingContext ctx, Caller caller) {
        Instant from = http.instant(ctx, "from");
        Instant to = http.instant(ctx, "to");
        Instant end = to != null ? to : caller.now().plusMillis(1);
        if (from != null && !from.isBefore(end)) {
            throw ApiProblem.invalid("from", "must be before to");
        }
        return new Period(from, end);
    }

    private void summary(RoutingContext ctx) {
        Caller caller = staff(ctx);
        http.requireParams(ctx, "from", "to");
        Period p = period(ctx, caller);
        Instant threeMonthsBefore = ZonedDateTime.ofInstant(p.to(), caller.zone()).minusMonths(3).toInstant();
        http.respond(ctx, host.ledger().figures(caller.studioId(), p.from(), p.to(), threeMonthsBefore)
                .map(figures -> new PluginHttp.Reply(200, Summaries.summary(figures, caller.currency(), p.from(),
                        p.to()))));
    }

    /** The most months {@code /reports/monthly} answers: three years, each one pass over the journal. */
    static final int MAX_MONTHS = 36;

    /**
     * The summary of each of the last {@code months} calendar months in the studio's time zone (the current one so
     * far last): what the dashboard charts. Each month's figures are the summary's for that month, to the cent.
     */
    private void monthly(RoutingContext ctx) {
        Caller caller = staff(ctx);
        http.requireParams(ctx, "months");
        int months = months(ctx);
        ZonedDateTime now = ZonedDateTime.ofInstant(caller.now(), caller.zone());
        ZonedDateTime first = now.withDayOfMonth(1).toLocalDate().atStartOfDay(caller.zone()).minusMonths(months - 1);
        JsonArray items = new JsonArray();
        // One month after another: a dashboard's chart must not take the pool from the studio's bookings.
        Future<Void> all = Future.succeededFuture();
        for (int i = 0; i < months; i++) {
            ZonedDateTime start = first.plusMonths(i);
            Instant from = start.toInstant();
            Instant to = i == months - 1 ? caller.now().plusMillis(1) : start.plusMonths(1).toInstant();
            Instant threeMonthsBefore = ZonedDateTime.ofInstant(to, caller.zone()).minusMonths(3).toInstant();
            all = all.compose(done -> host.ledger().figures(caller.studioId(), from, to, threeMonthsBefore)
                    .map(figures -> {
                        items.add(Summaries.summary(figures, caller.currency(), from, to)
                                .put("month", start.toLocalDate().toString().substring(0, 7)));
                        return null;
                    }));
        }
        http.respond(ctx, all.map(done -> new PluginHttp.Reply(200, new JsonObject().put("items", items)
                .putNull("next"))));
    }

    private static int months(RoutingContext ctx) {
        String raw = ctx.queryParams().get("months");
        if (raw == null) {
            return 12;
        }
        try {
            int months = Integer.parseInt(raw);
            if (months >= 1 && months <= MAX_MONTHS) {
                return months;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiProblem.invalid("months", "must be a whole number from 1 to " + MAX_MONTHS);
    }

    private void byExpiry(RoutingContext ctx) {
        Caller caller = staff(ctx);
        http.requireParams(ctx);
        http.respond(ctx, host.ledger().expiringByMonth(caller.studioId()).map(months -> {
            JsonArray items = new JsonArray();
            months.forEach(m -> items.add(new JsonObject().put("month", m.month()).put("credits", m.credits())
                    .put("value", Summaries.money(m.value(), java.util.Currency.getInstance(m.currency())))));
            return new PluginHttp.Reply(200, new JsonObject().put("items", items).putNull("next"));
        }));
    }

    private void creditsCsv(RoutingContext ctx) {
        Caller caller = staff(ctx);
        http.requireParams(ctx, "from", "to");
        Period p = period(ctx, caller);
        stream(ctx, export.write(caller.studioId(), p.from(), p.to(), null, csv(ctx, "credits.csv")));
    }

    private void statement(RoutingContext ctx) {
        Caller caller = staff(ctx);
        http.requireParams(ctx);
        String member = ctx.pathParam("id");
        // The member must be the studio's; then its entries and those of the members merged into it.
        host.ledger().memberWithMerged(caller.studioId(), member)
                .onFailure(ctx::fail)
                .onSuccess(ids -> stream(ctx,
                        export.write(caller.studioId(), null, null, ids, csv(ctx, "statement-" + member + ".csv"))));
    }

    private static HttpServerResponse csv(RoutingContext ctx, String filename) {
        return ctx.response().setChunked(true).putHeader("Content-Type", "text/csv; charset=utf-8")
                .putHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    }

    /** Ends the response when the export is written; a failure after the first bytes breaks the transfer. */
    private static void stream(RoutingContext ctx, Future<Void> written) {
        written.onComplete(done -> {
            if (done.succeeded()) {
                ctx.response().end();
            } else if (!ctx.response().headWritten()) {
                ctx.fail(done.cause());
            } else {
                ctx.response().reset();
            }
        });
    }

    private Caller staff(RoutingContext ctx) {
        http.requireRole(ctx, Role.OWNER, Role.COACH);
        return http.caller(ctx);
    }
}
