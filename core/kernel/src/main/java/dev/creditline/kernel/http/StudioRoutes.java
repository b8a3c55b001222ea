package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.api.Role;
import dev.creditline.kernel.jobs.DueWork;
import dev.creditline.ledger.ConsumptionOrder;
import dev.creditline.store.Ids;
import dev.creditline.store.MemberRepository;
import dev.creditline.store.Rejection;
import dev.creditline.store.StudioContext;
import dev.creditline.store.StudioRepository;
import dev.creditline.store.StudioRepository.Studio;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Currency;
import java.util.List;
import java.util.Set;

/** Studios (created with the admin token), their API keys and their test clocks. */
public final class StudioRoutes implements Routes {
    private final Auth auth;
    private final Pool pool;
    private final StudioRepository studios;
    private final MemberRepository members;
    private final Clock clock;
    private final ApiKeys apiKeys;
    private final StudioContexts contexts;
    /** In the order they run when a test clock moves (lower stage first). */
    private final List<DueWork> dueWork;

    @Inject
    public StudioRoutes(Auth auth, Pool pool, StudioRepository studios, MemberRepository members, Clock clock,
                        Set<DueWork> dueWork, ApiKeys apiKeys, StudioContexts contexts) {
        this.apiKeys = apiKeys;
        this.contexts = contexts;
        this.auth = auth;
        this.pool = pool;
        this.studios = studios;
        this.members = members;
        this.clock = clock;
        this.dueWork = dueWork.stream().sorted(java.util.Comparator.comparingInt(DueWork::stage)).toList();
    }

    @Override
    public void mount(Router router) {
        router.post("/admin/studios").handler(auth.admin()).handler(this::createStudio);
        router.get("/v1/studio").handler(auth.staff()).handler(Http.params()).handler(this::readStudio);
        router.patch("/v1/studio").handler(auth.owner()).handler(this::patchStudio);
        router.get("/v1/me/studio").handler(auth.allow(Role.ATHLETE)).handler(Http.params()).handler(this::readMyStudio);
        router.post("/v1/api-keys").handler(auth.owner()).handler(this::createKey);
        router.get("/v1/api-keys").handler(auth.owner()).handler(Http.listParams()).handler(this::listKeys);
        router.delete("/v1/api-keys/:id").handler(auth.owner()).handler(Http.params()).handler(this::revokeKey);
        router.post("/v1/api-keys/:id/roll").handler(auth.owner()).handler(this::rollKey);
        router.get("/v1/clock").handler(Http.params()).handler(this::readClock);
        router.post("/v1/clock").handler(auth.owner()).handler(this::moveClock);
    }

    private void createStudio(RoutingContext ctx) {
        Input in = Input.of(Http.body(ctx), "name", "timezone", "currency", "testMode", "consumptionOrder");
        String name = in.string("name", true, 200);
        ZoneId zone = zone(in);
        Currency currency = in.currency("currency", true);
        boolean testMode = Boolean.TRUE.equals(in.bool("testMode", false));
        ConsumptionOrder order = in.choice("consumptionOrder", false, ConsumptionOrder.class);
        in.check();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Studio studio = new Studio(Ids.next("std"), name, zone, currency, testMode, testMode ? now : null,
                order == null ? ConsumptionOrder.FIFO : order);
        String ownerKey = StudioSecrets.create(StudioSecrets.API_KEY, studio.id());
        Http.respond(ctx, pool.withTransaction(c -> studios.insert(c, studio)
                .compose(done -> studios.insertKey(c, studio.id(), Ids.next("key"), ownerKey, Json.sha256(ownerKey),
                        Role.OWNER, null, "Owner"))
                .map(done -> {
                    ObjectNode body = Views.studio(studio).put("ownerKey", ownerKey);
                    return Reply.created(body);
                })));
    }

