package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.api.Money;
import dev.creditline.api.Lot;
import dev.creditline.api.Role;
import dev.creditline.kernel.pipeline.LedgerCommands;
import dev.creditline.kernel.pipeline.LedgerCommands.Purchased;
import dev.creditline.kernel.pipeline.LedgerCommands.Refunded;
import dev.creditline.kernel.pipeline.LedgerCommands.Voided;
import dev.creditline.store.BatchAdjust;
import dev.creditline.store.BatchAdjust.Adjusted;
import dev.creditline.store.BulkGrants;
import dev.creditline.store.CatalogueRepository;
import dev.creditline.store.CreditCommands;
import dev.creditline.store.CreditCommands.AdjustMode;
import dev.creditline.store.CreditQueries;
import dev.creditline.store.CreditView;
import dev.creditline.store.JournalRepository;
import dev.creditline.store.LotRepository;
import dev.creditline.store.Names;
import dev.creditline.store.PurchaseCommands;
import dev.creditline.store.PurchaseRepository;
import dev.creditline.store.Rejection;
import dev.creditline.store.StudioContext;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A member's credits: the credit view, adjustments, purchases and voids, the credit log and the eligibility
 * explanation. Staff reach them under {@code /v1/members/{id}}, athletes their own under {@code /v1/me}.
 */
public final class CreditRoutes implements Routes {
    private static final int MAX_CREDITS = 100_000;
    /** The query parameters of each read ({@code asOf}: the credit view as the journal had it then). */
    private static final Handler<RoutingContext> CREDITS_PARAMS = Http.params("asOf");
    private static final Handler<RoutingContext> LOG_PARAMS = Http.listParams("account", "from", "to");
    private static final Handler<RoutingContext> ELIGIBILITY_PARAMS = Http.params("schedulerId", "startsAt");

    private final Auth auth;
    private final Pool pool;
    private final LedgerCommands ledger;
    private final CreditQueries queries;
    private final CatalogueRepository catalogue;
    private final PurchaseRepository purchases;
    private final LotRepository lots;
    private final BulkGrants bulkGrants;
    private final Names names;

    @Inject
    public CreditRoutes(Auth auth, Pool pool, LedgerCommands ledger, CreditQueries queries,
                        CatalogueRepository catalogue,
                        PurchaseRepository purchases, LotRepository lots, BulkGrants bulkGrants, Names names) {
        this.names = names;
        this.bulkGrants = bulkGrants;
        this.auth = auth;
        this.pool = pool;
        this.ledger = ledger;
        this.queries = queries;
        this.catalogue = catalogue;
        this.purchases = purchases;
        this.lots = lots;
    }

    @Override
    public void mount(Router router) {
        router.get("/v1/members/:id/credits").handler(auth.staff()).handler(CREDITS_PARAMS)
                .handler(staff(this::credits));
        router.get("/v1/members/:id/credit-logs").handler(auth.staff()).handler(LOG_PARAMS).handler(staff(this::log));
        router.get("/v1/members/:id/journal").handler(auth.staff()).handler(LOG_PARAMS)
                .handler(staff(this::journal));
        router.get("/v1/members/:id/eligibility").handler(auth.staff()).handler(ELIGIBILITY_PARAMS)
                .handler(staff(this::eligibility));
        router.post("/v1/members/:id/credits/adjust").handler(auth.staff()).handler(this::adjust);
        router.post("/v1/credits/bulk-grant").handler(auth.staff()).handler(this::bulkGrant);
        router.post("/v1/members/:id/purchases").handler(auth.staff()).handler(this::purchase);
        router.get("/v1/purchases").handler(auth.staff()).handler(Http.listParams("memberId", "status"))
                .handler(this::listPurchases);
        router.get("/v1/purchases/:id").handler(auth.staff()).handler(Http.params()).handler(this::getPurchase);
        router.post("/v1/purchases/:id/void").handler(auth.staff()).handler(this::voidPurchase);
        router.post("/v1/purchases/:id/refund").handler(auth.staff()).handler(this::refundPurchase);

        router.get("/v1/me").handler(auth.allow(Role.ATHLETE)).handler(Http.params()).handler(self(this::me));
        router.get("/v1/me/credits").handler(auth.allow(Role.ATHLETE)).handler(CREDITS_PARAMS)
                .handler(self(this::credits));
        router.get("/v1/me/credit-logs").handler(auth.allow(Role.ATHLETE)).handler(LOG_PARAMS)
                .handler(self(this::log));
        router.get("/v1/me/eligibility").handler(auth.allow(Role.ATHLETE)).handler(ELIGIBILITY_PARAMS)
                .handler(self(this::eligibility));
    }

