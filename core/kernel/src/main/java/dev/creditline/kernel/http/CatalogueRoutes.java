package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.api.Money;
import dev.creditline.api.PaymentMode;
import dev.creditline.api.ProductKind;
import dev.creditline.api.Scheduler;
import dev.creditline.api.ValidityStart;
import dev.creditline.store.CatalogueRepository;
import dev.creditline.store.CatalogueRepository.Product;
import dev.creditline.store.CatalogueRepository.Trainer;
import dev.creditline.store.Ids;
import dev.creditline.store.Rejection;
import dev.creditline.store.StudioContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.threeten.extra.PeriodDuration;

/** The studio's catalogue: trainers, schedulers and products. Owners change it; coaches read it. */
public final class CatalogueRoutes implements Routes {
    private static final int MAX_CREDITS = 100_000;

    private final Auth auth;
    private final Pool pool;
    private final Writes writes;
    private final CatalogueRepository catalogue;

    @Inject
    public CatalogueRoutes(Auth auth, Pool pool, Writes writes, CatalogueRepository catalogue) {
        this.auth = auth;
        this.pool = pool;
        this.writes = writes;
        this.catalogue = catalogue;
    }

    @Override
    public void mount(Router router) {
        router.post("/v1/trainers").handler(auth.owner()).handler(this::createTrainer);
        router.get("/v1/trainers").handler(auth.staff()).handler(Http.listParams()).handler(ctx -> Http.respond(ctx,
                catalogue.trainers(pool, Http.caller(ctx).studio().id(), Http.below(ctx), Http.limit(ctx))
                        .map(page -> Http.page(page, Views::trainer))));
        router.get("/v1/trainers/:id").handler(auth.staff()).handler(Http.params()).handler(this::getTrainer);
        router.post("/v1/schedulers").handler(auth.owner()).handler(this::createScheduler);
        router.get("/v1/schedulers").handler(auth.staff()).handler(Http.listParams()).handler(ctx -> Http.respond(ctx,
                catalogue.schedulers(pool, Http.caller(ctx).studio().id(), Http.below(ctx), Http.limit(ctx))
                        .map(page -> Http.page(page, Views::scheduler))));
        router.get("/v1/schedulers/:id").handler(auth.staff()).handler(Http.params()).handler(this::getScheduler);
        router.patch("/v1/schedulers/:id").handler(auth.owner()).handler(this::patchScheduler);
        router.post("/v1/products").handler(auth.owner()).handler(this::createProduct);
        router.get("/v1/products").handler(auth.staff()).handler(Http.listParams("active")).handler(ctx ->
                Http.respond(ctx, catalogue.products(pool, Http.caller(ctx).studio().id(), Http.bool(ctx, "active"),
                        Http.below(ctx), Http.limit(ctx)).map(page -> Http.page(page, Views::product))));
        router.get("/v1/products/:id").handler(auth.staff()).handler(Http.params()).handler(this::getProduct);
        router.patch("/v1/products/:id").handler(auth.owner()).handler(this::patchProduct);
        router.post("/v1/products/:id/deactivate").handler(auth.owner()).handler(this::deactivateProduct);
    }

    // Trainers

    private void createTrainer(RoutingContext ctx) {
        StudioContext s = Http.caller(ctx).studio();
        ObjectNode body = Http.body(ctx);
        Input in = Input.of(body, "name");
        String name = in.string("name", true, 200);
        in.check();
        Trainer trainer = new Trainer(Ids.next("trn"), name, true, s.now());
        Http.respond(ctx, writes.run(ctx, body, (c, key) -> catalogue.insertTrainer(c, s.id(), trainer)
                .map(done -> Reply.created(Views.trainer(trainer)))));
    }

    private void getTrainer(RoutingContext ctx) {
        String id = Http.pathId(ctx, "id", "trainer");
        Http.respond(ctx, catalogue.trainer(pool, Http.caller(ctx).studio().id(), id).map(trainer -> {
            if (trainer == null) {
                throw Rejection.notFound("id", "trainer", id);
            }
            return Reply.ok(Views.trainer(trainer));
        }));
    }

    private Future<Void> requireTrainer(SqlClient client, StudioContext s, String trainerId, String field) {
        if (trainerId == null) {
            return Future.succeededFuture();
        }
        return catalogue.trainer(client, s.id(), trainerId).map(trainer -> {
            if (trainer == null) {
                throw Rejection.notFound(field, "trainer", trainerId);
            }
            return null;
        });
    }

