package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.api.Role;
import dev.creditline.api.SubscriptionStatus;
import dev.creditline.store.CreditQueries;
import dev.creditline.store.Names;
import dev.creditline.store.Rejection;
import dev.creditline.store.StudioContext;
import dev.creditline.store.SubscriptionCommands;
import dev.creditline.store.SubscriptionRepository;
import dev.creditline.store.SubscriptionRepository.Subscription;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Subscriptions: a member's list (staff under {@code /v1/members/{id}}, athletes their own under {@code /v1/me}), one
 * subscription, and cancelling at the end of its period. They start with a purchase of a subscription product.
 */
public final class SubscriptionRoutes implements Routes {
    private final Auth auth;
    private final Pool pool;
    private final Writes writes;
    private final SubscriptionCommands commands;
    private final SubscriptionRepository subscriptions;
    private final CreditQueries queries;
    private final Names names;

    @Inject
    public SubscriptionRoutes(Auth auth, Pool pool, Writes writes, SubscriptionCommands commands,
                              SubscriptionRepository subscriptions, CreditQueries queries, Names names) {
        this.names = names;
        this.auth = auth;
        this.pool = pool;
        this.writes = writes;
        this.commands = commands;
        this.subscriptions = subscriptions;
        this.queries = queries;
    }

    @Override
    public void mount(Router router) {
        router.get("/v1/subscriptions").handler(auth.staff()).handler(Http.listParams("status")).handler(ctx ->
                Http.respond(ctx, subscriptions.list(pool, Http.caller(ctx).studio().id(),
                                Http.choice(ctx, "status", SubscriptionStatus.class), Http.below(ctx), Http.limit(ctx))
                        .compose(page -> named(Http.caller(ctx).studio(), page.items())
                                .map(found -> Http.page(page, sub -> view(sub, found))))));
        router.get("/v1/members/:id/subscriptions").handler(auth.staff()).handler(Http.params()).handler(ctx ->
                Http.respond(ctx, list(Http.caller(ctx).studio(), Http.pathId(ctx, "id", "member"))));
        router.get("/v1/me/subscriptions").handler(auth.allow(Role.ATHLETE)).handler(Http.params()).handler(ctx ->
                Http.respond(ctx, list(Http.caller(ctx).studio(), Http.caller(ctx).memberId())));
        router.get("/v1/subscriptions/:id").handler(auth.staff()).handler(Http.params()).handler(this::get);
        router.post("/v1/subscriptions/:id/cancel").handler(auth.staff()).handler(this::cancel);
    }

    private Future<Reply> list(StudioContext s, String memberId) {
        return queries.member(pool, s, memberId)
                .compose(member -> subscriptions.ofMember(pool, s.id(), memberId))
                .compose(found -> named(s, found).map(names -> page(found, names)));
    }

    /** The names of the subscriptions' products, read at once for a page. */
    private Future<Names.Found> named(StudioContext s, List<Subscription> found) {
        return names.of(pool, s.id(), List.of(), found.stream().map(Subscription::productId).toList(), List.of());
    }

    private Future<Reply> one(StudioContext s, Subscription sub) {
        return named(s, List.of(sub)).map(found -> Reply.ok(view(sub, found)));
    }

    private static Reply page(List<Subscription> found, Names.Found names) {
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("items");
        found.forEach(sub -> items.add(view(sub, names)));
        body.putNull("next");
        return Reply.ok(body);
    }

    private void get(RoutingContext ctx) {
        String id = Http.pathId(ctx, "id", "subscription");
        StudioContext s = Http.caller(ctx).studio();
        Http.respond(ctx, subscriptions.find(pool, s.id(), id).compose(sub -> {
            if (sub == null) {
                throw Rejection.notFound("id", "subscription", id);
            }
            return one(s, sub);
        }));
    }

    private void cancel(RoutingContext ctx) {
        StudioContext s = Http.caller(ctx).studio();
        String id = Http.pathId(ctx, "id", "subscription");
        ObjectNode body = Http.optionalBody(ctx);
        if (body != null) {
            Input.of(body).check();
        }
        Http.respond(ctx, writes.run(ctx, body, (c, key) -> commands.cancel(c, s, id)
                .compose(sub -> names.of(c, s.id(), List.of(), List.of(sub.productId()), List.of())
                        .map(found -> Reply.ok(view(sub, found))))));
    }

    static ObjectNode view(Subscription sub, Names.Found names) {
        return Json.object().put("id", sub.id()).put("memberId", sub.memberId()).put("productId", sub.productId())
                .put("productName", names.product(sub.productId()))
                .put("productVersion", sub.productVersion()).put("purchaseId", sub.purchaseId())
                .put("payment", sub.payment()).put("status", sub.status().wireName())
                .put("currentPeriodStart", Views.time(sub.periodStart()))
                .put("currentPeriodEnd", Views.time(sub.periodEnd()))
                .put("cancelAtPeriodEnd", sub.cancelAtPeriodEnd())
                .put("canceledAt", Views.time(sub.canceledAt()))
                .put("createdAt", Views.time(sub.createdAt()));
    }
}