    /** A read of a member named in the path. */
    private interface MemberRead {
        Future<Reply> read(RoutingContext ctx, StudioContext studio, String memberId);
    }

    private static Handler<RoutingContext> staff(MemberRead read) {
        return ctx -> Http.respond(ctx,
                read.read(ctx, Http.caller(ctx).studio(), Http.pathId(ctx, "id", "member")));
    }

    private static Handler<RoutingContext> self(MemberRead read) {
        return ctx -> Http.respond(ctx, read.read(ctx, Http.caller(ctx).studio(), Http.caller(ctx).memberId()));
    }

    private Future<Reply> me(RoutingContext ctx, StudioContext s, String memberId) {
        return queries.member(pool, s, memberId).map(member -> Reply.ok(Views.member(member)));
    }

    private Future<Reply> credits(RoutingContext ctx, StudioContext s, String memberId) {
        Instant asOf = Http.instant(ctx, "asOf");
        // One connection for the view's reads, so they travel together. A refusal inside must come back as a failed
        // future: thrown, it would leave the connection taken from the pool.
        return pool.withConnection(c -> Future.succeededFuture(c).compose(conn -> asOf == null
                        ? queries.credits(conn, s, memberId) : queries.creditsAsOf(conn, s, memberId, asOf)))
                .map(view -> {
                    ObjectNode body = Views.credits(view);
                    if (asOf != null) {
                        body.put("asOf", asOf.toString());
                    }
                    return Reply.ok(body);
                });
    }

    /** The credit log: one item per action, newest first. */
    private Future<Reply> log(RoutingContext ctx, StudioContext s, String memberId) {
        LogQuery q = LogQuery.of(ctx);
        return queries.log(pool, s, memberId, q.account, q.from, q.to, q.below, q.limit).map(page -> {
            ArrayNode items = Json.array();
            page.items().forEach(item -> items.add(Views.logItem(s.id(), item)));
            return Reply.ok(Views.page(items, LogQuery.cursor(page.next())));
        });
    }

    /** The journal for auditors: one entry per lot changed, newest first. */
    private Future<Reply> journal(RoutingContext ctx, StudioContext s, String memberId) {
        LogQuery q = LogQuery.of(ctx);
        return queries.journal(pool, s, memberId, q.account, q.from, q.to, q.below, q.limit).map(page -> {
            ArrayNode items = Json.array();
            page.items().forEach(entry -> items.add(Views.journalEntry(s.id(), entry,
                    page.unlimited().contains(entry.seq()))));
            return Reply.ok(Views.page(items, LogQuery.cursor(page.next())));
        });
    }

    /** The parameters of a credit log or journal read. */
    private record LogQuery(String account, Instant from, Instant to, JournalRepository.Position below, int limit) {
        static LogQuery of(RoutingContext ctx) {
            String account = Http.query(ctx, "account", 64);
            Instant from = Http.instant(ctx, "from");
            Instant to = Http.instant(ctx, "to");
            int limit = Http.limit(ctx);
            long[] cursor = Http.cursor(ctx, 2);
            JournalRepository.Position below = cursor == null ? null
                    : new JournalRepository.Position(Instant.EPOCH.plus(cursor[0], ChronoUnit.MICROS), cursor[1]);
            return new LogQuery(account, from, to, below, limit);
        }

        static String cursor(JournalRepository.Position next) {
            return next == null ? null
                    : Http.cursor(ChronoUnit.MICROS.between(Instant.EPOCH, next.at()), next.seq());
        }
    }

