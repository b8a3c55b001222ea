package dev.creditline.plugins.vouchers;

import dev.creditline.api.Money;
import dev.creditline.api.Role;
import dev.creditline.api.spi.ApiProblem;
import dev.creditline.api.spi.Caller;
import dev.creditline.api.spi.Fields;
import dev.creditline.api.spi.LedgerService;
import dev.creditline.api.spi.PluginDatabase;
import dev.creditline.api.spi.PluginHttp;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The voucher API: {@code POST /v1/vouchers} (own or generated code), {@code GET /v1/vouchers/{code}} and
 * {@code POST /v1/vouchers/{code}/redeem} for free credits and free packages. Discounts apply through purchases.
 */
final class VoucherRoutes {
    /** Codes people read aloud and type: no 0/O, 1/I/L. */
    static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    private static final Pattern OWN_CODE = Pattern.compile("[A-Z0-9][A-Z0-9-]{2,31}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PluginHttp http;
    private final LedgerService ledger;
    private final VoucherStore store;
    private final PluginDatabase database;

    @Inject
    VoucherRoutes(PluginHttp http, LedgerService ledger, VoucherStore store, PluginDatabase database) {
        this.http = http;
        this.ledger = ledger;
        this.store = store;
        this.database = database;
    }

    void register() {
        http.routes(router -> {
            router.api(HttpMethod.POST, "/vouchers").handler(this::create);
            router.api(HttpMethod.GET, "/vouchers").handler(this::list);
            router.api(HttpMethod.GET, "/vouchers/:code").handler(this::get);
            router.api(HttpMethod.POST, "/vouchers/:code/redeem").handler(this::redeem);
        });
    }

    /** A new code of 8 characters from the unambiguous alphabet. */
    static String generateCode() {
        StringBuilder code = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    private void create(RoutingContext ctx) {
        http.requireRole(ctx, Role.OWNER, Role.COACH);
        Caller caller = http.caller(ctx);
        Fields in = http.fields(ctx, "code", "type", "value", "productIds", "maxRedemptions", "oncePerMember",
                "validFrom", "validUntil");
        String own = in.string("code", false, 32);
        if (own != null && !OWN_CODE.matcher(own.toUpperCase(Locale.ROOT)).matches()) {
            in.error("code", "must be 3 to 32 letters, digits or dashes");
        }
        Voucher.Type type = in.choice("type", true, Voucher.Type.class);
        Integer percent = type == Voucher.Type.PERCENT ? in.integer("value", true, 1, 100) : null;
        Money amount = type == Voucher.Type.AMOUNT ? in.money("value", true, caller.currency()) : null;
        if (amount != null && amount.minor() == 0) {
            in.error("value", "must be more than zero");
        }
        Integer credits = type == Voucher.Type.FREE_CREDITS ? in.integer("value", true, 1, 1000) : null;
        String productId = type == Voucher.Type.FREE_PACKAGE ? in.string("value", true, 64) : null;
        List<String> productIds = in.strings("productIds", false, 100, 64);
        if (productIds != null && type != null && !type.discount()) {
            in.error("productIds", "limits discounts only; a free package names its product in value");
        }
        Integer max = in.integer("maxRedemptions", false, 1, 1_000_000);
        Boolean once = in.bool("oncePerMember", false);
        Instant from = in.instant("validFrom", false);
        Instant until = in.instant("validUntil", false);
        if (from != null && until != null && !until.isAfter(from)) {
            in.error("validUntil", "must be after validFrom");
        }
        in.check();
        Voucher voucher = new Voucher(own != null ? own.toUpperCase(Locale.ROOT) : generateCode(), type, percent,
                amount, credits, productId, productIds, max, Boolean.TRUE.equals(once), from, until, 0, caller.now());
        JsonObject body = ctx.body().asJsonObject();
        http.respond(ctx, http.write(ctx, body, (tx, key) -> products(tx, caller, voucher)
                .compose(done -> insert(tx, caller, voucher, own == null ? 5 : 1))
                .map(stored -> new PluginHttp.Reply(201, stored.toJson()))));
    }

    /** Stores the voucher; a generated code that is taken already is drawn again. */
    private Future<Voucher> insert(SqlConnection tx, Caller caller, Voucher voucher, int tries) {
        return store.insert(tx, caller.studioId(), voucher, caller.actor()).compose(inserted -> {
            if (inserted) {
                return Future.succeededFuture(voucher);
            }
            if (tries <= 1) {
                throw ApiProblem.conflict("code_taken", "the studio has a voucher " + voucher.code() + " already");
            }
            return insert(tx, caller, voucher.withCode(generateCode()), tries - 1);
        });
    }

    /** The products a voucher names must be the studio's, and a free package's must be sellable. */
    private Future<Void> products(SqlConnection tx, Caller caller, Voucher voucher) {
        List<String> named = new ArrayList<>();
        if (voucher.productIds() != null) {
            named.addAll(voucher.productIds());
        }
        if (voucher.productId() != null) {
            named.add(voucher.productId());
        }
        Future<Void> checked = Future.succeededFuture();
        for (String id : named) {
            checked = checked.compose(done -> ledger.in(tx).product(caller.studioId(), id).map(product -> {
                String field = id.equals(voucher.productId()) ? "value" : "productIds";
                if (product == null) {
                    throw ApiProblem.notFound(field, "no product with id " + id);
                }
                if (field.equals("value") && (!product.active() || product.credits() == null)) {
                    throw ApiProblem.invalid("value", "product " + id + " cannot be given: it is deactivated or "
                            + "not a package");
                }
                return null;
            }));
        }
        return checked;
    }

    /** The studio's vouchers, newest first. */
    private void list(RoutingContext ctx) {
        http.requireRole(ctx, Role.OWNER, Role.COACH);
        http.requireParams(ctx, "limit", "cursor");
        Caller caller = http.caller(ctx);
        int limit = http.limit(ctx);
        String cursor = http.cursor(ctx);
        Long below = position(cursor);
        http.respond(ctx, store.page(database.pool(), caller.studioId(), below, limit).map(vouchers -> {
            io.vertx.core.json.JsonArray items = new io.vertx.core.json.JsonArray();
            vouchers.stream().limit(limit).forEach(v -> items.add(v.voucher().toJson()));
            String next = vouchers.size() > limit ? http.cursor(Long.toString(vouchers.get(limit - 1).seq())) : null;
            return new PluginHttp.Reply(200, new JsonObject().put("items", items).put("next", next));
        }));
    }

    /** The position a list cursor names (null when absent); 422 naming {@code cursor} when it is none of ours. */
    private static Long position(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw ApiProblem.invalid("cursor", "is not a cursor of this list");
        }
    }

    private void get(RoutingContext ctx) {
        http.requireRole(ctx, Role.OWNER, Role.COACH);
        http.requireParams(ctx);
        Caller caller = http.caller(ctx);
        String code = ctx.pathParam("code").toUpperCase(Locale.ROOT);
        http.respond(ctx, store.find(database.pool(), caller.studioId(), code, false).map(voucher -> {
            if (voucher == null) {
                throw ApiProblem.notFound("code", "no voucher " + code);
            }
            return new PluginHttp.Reply(200, voucher.toJson());
        }));
    }

    private void redeem(RoutingContext ctx) {
        http.requireRole(ctx, Role.OWNER, Role.COACH);
        Caller caller = http.caller(ctx);
        String code = ctx.pathParam("code").toUpperCase(Locale.ROOT);
        Fields in = http.fields(ctx, "memberId");
        String memberId = in.string("memberId", true, 64);
        in.check();
        JsonObject body = ctx.body().asJsonObject();
        http.respond(ctx, http.write(ctx, body, (tx, key) -> store.find(tx, caller.studioId(), code, true)
                .compose(voucher -> {
                    if (voucher == null) {
                        throw ApiProblem.notFound("code", "no voucher " + code);
                    }
                    if (voucher.type().discount()) {
                        throw ApiProblem.conflict("voucher_applies_to_purchases", "voucher " + code
                                + " is a discount: give it as voucherCode of a purchase");
                    }
                    return store.redemptionsBy(tx, caller.studioId(), code, memberId).compose(used -> {
                        String refusal = voucher.refusal(caller.now(), null, used);
                        if (refusal != null) {
                            throw new ApiProblem(409, "voucher_refused", refusal, "code");
                        }
                        return give(tx, caller, voucher, memberId);
                    });
                })));
    }

    private Future<PluginHttp.Reply> give(SqlConnection tx, Caller caller, Voucher voucher, String memberId) {
        String reason = "voucher " + voucher.code();
        LedgerService inTx = ledger.in(tx);
        JsonObject answer = new JsonObject().put("code", voucher.code()).put("memberId", memberId)
                .put("type", voucher.type().wireName());
        if (voucher.type() == Voucher.Type.FREE_CREDITS) {
            return inTx.grant(new LedgerService.Grant(caller.studioId(), memberId, "master", voucher.credits(), null,
                            caller.actor(), reason, null))
                    .compose(lot -> store.redeem(tx, caller.studioId(), voucher.code(), memberId, null, caller.now())
                            .map(done -> new PluginHttp.Reply(200, answer.put("credits", voucher.credits())
                                    .put("lotId", lot.id()))));
        }
        return inTx.giveProduct(new LedgerService.GiveProduct(caller.studioId(), memberId, voucher.productId(),
                        caller.actor(), reason))
                .compose(purchase -> store.redeem(tx, caller.studioId(), voucher.code(), memberId, purchase.id(),
                                caller.now())
                        .map(done -> new PluginHttp.Reply(200, answer.put("purchaseId", purchase.id())
                                .put("productId", purchase.productId()))));
    }
}