    // Schedulers

    private static final String[] SCHEDULER_FIELDS =
            {"name", "creditCost", "paymentMode", "trainerId", "cancellationWindow", "price", "penalty"};

    private void createScheduler(RoutingContext ctx) {
        StudioContext s = Http.caller(ctx).studio();
        ObjectNode body = Http.body(ctx);
        Input in = Input.of(body, SCHEDULER_FIELDS);
        String name = in.string("name", true, 200);
        Integer creditCost = in.integer("creditCost", true, 1, 1000);
        PaymentMode mode = in.choice("paymentMode", true, PaymentMode.class);
        String trainerId = in.string("trainerId", false, 64);
        PeriodDuration window = in.period("cancellationWindow", true, true);
        Money price = in.money("price", false, s.currency());
        String penalty = in.penalty("penalty");
        in.check();
        Scheduler scheduler = new Scheduler(Ids.next("sch"), name, creditCost, mode, trainerId, window, price);
        Http.respond(ctx, writes.run(ctx, body, (c, key) -> requireTrainer(c, s, scheduler.trainerId(), "trainerId")
                .compose(done -> catalogue.insertScheduler(c, s.id(), scheduler, s.now()))
                .compose(done -> penalty == null ? Future.<Void>succeededFuture()
                        : catalogue.setSchedulerPenalty(c, s.id(), scheduler.id(), penalty))
                .map(done -> Reply.created(Views.withPenalty(Views.scheduler(scheduler), penalty, false)))));
    }

    private void getScheduler(RoutingContext ctx) {
        String id = Http.pathId(ctx, "id", "scheduler");
        StudioContext studio = Http.caller(ctx).studio();
        Future<Scheduler> scheduler = scheduler(pool, studio, id);
        Future<String> penalty = catalogue.schedulerPenalty(pool, studio.id(), id);
        Http.respond(ctx, Future.all(scheduler, penalty).map(read -> Reply.ok(
                Views.withPenalty(Views.scheduler(scheduler.result()), penalty.result(), false))));
    }

    private Future<Scheduler> scheduler(SqlClient client, StudioContext s, String id) {
        return catalogue.scheduler(client, s.id(), id).map(scheduler -> {
            if (scheduler == null) {
                throw Rejection.notFound("id", "scheduler", id);
            }
            return scheduler;
        });
    }

    private void patchScheduler(RoutingContext ctx) {
        StudioContext s = Http.caller(ctx).studio();
        String id = Http.pathId(ctx, "id", "scheduler");
        ObjectNode body = Http.body(ctx);
        Input in = Input.of(body, SCHEDULER_FIELDS);
        String name = in.string("name", false, 200);
        Integer creditCost = in.integer("creditCost", false, 1, 1000);
        PaymentMode mode = in.choice("paymentMode", false, PaymentMode.class);
        String trainerId = in.string("trainerId", false, 64);
        PeriodDuration window = in.period("cancellationWindow", false, true);
        Money price = in.money("price", false, s.currency());
        // Sent as null, the scheduler follows the studio's setting again.
        String penalty = in.penalty("penalty");
        // Null would read as "not sent" and keep the old value silently; trainer, price and penalty can be removed.
        in.refuseRemoval("name", "creditCost", "paymentMode", "cancellationWindow");
        in.check();
        Http.respond(ctx, writes.run(ctx, body, (c, key) -> catalogue.lockScheduler(c, s.id(), id).compose(current -> {
            if (current == null) {
                throw Rejection.notFound("id", "scheduler", id);
            }
            Scheduler patched = new Scheduler(id, name != null ? name : current.name(),
                    creditCost != null ? creditCost : current.creditCost(),
                    mode != null ? mode : current.paymentMode(),
                    in.has("trainerId") ? trainerId : current.trainerId(),
                    window != null ? window : current.cancellationWindow(),
                    in.has("price") ? price : current.price());
            return requireTrainer(c, s, in.has("trainerId") ? trainerId : null, "trainerId")
                    .compose(done -> catalogue.updateScheduler(c, s.id(), patched, s.now()))
                    .compose(done -> in.has("penalty") ? catalogue.setSchedulerPenalty(c, s.id(), id, penalty)
                            : Future.<Void>succeededFuture())
                    .compose(done -> catalogue.schedulerPenalty(c, s.id(), id))
                    .map(setting -> Reply.ok(Views.withPenalty(Views.scheduler(patched), setting, false)));
        })));
    }

    // Products