    private Future<Reply> eligibility(RoutingContext ctx, StudioContext s, String memberId) {
        String schedulerId = Http.query(ctx, "schedulerId", 64);
        if (schedulerId == null) {
            throw Problem.invalid("schedulerId", "is required");
        }
        Instant startsAt = Http.instant(ctx, "startsAt");
        return catalogue.scheduler(pool, s.id(), schedulerId).compose(scheduler -> {
            if (scheduler == null) {
                throw Rejection.notFound("schedulerId", "scheduler", schedulerId);
            }
            return queries.eligibility(pool, s, memberId, scheduler, startsAt)
                    .map(report -> Reply.ok(Views.eligibility(report).put("memberId", memberId)));
        });
    }

    private void adjust(RoutingContext ctx) {
        Caller caller = Http.caller(ctx);
        StudioContext s = caller.studio();
        String memberId = Http.pathId(ctx, "id", "member");
        ObjectNode body = Http.body(ctx);
        Input in = Input.of(body, "account", "mode", "amount", "expectedBalance", "expiresAt", "reason");
        String account = in.string("account", true, 64);
        AdjustMode mode = in.choice("mode", true, AdjustMode.class);
        Integer amount = in.integer("amount", true, mode == AdjustMode.SET ? 0 : 1, MAX_CREDITS);
        Integer expected = in.integer("expectedBalance", mode == AdjustMode.SET, 0, Integer.MAX_VALUE);
        if (mode == AdjustMode.ADD && in.has("expectedBalance")) {
            in.error("expectedBalance", "is for mode set only");
        }
        Instant expiresAt = in.instant("expiresAt", false);
        if (expiresAt != null && !expiresAt.isAfter(s.now())) {
            in.error("expiresAt", "must be in the future (the studio's time is " + s.now() + ")");
        }
        String reason = in.string("reason", true, 500);
        in.check();
        var command = new CreditCommands.Adjust(memberId, account, mode, amount, expected, expiresAt, reason);
        String key = Writes.key(ctx);
        Http.respond(ctx, ledger.adjust(new BatchAdjust.Request(caller.call(key), command, true),
                Writes.hash(ctx, key, body), Writes.renderer(ctx, Reply::ok,
                        (Adjusted adjusted) -> Views.account(adjusted.view(), account(adjusted.view(), account))))
                .map(answer -> Writes.reply(ctx, answer)));
    }

    private void bulkGrant(RoutingContext ctx) {
        Caller caller = Http.caller(ctx);
        StudioContext s = caller.studio();
        ObjectNode body = Http.body(ctx);
        Input in = Input.of(body, "tag", "account", "amount", "expiresAt", "reason");
        String tag = in.string("tag", true, 64);
        String account = in.string("account", false, 64);
        Integer amount = in.integer("amount", true, 1, MAX_CREDITS);
        Instant expiresAt = in.instant("expiresAt", false);
        if (expiresAt != null && !expiresAt.isAfter(s.now())) {
            in.error("expiresAt", "must be in the future (the studio's time is " + s.now() + ")");
        }
        String reason = in.string("reason", true, 500);
        in.check();
        String key = Writes.key(ctx);
        var request = new BulkGrants.Request(tag, account == null ? "master" : account, amount, expiresAt, reason);
        Http.respond(ctx, bulkGrants.run(pool, s, caller.actor(), request, key,
                Json.requestHash(ctx.request().method().name(), ctx.request().uri(), body)).map(result -> {
                    if (result.replayed()) {
                        ctx.response().putHeader("Idempotent-Replayed", "true");
                    }
                    return Reply.ok(Json.object().put("granted", result.granted()).put("id", result.id()));
                }));
    }

    private void refundPurchase(RoutingContext ctx) {
        Caller caller = Http.caller(ctx);
        String id = Http.pathId(ctx, "id", "purchase");
        ObjectNode body = Http.body(ctx);
        Input in = Input.of(body, "mode", "reason");
        PurchaseCommands.RefundMode mode = in.choice("mode", true, PurchaseCommands.RefundMode.class);
        String reason = in.string("reason", true, 500);
        in.check();
        String key = Writes.key(ctx);
        var order = new PurchaseCommands.RefundOrder(caller.call(key), id, mode, reason);
        Http.respond(ctx, ledger.refund(order, Writes.hash(ctx, key, body), Writes.renderer(ctx, Reply::ok,
                (Refunded refunded) -> {
                    PurchaseCommands.RefundResult result = refunded.result();
                    ObjectNode view = Views.purchase(result.purchase(), null, refunded.names());
                    ObjectNode refund = view.putObject("refund")
                            .put("mode", result.mode().name().toLowerCase(java.util.Locale.ROOT))
                            .put("credits", result.credits()).put("explanation", result.explanation());
                    refund.set("amount", result.amount() == null ? null : Views.money(result.amount()));
                    refund.set("storeCredit", result.storeCredit() == null ? null : Views.lot(result.storeCredit()));
                    return view;
                })).map(answer -> Writes.reply(ctx, answer)));
    }

