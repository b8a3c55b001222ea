package dev.creditline.plugins.automations;

import dev.creditline.api.Accounts;
import dev.creditline.api.Role;
import dev.creditline.api.spi.ApiProblem;
import dev.creditline.api.spi.Caller;
import dev.creditline.api.spi.Extensions;
import dev.creditline.api.spi.Fields;
import dev.creditline.api.spi.LedgerService;
import dev.creditline.api.spi.PluginHttp;
import dev.creditline.api.spi.PluginHost;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The automation routes of the API contract (staff only). */
@Singleton
final class AutomationRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(AutomationRoutes.class);
    /** The bundled types whose {@code account} or {@code productId} names a product. */
    private static final java.util.Set<String> NAMING_PRODUCTS = java.util.Set.of("grant_credits",
            "purchase_completed", "balance_below", "lot_expiring");

    private final PluginHttp http;
    private final LedgerService ledger;
    private final AutomationStore store;
    private final AutomationEngine engine;

    @Inject
    AutomationRoutes(PluginHost host, AutomationStore store, AutomationEngine engine) {
        this.http = host.http();
        this.ledger = host.ledger();
        this.store = store;
        this.engine = engine;
    }

    void register() {
        http.routes(router -> {
            router.api(HttpMethod.POST, "/automations").handler(this::create);
            router.api(HttpMethod.GET, "/automations").handler(this::list);
            router.api(HttpMethod.GET, "/automations/:id").handler(this::get);
            router.api(HttpMethod.POST, "/automations/:id/pause").handler(ctx -> pause(ctx, true));
            router.api(HttpMethod.POST, "/automations/:id/resume").handler(ctx -> pause(ctx, false));
            router.api(HttpMethod.POST, "/automations/:id/run").handler(this::runNow);
            router.api(HttpMethod.GET, "/automations/:id/runs").handler(this::runs);
            router.api(HttpMethod.GET, "/automations/:id/runs/:fireKey").handler(this::run);
        });
    }

    private void create(RoutingContext ctx) {
        Caller caller = staff(ctx);
        Fields in = http.fields(ctx, "name", "trigger", "action", "paused");
        String name = in.string("name", false, 100);
        Boolean paused = in.bool("paused", false);
        JsonObject body = ctx.body().asJsonObject();
        JsonObject trigger = object(in, body, "trigger");
        JsonObject action = object(in, body, "action");
        in.check();
        String studioId = caller.studioId();
        Future<Void> valid = engine.triggers(studioId)
                .compose(triggers -> checked(in, "trigger", trigger, triggers, (t, p) -> t.validate(p)))
                .compose(ok -> engine.actions(studioId))
                .compose(actions -> checked(in, "action", action, actions, (a, p) -> a.validate(p)))
                .compose(ok -> {
                    in.check();
                    return products(in, studioId, "trigger", trigger);
                })
                .compose(ok -> products(in, studioId, "action", action))
                .map(ok -> {
                    if (grantsExpired(action, caller.now())) {
                        in.error("action.expiresAt", "must be in the future (the studio's time is " + caller.now()
                                + ")");
                    }
                    in.check();
                    return null;
                });
        http.respond(ctx, valid.compose(ok -> http.write(ctx, body, (tx, key) -> {
            Automation automation = new Automation("aut_" + UUID.randomUUID().toString().replace("-", ""),
                    name != null ? name : trigger.getString("type") + " → " + action.getString("type"),
                    trigger.getString("type"), trigger, action.getString("type"), action,
                    Boolean.TRUE.equals(paused), caller.now(), null);
            return store.insert(tx, studioId, automation).map(done -> new PluginHttp.Reply(201, automation.toJson()));
        })));
    }

    private void list(RoutingContext ctx) {
        Caller caller = staff(ctx);
        int limit = http.limit(ctx);
        AutomationStore.Position after = position(ctx);
        http.respond(ctx, store.page(caller.studioId(), after, limit).map(automations -> new PluginHttp.Reply(200,
                page(automations, limit, Automation::toJson,
                        a -> new AutomationStore.Position(a.createdAt(), a.id()).text()))));
    }

    private void get(RoutingContext ctx) {
        Caller caller = staff(ctx);
        http.respond(ctx, automation(caller, ctx).map(a -> new PluginHttp.Reply(200, a.toJson())));
    }

    private void pause(RoutingContext ctx, boolean paused) {
        Caller caller = staff(ctx);
        http.respond(ctx, store.setPaused(caller.studioId(), ctx.pathParam("id"), paused)
                .map(a -> {
                    if (a == null) {
                        throw notFound();
                    }
                    return new PluginHttp.Reply(200, a.toJson());
                }));
    }

    /**
     * Runs the automation now, for the members named, those with a tag, or its trigger's tag; answers 202 with the
     * run, which goes on in the background (its log shows progress). With an {@code Idempotency-Key}, a retry is
     * the same run.
     */
    private void runNow(RoutingContext ctx) {
        Caller caller = staff(ctx);
        // The body is optional: without one, the run is for the trigger's tag.
        boolean hasBody = ctx.body().length() > 0;
        List<String> memberIds = null;
        String tag = null;
        JsonObject body = null;
        if (hasBody) {
            Fields in = http.fields(ctx, "memberIds", "tag");
            memberIds = in.strings("memberIds", false, 1000, 64);
            tag = in.string("tag", false, 64);
            if (memberIds != null && memberIds.isEmpty()) {
                in.error("memberIds", "must name at least one member");
            }
            if (in.hasValue("memberIds") && in.hasValue("tag")) {
                in.error("tag", "give either memberIds or tag");
            }
            in.check();
            body = ctx.body().asJsonObject();
        }
        JsonObject requestBody = body;
        List<String> namedMembers = memberIds;
        String namedTag = tag;
        String studioId = caller.studioId();
        UUID owner = UUID.randomUUID();
        AtomicReference<AutomationStore.Run> started = new AtomicReference<>();
        Future<Automation> automation = automation(caller, ctx);
        Future<PluginHttp.Reply> reply = automation.compose(a -> {
            JsonObject audience = audience(a, namedMembers, namedTag);
            return http.write(ctx, requestBody, (tx, key) -> {
                String fireKey = "manual:" + (key == null ? UUID.randomUUID()
                        : UUID.nameUUIDFromBytes((a.id() + "\n" + key).getBytes(StandardCharsets.UTF_8)));
                return store.claimRun(tx, studioId, a.id(), fireKey, "run on demand by " + caller.actor(), audience,
                                null, caller.now(), owner)
                        .map(run -> {
                            if (run == null) {
                                // The key's first answer is forgotten (past its retention), its run is not.
                                throw ApiProblem.conflict("already_run", "this Idempotency-Key ran the automation"
                                        + " already: see GET /v1/automations/" + a.id() + "/runs/" + fireKey);
                            }
                            started.set(run);
                            return new PluginHttp.Reply(202, run.toJson());
                        });
            });
        });
        reply.onSuccess(r -> {
            // Only the request that inserted the run runs it (a replayed answer does not start it again).
            AutomationStore.Run run = started.get();
            if (run != null) {
                engine.execute(studioId, automation.result(), run.fireKey(), run.audience(), run.at(), owner)
                        .onFailure(e -> LOG.warn("Run {} of automation {} failed; it resumes later: {}", run.fireKey(),
                                run.automationId(), e.toString()));
            }
        });
        http.respond(ctx, reply);
    }

    private void runs(RoutingContext ctx) {
        Caller caller = staff(ctx);
        int limit = http.limit(ctx);
        AutomationStore.Position after = position(ctx);
        http.respond(ctx, automation(caller, ctx)
                .compose(a -> store.runs(caller.studioId(), a.id(), after, limit))
                .map(runs -> new PluginHttp.Reply(200, page(runs, limit, AutomationStore.Run::toJson,
                        r -> new AutomationStore.Position(r.startedAt(), r.fireKey()).text()))));
    }

    /** A run with what it did for each member, a page of members at a time. */
    private void run(RoutingContext ctx) {
        Caller caller = staff(ctx);
        int limit = http.limit(ctx);
        String after = http.cursor(ctx);
        String fireKey = ctx.pathParam("fireKey");
        http.respond(ctx, automation(caller, ctx)
                .compose(a -> store.run(caller.studioId(), a.id(), fireKey))
                .compose(run -> {
                    if (run == null) {
                        return Future.failedFuture(ApiProblem.notFound("fireKey", "no such run of the automation"));
                    }
                    return store.runMembers(caller.studioId(), run.automationId(), fireKey, after, limit)
                            .map(members -> new PluginHttp.Reply(200, run.toJson().put("results", page(members,
                                    limit, Function.identity(), member -> member.getString("memberId")))));
                }));
    }

    // ---- helpers

    /** Whom a run on demand is for; a trigger without a tag needs members named. */
    private static JsonObject audience(Automation a, List<String> memberIds, String tag) {
        if (memberIds != null) {
            return AutomationEngine.members(memberIds.toArray(String[]::new));
        }
        if (tag != null) {
            return AutomationEngine.tagged(tag);
        }
        if (a.triggerType().equals(Triggers.SCHEDULE)) {
            // A schedule's audience: its tag, or every active member when it has none.
            return AutomationEngine.tagged(a.trigger().getString("tag"));
        }
        String triggerTag = Triggers.tagOf(a.triggerType(), a.trigger());
        if (triggerTag == null) {
            throw ApiProblem.invalid("memberIds", "this automation's trigger names no members: give memberIds or tag");
        }
        return AutomationEngine.tagged(triggerTag);
    }

    private Future<Automation> automation(Caller caller, RoutingContext ctx) {
        return store.find(caller.studioId(), ctx.pathParam("id"))
                .compose(a -> a == null ? Future.failedFuture(notFound()) : Future.succeededFuture(a));
    }

    private static ApiProblem notFound() {
        return ApiProblem.notFound("id", "no such automation in this studio");
    }

    /** A parameter object with a text {@code type}; records a problem with {@code in} otherwise. */
    private static JsonObject object(Fields in, JsonObject body, String field) {
        Object value = body == null ? null : body.getValue(field);
        if (!(value instanceof JsonObject object)) {
            in.error(field, value == null ? "is required" : "must be an object with a type");
            return null;
        }
        if (!(object.getValue("type") instanceof String)) {
            in.error(field + ".type", "is required");
            return null;
        }
        return object;
    }

    /** Records the parameters' problems as {@code <field>.<parameter>}: an unknown type, or what the extension says. */
    private static <T> Future<Void> checked(Fields in, String field, JsonObject parameters,
                                            Map<String, Extensions.Contained<T>> byType,
                                            BiFunction<T, JsonObject, List<String>> validate) {
        String type = parameters.getString("type");
        var extension = byType.get(type);
        if (extension == null) {
            in.error(field + ".type", "must be one of " + String.join(", ", byType.keySet().stream().sorted().toList()));
            return Future.succeededFuture();
        }
        return extension.<List<String>>call("validate", x -> Future.succeededFuture(validate.apply(x, parameters)))
                .map(problems -> {
                    for (String problem : problems) {
                        int colon = problem.indexOf(':');
                        if (colon > 0) {
                            in.error(field + "." + problem.substring(0, colon).trim(), problem.substring(colon + 1)
                                    .trim());
                        } else {
                            in.error(field, problem);
                        }
                    }
                    return null;
                });
    }

    /**
     * The bundled triggers' and actions' {@code account} or {@code productId} must be a product of the studio (a typo
     * would otherwise make every run fail, or the trigger never fire).
     */
    private Future<Void> products(Fields in, String studioId, String field, JsonObject parameters) {
        Future<Void> done = Future.succeededFuture();
        if (!NAMING_PRODUCTS.contains(parameters.getString("type"))) {
            return done;
        }
        for (String name : List.of("account", "productId")) {
            if (parameters.getValue(name) instanceof String id && !id.equals(Accounts.MASTER)) {
                done = done.compose(ok -> ledger.product(studioId, id).map(product -> {
                    if (product == null) {
                        in.error(field + "." + name, "is not a product of this studio");
                    }
                    return null;
                }));
            }
        }
        return done;
    }

    /** A grant_credits action whose fixed expiry has passed: every member would get credits expired already. */
    private static boolean grantsExpired(JsonObject action, java.time.Instant now) {
        if (!"grant_credits".equals(action.getString("type")) || !(action.getValue("expiresAt") instanceof String at)) {
            return false;
        }
        try {
            return !java.time.OffsetDateTime.parse(at).toInstant().isAfter(now);
        } catch (java.time.DateTimeException e) {
            return false;
        }
    }

    /**
     * A list page of {@code limit} items out of a query's {@code limit + 1}, its cursor at the position of the last
     * item.
     */
    private <T> JsonObject page(List<T> rows, int limit, Function<T, JsonObject> json, Function<T, String> position) {
        JsonArray items = new JsonArray();
        rows.stream().limit(limit).forEach(row -> items.add(json.apply(row)));
        String next = rows.size() > limit ? http.cursor(position.apply(rows.get(limit - 1))) : null;
        return new JsonObject().put("items", items).put("next", next);
    }

    private AutomationStore.Position position(RoutingContext ctx) {
        String cursor = http.cursor(ctx);
        AutomationStore.Position position = AutomationStore.Position.parse(cursor);
        if (cursor != null && position == null) {
            throw ApiProblem.invalid("cursor", "is not a cursor of this list");
        }
        return position;
    }

    private Caller staff(RoutingContext ctx) {
        http.requireRole(ctx, Role.OWNER, Role.COACH);
        return http.caller(ctx);
    }
}