    private static final String[] PRODUCT_FIELDS = {"name", "kind", "credits", "price", "validity", "validityStart",
        "billingInterval", "redeemableSchedulerIds", "trainerId", "usageLimits", "rolloverMax"};

    /** A product's terms read from a body; absent fields keep {@code base}'s (null base: a new product). */
    private static Product terms(Input in, StudioContext s, Product base) {
        boolean create = base == null;
        String name = in.string("name", create, 200);
        ProductKind kind = create ? in.choice("kind", true, ProductKind.class) : base.kind();
        if (!create && in.has("kind") && in.choice("kind", true, ProductKind.class) != base.kind()) {
            in.error("kind", "cannot change; create another product");
        }
        Integer credits = in.has("credits") || create ? credits(in, kind) : null;
        Money price = in.money("price", create, s.currency());
        PeriodDuration validity = in.period("validity", false, false);
        ValidityStart start = in.choice("validityStart", false, ValidityStart.class);
        PeriodDuration billing = in.period("billingInterval", false, false);
        List<String> schedulers = in.strings("redeemableSchedulerIds", false, 200, 64);
        String trainerId = in.string("trainerId", false, 64);
        JsonArray usageLimits = usageLimits(in);
        Integer rolloverMax = in.integer("rolloverMax", false, 0, MAX_CREDITS);

        if (!create) {
            in.refuseRemoval("name", "price", "validityStart", "credits");
        }
        ValidityStart startOrDefault = start == null && create ? ValidityStart.PURCHASE : start;
        Product p = new Product(create ? Ids.next("prd") : base.id(), create ? 1 : base.version() + 1,
                create || base.active(),
                kept(in, "name", name, base, Product::name), kind,
                in.has("credits") || create ? credits : base.credits(),
                kept(in, "price", price, base, Product::price),
                kept(in, "validity", validity, base, Product::validity),
                kept(in, "validityStart", startOrDefault, base, Product::validityStart),
                kept(in, "billingInterval", billing, base, Product::billingInterval),
                kept(in, "redeemableSchedulerIds", schedulers, base, Product::redeemableSchedulerIds),
                kept(in, "trainerId", trainerId, base, Product::trainerId),
                usageLimits != null ? usageLimits : create ? new JsonArray() : base.usageLimits(),
                kept(in, "rolloverMax", rolloverMax, base, Product::rolloverMax),
                s.now());
        if (p.validityStart() == ValidityStart.FIRST_USE && p.validity() == null) {
            in.error("validity", "is required when validityStart is first_use, such as P6M");
        }
        if (kind == ProductKind.SUBSCRIPTION && p.billingInterval() == null) {
            in.error("billingInterval", "is required for a subscription, such as P1M");
        }
        if (kind == ProductKind.PACKAGE && in.hasValue("billingInterval")) {
            in.error("billingInterval", "only subscriptions have a billing interval");
        }
        if (p.rolloverMax() != null && (kind != ProductKind.SUBSCRIPTION || p.unlimited())) {
            in.error("rolloverMax", "only subscriptions with a number of credits carry credits into a new period");
        }
        if (kind == ProductKind.PACKAGE && p.unlimited() && (in.has("credits") || create)) {
            in.error("credits", "unlimited credits come with subscriptions; a package has a number of credits");
        }
        return p;
    }

    /** The value read from the body when the field was given (or when creating), else the base version's. */
    private static <T> T kept(Input in, String field, T given, Product base, Function<Product, T> current) {
        return base == null || in.has(field) ? given : current.apply(base);
    }

    private static Integer credits(Input in, ProductKind kind) {
        JsonNode raw = in.raw("credits");
        if (raw != null && raw.isTextual() && raw.textValue().equals("unlimited")) {
            return null;
        }
        Integer credits = in.integer("credits", true, 1, MAX_CREDITS);
        return credits == null ? 0 : credits;
    }