    private static CreditView.Account account(CreditView view, String account) {
        return view.accounts().stream().filter(a -> a.account().equals(account)).findFirst()
                .orElseThrow(() -> new IllegalStateException("account " + account + " missing after a change"));
    }

    private void purchase(RoutingContext ctx) {
        Caller caller = Http.caller(ctx);
        String memberId = Http.pathId(ctx, "id", "member");
        ObjectNode body = Http.body(ctx);
        Input in = Input.of(body, "productId", "payment", "amountPaid", "voucherCode");
        String productId = in.string("productId", true, 64);
        String payment = in.string("payment", true, 32);
        Money amountPaid = in.money("amountPaid", false, caller.studio().currency());
        String voucherCode = in.string("voucherCode", false, 64);
        in.check();
        var request = new PurchaseCommands.Request(memberId, productId, payment, amountPaid, voucherCode);
        String key = Writes.key(ctx);
        Http.respond(ctx, ledger.purchase(new PurchaseCommands.Order(caller.call(key), request),
                Writes.hash(ctx, key, body), Writes.renderer(ctx, Reply::created, (Purchased purchased) ->
                        Views.purchase(purchased.result().purchase(), purchased.result().lots(), purchased.names())))
                .map(answer -> Writes.reply(ctx, answer)));
    }

    private void getPurchase(RoutingContext ctx) {
        StudioContext s = Http.caller(ctx).studio();
        String id = Http.pathId(ctx, "id", "purchase");
        Http.respond(ctx, purchases.find(pool, s.id(), id, false).compose(purchase -> {
            if (purchase == null) {
                throw Rejection.notFound("id", "purchase", id);
            }
            return lots.ofPurchase(pool, s.id(), id).compose(issued -> purchaseView(pool, s.id(), purchase, issued))
                    .map(Reply::ok);
        }));
    }

    /** A purchase as the API shows it, with its member's and product's names. */
    private Future<ObjectNode> purchaseView(SqlClient client, String studioId, PurchaseRepository.Purchase purchase,
                                            List<Lot> issued) {
        return names.of(client, studioId, List.of(purchase.memberId()), List.of(purchase.productId()), List.of())
                .map(found -> Views.purchase(purchase, issued, found));
    }

    /** The studio's purchases, newest first, of one member and in one status when those are given. */
    private void listPurchases(RoutingContext ctx) {
        String studioId = Http.caller(ctx).studio().id();
        String memberId = Http.query(ctx, "memberId", 64);
        PurchaseRepository.Status status = Http.choice(ctx, "status", PurchaseRepository.Status.class);
        Http.respond(ctx, purchases.list(pool, studioId, memberId, status, Http.below(ctx), Http.limit(ctx))
                .compose(page -> names.of(pool, studioId,
                                page.items().stream().map(PurchaseRepository.Purchase::memberId).toList(),
                                page.items().stream().map(PurchaseRepository.Purchase::productId).toList(), List.of())
                        .map(found -> Http.page(page, purchase -> Views.purchase(purchase, null, found)))));
    }

    private void voidPurchase(RoutingContext ctx) {
        Caller caller = Http.caller(ctx);
        String id = Http.pathId(ctx, "id", "purchase");
        ObjectNode body = Http.body(ctx);
        Input in = Input.of(body, "reason");
        String reason = in.string("reason", true, 500);
        in.check();
        String key = Writes.key(ctx);
        var order = new PurchaseCommands.VoidOrder(caller.call(key), id, reason);
        Http.respond(ctx, ledger.voidPurchase(order, Writes.hash(ctx, key, body), Writes.renderer(ctx, Reply::ok,
                (Voided voided) -> Views.purchase(voided.result().purchase(), null, voided.names())
                        .put("voided", voided.result().voided()))).map(answer -> Writes.reply(ctx, answer)));
    }
}
