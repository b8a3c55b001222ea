package dev.creditline.store;

import dev.creditline.store.MemberRepository.Member;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Writes member events into the outbox, in the member's transaction, for studios with a member listener. */
public final class MemberEvents {
    private final OutboxPolicy outbox;

    @Inject
    public MemberEvents(OutboxPolicy outbox) {
        this.outbox = outbox;
    }

    /** A new member: {@code created}, and {@code tagged} for each of its tags. */
    public Future<Void> created(SqlClient client, String studioId, Member member, Instant at) {
        List<JsonObject> events = new ArrayList<>();
        events.add(event(member.id(), "created", null, at));
        member.tags().forEach(tag -> events.add(event(member.id(), "tagged", tag, at)));
        return append(client, studioId, events);
    }

    /** A member whose tags changed: {@code tagged} for each tag added, {@code untagged} for each removed. */
    public Future<Void> retagged(SqlClient client, String studioId, String memberId, List<String> before,
                                 List<String> after, Instant at) {
        List<JsonObject> events = new ArrayList<>();
        after.stream().filter(tag -> !before.contains(tag)).distinct()
                .forEach(tag -> events.add(event(memberId, "tagged", tag, at)));
        before.stream().filter(tag -> !after.contains(tag)).distinct()
                .forEach(tag -> events.add(event(memberId, "untagged", tag, at)));
        return append(client, studioId, events);
    }

    private Future<Void> append(SqlClient client, String studioId, List<JsonObject> events) {
        if (events.isEmpty() || !outbox.wantsMemberEvents(studioId)) {
            return Future.succeededFuture();
        }
        List<Tuple> batch = events.stream().map(e -> Tuple.of(studioId, e)).toList();
        return client.preparedQuery("INSERT INTO outbox (studio_id, member_event) VALUES ($1, $2)")
                .executeBatch(batch).mapEmpty();
    }

    private static JsonObject event(String memberId, String type, String tag, Instant at) {
        return new JsonObject().put("memberId", memberId).put("type", type).put("tag", tag).put("at", at.toString());
    }
}
