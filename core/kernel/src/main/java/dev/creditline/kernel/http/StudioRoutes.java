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
    /** In the order they run when a test clock moves (lower stage first). */
    private final List<DueWork> dueWork;

    @Inject
    public StudioRoutes(Auth auth, Pool pool, StudioRepository studios, MemberRepository members, Clock clock,
                        Set<DueWork> dueWork) {
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
        router.post("/v1/api-keys").handler(auth.owner()).handler(this::createKey);
        router.get("/v1/clock").handler(this::readClock);
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
        String ownerKey = Ids.secret("clk_");
        Http.respond(ctx, pool.withTransaction(c -> studios.insert(c, studio)
                .compose(done -> studios.insertKey(c, studio.id(), Ids.next("key"), Json.sha256(ownerKey),
                        Role.OWNER, null, "Owner"))
                .map(done -> {
                    ObjectNode body = studioView(studio).put("ownerKey", ownerKey);
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

    private static ObjectNode studioView(Studio studio) {
        return Json.object().put("id", studio.id()).put("name", studio.name())
                .put("timezone", studio.zone().getId()).put("currency", studio.currency().getCurrencyCode())
                .put("testMode", studio.testMode())
                .put("consumptionOrder", studio.order().name().toLowerCase(java.util.Locale.ROOT));
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
        String key = Ids.secret("clk_");
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
                .compose(found -> studios.insertKey(c, caller.studio().id(), keyId, Json.sha256(key), role,
                        memberId, keyName))
                .map(done -> Reply.created(Json.object().put("id", keyId).put("key", key)
                        .put("role", role.wireName()).put("memberId", memberId).put("name", keyName)))));
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
