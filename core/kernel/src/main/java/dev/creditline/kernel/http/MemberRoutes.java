package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.kernel.pipeline.LedgerCommands;
import dev.creditline.store.CreditCommands;
import dev.creditline.store.CreditQueries;
import dev.creditline.store.Ids;
import dev.creditline.store.MemberEvents;
import dev.creditline.store.MemberRepository;
import dev.creditline.store.MemberRepository.Member;
import dev.creditline.store.Rejection;
import dev.creditline.store.StudioContext;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import jakarta.inject.Inject;
import java.util.List;
import java.util.regex.Pattern;

/** Members: create, read, update, list by tag, erase and merge. */
public final class MemberRoutes implements Routes {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final Auth auth;
    private final ApiKeys apiKeys;
    private final Pool pool;
    private final Writes writes;
    private final MemberRepository members;
    private final LedgerCommands ledger;

    private final MemberEvents events;
    private final CreditQueries queries;

    @Inject
    public MemberRoutes(Auth auth, ApiKeys apiKeys, Pool pool, Writes writes, MemberRepository members,
                        LedgerCommands ledger, MemberEvents events, CreditQueries queries) {
        this.events = events;
        this.queries = queries;
        this.auth = auth;
        this.apiKeys = apiKeys;
        this.pool = pool;
        this.writes = writes;
        this.members = members;
        this.ledger = ledger;
    }

    @Override
    public void mount(Router router) {
        router.post("/v1/members").handler(auth.staff()).handler(this::create);
        router.get("/v1/members").handler(auth.staff()).handler(Http.listParams("tag", "q")).handler(this::list);
        router.get("/v1/members/:id").handler(auth.staff()).handler(Http.params()).handler(this::get);
        router.patch("/v1/members/:id").handler(auth.staff()).handler(this::patch);
        router.delete("/v1/members/:id").handler(auth.staff()).handler(Http.params("forfeit")).handler(this::erase);
        router.post("/v1/members/:id/merge").handler(auth.staff()).handler(this::merge);
    }

    private void create(RoutingContext ctx) {
        StudioContext s = Http.caller(ctx).studio();
        ObjectNode body = Http.body(ctx);
        Input in = Input.of(body, "name", "email", "externalId", "tags");
        String name = in.string("name", true, 200);
        String email = email(in);
        String externalId = in.string("externalId", false, 100);
        List<String> tags = in.strings("tags", false, 50, 64);
        in.check();
        Member member = new Member(Ids.next("mem"), 0, name, email, externalId, tags == null ? List.of() : tags,
                s.now(), s.now(), null, null);
        Http.respond(ctx, writes.run(ctx, body, (c, key) -> requireFreeExternalId(c, s, externalId, null)
                .compose(done -> members.insert(c, s.id(), member))
                .compose(stored -> events.created(c, s.id(), stored, s.now()).map(stored))
                .map(stored -> Reply.created(Views.member(stored)))));
    }

    private static String email(Input in) {
        String email = in.string("email", false, 254);
        if (email != null && !EMAIL.matcher(email).matches()) {
            in.error("email", "must be an email address");
            return null;
        }
        return email;
    }

    private Future<Void> requireFreeExternalId(SqlClient client, StudioContext s, String externalId, String self) {
        if (externalId == null) {
            return Future.succeededFuture();
        }
        return members.findByExternalId(client, s.id(), externalId).map(other -> {
            if (other != null && !other.id().equals(self)) {
                throw Rejection.conflict("external_id_taken",
                        "member " + other.id() + " already has externalId " + externalId);
            }
            return null;
        });
    }

    private Future<Member> active(SqlClient client, StudioContext s, String id) {
        return members.find(client, s.id(), id).map(member -> {
            if (member == null || member.deletedAt() != null) {
                throw Rejection.notFound("id", "member", id);
            }
            return member;
        });
    }

    private void get(RoutingContext ctx) {
        String id = Http.pathId(ctx, "id", "member");
        Http.respond(ctx, active(pool, Http.caller(ctx).studio(), id).map(m -> Reply.ok(Views.member(m))));
    }

