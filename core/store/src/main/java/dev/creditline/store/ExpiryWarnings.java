package dev.creditline.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Warnings that credits expire soon: written once per member and expiry date when they fall due, then delivered
 * (and retried while delivery fails) until sent.
 */
public final class ExpiryWarnings {

    /**
     * A warning to deliver.
     *
     * @param lots the lots that expire that day: {@code lotId}, {@code account}, {@code name}, {@code credits},
     *             {@code expiresAt}
     */
    public record Warning(String memberId, String name, String email, LocalDate expiresOn, JsonArray lots,
                          int attempts) {
    }

    @Inject
    public ExpiryWarnings() {
    }

    /**
     * Writes the warnings that fell due: for every member whose finite credits expire in {@code (now, until]}, one per
     * expiry day (in the studio's zone), unless written before. Answers how many are new.
     */
    public Future<Integer> enqueue(SqlClient client, StudioContext s, Instant until) {
        return client.preparedQuery("""
                        INSERT INTO expiry_warnings (studio_id, member_id, expires_on, lots, next_attempt_at, created_at)
                        SELECT l.studio_id, l.member_id, (l.expires_at AT TIME ZONE $4)::date,
                               jsonb_agg(jsonb_build_object('lotId', l.id, 'account', l.account,
                                   'name', coalesce(v.name, 'Master Credits'), 'credits', l.remaining,
                                   'expiresAt', l.expires_at) ORDER BY l.expires_at, l.seq),
                               $2, $2
                        FROM lots l
                        JOIN members m ON m.studio_id = l.studio_id AND m.id = l.member_id AND m.deleted_at IS NULL
                        LEFT JOIN product_versions v ON v.studio_id = l.studio_id AND v.product_id = l.product_id
                            AND v.version = l.product_version
                        WHERE l.studio_id = $1 AND l.live AND NOT l.unlimited AND l.expires_at > $2
                          AND l.expires_at <= $3
                        GROUP BY 1, 2, 3
                        ON CONFLICT (studio_id, member_id, expires_on) DO NOTHING RETURNING 1""")
                .execute(Tuple.of(s.id(), Rows.timestamp(s.now()), Rows.timestamp(until), s.zone().getId()))
                // Rows returned: an INSERT ... SELECT's row count on Citus may count conflicting rows too.
                .map(rows -> rows.size());
    }

    /** The warnings not sent whose next attempt is due. */
    public Future<List<Warning>> due(SqlClient client, String studioId, Instant now, int limit) {
        return client.preparedQuery("""
                        SELECT w.member_id, m.name, m.email, w.expires_on, w.lots, w.attempts
                        FROM expiry_warnings w JOIN members m ON m.studio_id = w.studio_id AND m.id = w.member_id
                        WHERE w.studio_id = $1 AND w.sent_at IS NULL AND w.next_attempt_at <= $2
                        ORDER BY w.next_attempt_at LIMIT $3""")
                .execute(Tuple.of(studioId, Rows.timestamp(now), limit))
                .map(rows -> Rows.all(rows, r -> new Warning(r.getString("member_id"), r.getString("name"),
                        r.getString("email"), r.getLocalDate("expires_on"), (JsonArray) r.getJson("lots"),
                        r.getInteger("attempts"))));
    }

    /** Marks a warning delivered. */
    public Future<Void> sent(SqlClient client, String studioId, Warning w, Instant at) {
        return client.preparedQuery("UPDATE expiry_warnings SET sent_at = $4, attempts = attempts + 1"
                        + " WHERE studio_id = $1 AND member_id = $2 AND expires_on = $3")
                .execute(Tuple.of(studioId, w.memberId(), w.expiresOn(), Rows.timestamp(at))).mapEmpty();
    }

    /** Records a failed delivery and when to try again. */
    public Future<Void> failed(SqlClient client, String studioId, Warning w, String error, Instant retryAt) {
        return client.preparedQuery("UPDATE expiry_warnings SET attempts = attempts + 1, last_error = $4,"
                        + " next_attempt_at = $5 WHERE studio_id = $1 AND member_id = $2 AND expires_on = $3")
                .execute(Tuple.of(studioId, w.memberId(), w.expiresOn(), error, Rows.timestamp(retryAt)))
                .mapEmpty();
    }
}