    private static ZoneId zone(Input in) {
        String text = in.string("timezone", true, 64);
        if (text == null) {
            return null;
        }
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            in.error("timezone", "must be an IANA time zone such as Europe/Berlin");
            return null;
        }
    }

    private void createKey(RoutingContext ctx) {
        Caller caller = Http.caller(ctx);
        Input in = Input.of(Http.body(ctx), "role", "memberId", "name");
        Role role = in.choice("role", true, Role.class);
        String memberId = in.string("memberId", false, 64);
        String name = in.string("name", false, 100);
        if (role == Role.ATHLETE && memberId == null && !in.hasValue("memberId")) {
            in.error("memberId", "is required for an athlete key");
        }
        if (role != null && role != Role.ATHLETE && memberId != null) {
            in.error("memberId", "only athlete keys are bound to a member");
        }
        in.check();
        String key = StudioSecrets.create(StudioSecrets.API_KEY, caller.studio().id());
        String keyId = Ids.next("key");
        String keyName = name != null ? name : Character.toUpperCase(role.wireName().charAt(0))
                + role.wireName().substring(1);
        Http.respond(ctx, pool.withTransaction(c -> (memberId == null
                ? Future.succeededFuture()
                : members.find(c, caller.studio().id(), memberId).map(member -> {
                    if (member == null || !member.active()) {
                        throw Rejection.notFound("memberId", "member", memberId);
                    }
                    return member;
                }))
                .compose(found -> studios.insertKey(c, caller.studio().id(), keyId, key, Json.sha256(key), role,
                        memberId, keyName))
                .compose(done -> studios.key(c, caller.studio().id(), keyId, false))
                .map(stored -> Reply.created(Views.apiKey(stored).put("key", key)))));
    }

    private void listKeys(RoutingContext ctx) {
        String studioId = Http.caller(ctx).studio().id();
        Http.respond(ctx, studios.keys(pool, studioId, Http.below(ctx), Http.limit(ctx))
                .map(page -> Http.page(page, Views::apiKey)));
    }

    /**
     * Revokes a key. Under the studio's row lock, so that two owners revoking the last two owner keys at once cannot
     * both succeed; revoking a revoked key again answers it unchanged.
     */
    private void revokeKey(RoutingContext ctx) {
        Caller caller = Http.caller(ctx);
        String studioId = caller.studio().id();
        String keyId = Http.pathId(ctx, "id", "API key");
        Instant now = clock.instant();
        Http.respond(ctx, pool.withTransaction(c -> studios.lock(c, studioId)
                        .compose(studio -> studios.key(c, studioId, keyId, true))
                        .compose(key -> {
                            if (key == null) {
                                throw Rejection.notFound("id", "API key", keyId);
                            }
                            if (key.revokedAt() != null || key.role() != Role.OWNER) {
                                return Future.succeededFuture(key);
                            }
                            return studios.liveOwnerKeys(c, studioId).map(owners -> {
                                if (owners <= 1) {
                                    throw Rejection.conflict("last_owner_key", "key " + keyId + " is the studio's"
                                            + " last owner key; create another owner key before revoking it");
                                }
                                return key;
                            });
                        })
                        .compose(key -> studios.revokeKey(c, studioId, keyId, now)))
                // This server forgets at once; the others within http.apiKeyCacheTtl.
                .onSuccess(done -> apiKeys.forgetStudio(studioId))
                .map(key -> Reply.ok(Views.apiKey(key))));
    }

    /** A new secret for the same key: the old one stops working as a revoked key does. */
    private void rollKey(RoutingContext ctx) {
        Caller caller = Http.caller(ctx);
        String studioId = caller.studio().id();
        String keyId = Http.pathId(ctx, "id", "API key");
        ObjectNode body = Http.optionalBody(ctx);
        if (body != null) {
            Input.of(body).check();
        }
        String secret = StudioSecrets.create(StudioSecrets.API_KEY, studioId);
        Http.respond(ctx, pool.withTransaction(c -> studios.key(c, studioId, keyId, true).compose(key -> {
                    if (key == null) {
                        throw Rejection.notFound("id", "API key", keyId);
                    }
                    if (key.revokedAt() != null) {
                        throw Rejection.conflict("key_revoked", "key " + keyId + " is revoked; create a new key");
                    }
                    if (!keyId.equals(caller.keyId()) || key.role() != Role.OWNER) {
                        return studios.rollKey(c, studioId, keyId, secret, Json.sha256(secret));
                    }
                    // The only owner key rolling itself: were the answer lost, nobody would hold an owner key.
                    return studios.liveOwnerKeys(c, studioId).compose(owners -> {
                        if (owners <= 1) {
                            throw Rejection.conflict("last_owner_key", "key " + keyId + " is the studio's last owner"
                                    + " key and signs this request; create another owner key and roll it with that");
                        }
                        return studios.rollKey(c, studioId, keyId, secret, Json.sha256(secret));
                    });
                }))
                .onSuccess(done -> apiKeys.forgetStudio(studioId))
                .map(key -> Reply.ok(Views.apiKey(key).put("key", secret))));
    }

    private void readStudio(RoutingContext ctx) {
        // Read afresh, not from the key's cached grant: a PATCH on another server shows at once.
        String studioId = Http.caller(ctx).studio().id();
        Future<Studio> studio = studios.find(pool, studioId);
        Future<String> penalty = studios.penalty(pool, studioId);
        Http.respond(ctx, Future.all(studio, penalty).map(read -> Reply.ok(
                Views.withPenalty(Views.studio(contexts.effective(studio.result())), penalty.result(), true))));
    }

    /** What the athlete portal needs of the studio: its name, and the zone and currency to show dates and money in. */
    private void readMyStudio(RoutingContext ctx) {
        Http.respond(ctx, studios.find(pool, Http.caller(ctx).studio().id())
                .map(studio -> Reply.ok(Views.studioForAthlete(studio))));
    }

    /**
     * Changes the studio's name, time zone, consumption order or penalty setting. A consumption order preset by the server's
     * configuration wins over the stored one, so changing it here is refused (409) rather than silently ignored.
     */
    private void patchStudio(RoutingContext ctx) {
        String studioId = Http.caller(ctx).studio().id();
        Input in = Input.of(Http.body(ctx), "name", "timezone", "consumptionOrder", "penalty");
        String name = in.string("name", false, 200);
        ZoneId zone = in.has("timezone") ? zone(in) : null;
        ConsumptionOrder order = in.choice("consumptionOrder", false, ConsumptionOrder.class);
        // null (or absent) keeps it; {} sets the default: a late cancel and a no-show forfeit.
        String penalty = in.penalty("penalty");
        in.refuseRemoval("name", "consumptionOrder");
        in.check();
        ConsumptionOrder configured = contexts.configuredOrder(studioId);
        if (order != null && configured != null && order != configured) {
            throw Problem.conflict("consumption_order_configured", "this server's configuration sets the studio's"
                    + " consumptionOrder to " + configured.name().toLowerCase(java.util.Locale.ROOT));
        }
        Http.respond(ctx, pool.withTransaction(c -> studios.lock(c, studioId).compose(current -> studios.update(c,
                        new Studio(current.id(), name != null ? name : current.name(),
                                zone != null ? zone : current.zone(), current.currency(), current.testMode(),
                                current.clockNow(), order != null ? order : current.order())))
                        .compose(studio -> (penalty != null ? studios.setPenalty(c, studioId, penalty)
                                : Future.<Void>succeededFuture())
                                .compose(done -> studios.penalty(c, studioId))
                                .map(setting -> Views.withPenalty(Views.studio(contexts.effective(studio)), setting,
                                        true))))
                // Keys remember their studio: this server forgets at once, the others within the key cache's TTL.
                .onSuccess(done -> apiKeys.forgetStudio(studioId))
                .map(Reply::ok));
    }

    private void readClock(RoutingContext ctx) {
        StudioContext studio = Http.caller(ctx).studio();
        Http.send(ctx, Reply.ok(Json.object().put("now", studio.now().toString()).put("testMode", studio.testMode())));
    }

    private void moveClock(RoutingContext ctx) {
        Caller caller = Http.caller(ctx);
        Input in = Input.of(Http.body(ctx), "now");
        Instant now = in.instant("now", true);
        in.check();
        String studioId = caller.studio().id();
        Future<Void> moved = pool.withTransaction(c -> studios.lock(c, studioId).compose(studio -> {
            if (!studio.testMode()) {
                throw Rejection.conflict("not_test_mode", "only test-mode studios have a clock that can be moved");
            }
            if (now.isBefore(studio.clockNow())) {
                throw Rejection.invalid("now", "must not be before the clock's current time "
                        + studio.clockNow() + "; test clocks only move forward");
            }
            return studios.setClock(c, studioId, now);
        }));
        Http.respond(ctx, moved.compose(done -> runDue(studioId, now))
                .map(done -> Reply.ok(Json.object().put("now", now.toString()).put("testMode", true))));
    }

    private Future<Void> runDue(String studioId, Instant now) {
        Future<Void> all = Future.succeededFuture();
        for (DueWork work : dueWork) {
            all = all.compose(done -> work.runDue(studioId, now));
        }
        return all;
    }
}