    private static JsonArray usageLimits(Input in) {
        JsonNode raw = in.raw("usageLimits");
        if (raw == null || raw.isNull()) {
            return in.has("usageLimits") ? new JsonArray() : null;
        }
        if (!raw.isArray() || raw.size() > 20) {
            in.error("usageLimits", "must be an array of at most 20 limits");
            return null;
        }
        JsonArray limits = new JsonArray();
        for (int i = 0; i < raw.size(); i++) {
            String field = "usageLimits[" + i + "]";
            if (!raw.get(i).isObject()) {
                in.error(field, "must be an object such as {\"max\":2,\"per\":\"P1W\"}");
                continue;
            }
            Input limit = in.nested((ObjectNode) raw.get(i), field, "schedulerId", "max", "per");
            String schedulerId = limit.string("schedulerId", false, 64);
            Integer max = limit.integer("max", true, 1, 1000);
            PeriodDuration per = limit.period("per", true, false);
            if (per != null && !dev.creditline.ledger.UsageWindow.PERIODS.contains(per)) {
                limit.error("per", "counts per calendar day, week, month or year: P1D, P1W, P1M or P1Y");
                per = null;
            }
            if (max != null && per != null) {
                limits.add(new JsonObject().put("schedulerId", schedulerId).put("max", max).put("per", per.toString()));
            }
        }
        return limits;
    }

    /** The schedulers and trainer a product names must exist in the studio; a missing one is named by its field. */
    private Future<Void> requireReferences(SqlClient client, StudioContext s, Product p) {
        Map<String, String> fieldOf = new LinkedHashMap<>();
        if (p.redeemableSchedulerIds() != null) {
            for (int i = 0; i < p.redeemableSchedulerIds().size(); i++) {
                fieldOf.putIfAbsent(p.redeemableSchedulerIds().get(i), "redeemableSchedulerIds[" + i + "]");
            }
        }
        for (int i = 0; i < p.usageLimits().size(); i++) {
            String id = p.usageLimits().getJsonObject(i).getString("schedulerId");
            if (id != null) {
                fieldOf.putIfAbsent(id, "usageLimits[" + i + "].schedulerId");
            }
        }
        return requireTrainer(client, s, p.trainerId(), "trainerId")
                .compose(done -> fieldOf.isEmpty()
                        ? Future.succeededFuture(Set.<String>of())
                        : catalogue.existingSchedulers(client, s.id(), fieldOf.keySet()))
                .map(existing -> {
                    for (var named : fieldOf.entrySet()) {
                        if (!existing.contains(named.getKey())) {
                            throw Rejection.notFound(named.getValue(), "scheduler", named.getKey());
                        }
                    }
                    return null;
                });
    }

    private void createProduct(RoutingContext ctx) {
        StudioContext s = Http.caller(ctx).studio();
        ObjectNode body = Http.body(ctx);
        Input in = Input.of(body, PRODUCT_FIELDS);
        Product product = terms(in, s, null);
        in.check();
        Http.respond(ctx, writes.run(ctx, body, (c, key) -> requireReferences(c, s, product)
                .compose(done -> catalogue.insertProduct(c, s.id(), product))
                .map(done -> Reply.created(Views.product(product)))));
    }

    private void getProduct(RoutingContext ctx) {
        StudioContext s = Http.caller(ctx).studio();
        String id = Http.pathId(ctx, "id", "product");
        Http.respond(ctx, catalogue.product(pool, s.id(), id).map(product -> {
            if (product == null) {
                throw Rejection.notFound("id", "product", id);
            }
            return Reply.ok(Views.product(product));
        }));
    }

    private void patchProduct(RoutingContext ctx) {
        StudioContext s = Http.caller(ctx).studio();
        String id = Http.pathId(ctx, "id", "product");
        ObjectNode body = Http.body(ctx);
        Http.respond(ctx, writes.run(ctx, body, (c, key) -> catalogue.lockProduct(c, s.id(), id).compose(current -> {
            if (current == null) {
                throw Rejection.notFound("id", "product", id);
            }
            Input in = Input.of(body, PRODUCT_FIELDS);
            Product next = terms(in, s, current);
            in.check();
            if (next.sameTerms(current)) {
                // Nothing to change (an empty body, or the terms it already has): no version that sells the same.
                return Future.succeededFuture(Reply.ok(Views.product(current)));
            }
            return requireReferences(c, s, next)
                    .compose(done -> catalogue.addVersion(c, s.id(), next))
                    .map(done -> Reply.ok(Views.product(next)));
        })));
    }

    private void deactivateProduct(RoutingContext ctx) {
        StudioContext s = Http.caller(ctx).studio();
        String id = Http.pathId(ctx, "id", "product");
        Http.respond(ctx, writes.run(ctx, null, (c, key) -> catalogue.lockProduct(c, s.id(), id).compose(current -> {
            if (current == null) {
                throw Rejection.notFound("id", "product", id);
            }
            return catalogue.deactivate(c, s.id(), id).compose(done -> catalogue.product(c, s.id(), id))
                    .map(product -> Reply.ok(Views.product(product)));
        })));
    }
}