    private void patch(RoutingContext ctx) {
        StudioContext s = Http.caller(ctx).studio();
        String id = Http.pathId(ctx, "id", "member");
        ObjectNode body = Http.body(ctx);
        Input in = Input.of(body, "name", "email", "externalId", "tags");
        String name = in.string("name", false, 200);
        in.refuseRemoval("name");
        String email = email(in);
        String externalId = in.string("externalId", false, 100);
        List<String> tags = in.strings("tags", false, 50, 64);
        in.check();
        Http.respond(ctx, writes.run(ctx, body, (c, key) -> members.lock(c, s.id(), id).compose(current -> {
            if (current == null || current.deletedAt() != null) {
                throw Rejection.notFound("id", "member", id);
            }
            Member patched = new Member(id, current.seq(), name != null ? name : current.name(),
                    in.has("email") ? email : current.email(),
                    in.has("externalId") ? externalId : current.externalId(),
                    in.has("tags") ? (tags == null ? List.of() : tags) : current.tags(),
                    current.createdAt(), s.now(), null, current.mergedInto());
            return requireFreeExternalId(c, s, in.has("externalId") ? externalId : null, id)
                    .compose(done -> members.update(c, s.id(), patched))
                    .compose(updated -> events.retagged(c, s.id(), id, current.tags(), patched.tags(), s.now())
                            .map(updated))
                    .map(updated -> Reply.ok(Views.member(updated)));
        })));
    }

    private void list(RoutingContext ctx) {
        StudioContext s = Http.caller(ctx).studio();
        String tag = Http.query(ctx, "tag", 64);
        String text = Http.query(ctx, "q", 200);
        int limit = Http.limit(ctx);
        long[] cursor = Http.cursor(ctx, 1);
        // Each item carries the member's balances (read for the whole page at once), so a list needs no request per
        // member for them.
        Http.respond(ctx, members.list(pool, s.id(), tag, text, cursor == null ? 0 : cursor[0], limit)
                .compose(page -> queries.balances(pool, s, page.items().stream().map(Member::id).toList())
                        .map(balances -> {
                            ArrayNode items = Json.array();
                            page.items().forEach(m -> items.add(Views.listedMember(m, balances.get(m.id()))));
                            return Reply.ok(Views.page(items, page.next() == null ? null : Http.cursor(page.next())));
                        })));
    }

    private void erase(RoutingContext ctx) {
        Caller caller = Http.caller(ctx);
        String id = Http.pathId(ctx, "id", "member");
        String forfeitParam = Http.query(ctx, "forfeit", 5);
        if (forfeitParam != null && !forfeitParam.equals("true") && !forfeitParam.equals("false")) {
            throw Problem.invalid("forfeit", "must be true or false");
        }
        boolean forfeit = "true".equals(forfeitParam);
        // The member's athlete keys were revoked: this server forgets them now, not at the end of their TTL.
        String key = Writes.key(ctx);
        var order = new CreditCommands.EraseOrder(caller.call(key), id, forfeit);
        Http.respond(ctx, ledger.erase(order, Writes.hash(ctx, key, null), Writes.renderer(ctx, Reply::ok,
                        (CreditCommands.EraseResult result) -> Json.object().put("id", result.member().id())
                                .put("deleted", true).put("deletedAt", result.member().deletedAt().toString())
                                .put("forfeited", result.forfeited())))
                .map(answer -> Writes.reply(ctx, answer))
                .onSuccess(done -> apiKeys.forgetStudio(caller.studio().id())));
    }

    private void merge(RoutingContext ctx) {
        Caller caller = Http.caller(ctx);
        String id = Http.pathId(ctx, "id", "member");
        ObjectNode body = Http.body(ctx);
        Input in = Input.of(body, "fromMemberId");
        String fromMemberId = in.string("fromMemberId", true, 64);
        in.check();
        String key = Writes.key(ctx);
        var order = new CreditCommands.MergeOrder(caller.call(key), id, fromMemberId);
        Http.respond(ctx, ledger.merge(order, Writes.hash(ctx, key, body), Writes.renderer(ctx, Reply::ok,
                        (CreditCommands.MergeResult result) -> {
                            ObjectNode view = Views.member(result.member());
                            view.putObject("merged").put("fromMemberId", result.fromMemberId())
                                    .put("transferredCredits", result.transferred());
                            return view;
                        }))
                .map(answer -> Writes.reply(ctx, answer))
                .onSuccess(done -> apiKeys.forgetStudio(caller.studio().id())));
    }
}
