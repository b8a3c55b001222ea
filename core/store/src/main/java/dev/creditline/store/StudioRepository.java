package dev.creditline.store;

import dev.creditline.api.Role;
import dev.creditline.ledger.ConsumptionOrder;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Currency;
import java.util.Locale;

/** Studios, their API keys, their test clocks and server-wide settings. */
public final class StudioRepository {

    /**
     * A studio as stored.
     *
     * @param clockNow the test clock of a test-mode studio, else null
     */
    public record Studio(String id, String name, ZoneId zone, Currency currency, boolean testMode, Instant clockNow,
                         ConsumptionOrder order) {

        /** The studio's context for a request at real time {@code realNow}. */
        public StudioContext at(Instant realNow) {
            return new StudioContext(id, name, zone, currency, testMode, testMode ? clockNow : realNow, order,
                    StudioContext.DEFAULT_WARNING_DAYS);
        }

        /** This studio with another consumption order (from configuration). */
        public Studio withOrder(ConsumptionOrder newOrder) {
            return new Studio(id, name, zone, currency, testMode, clockNow, newOrder);
        }
    }

    /**
     * What an API key grants: its studio, role and (for athletes) member.
     *
     * @param keyId    the key's id
     * @param role     its role
     * @param memberId the member an athlete key is bound to, else null
     * @param keyName  the name shown as actor in the journal
     * @param studio   the studio it belongs to
     */
    public record KeyGrant(String keyId, Role role, String memberId, String keyName, Studio studio) {
    }

    private static final String STUDIO_COLUMNS =
            "s.id, s.name, s.timezone, s.currency, s.test_mode, s.clock_now, s.consumption_order";

    @Inject
    public StudioRepository() {
    }

    public Future<Void> insert(SqlClient client, Studio studio) {
        return client.preparedQuery("""
                        INSERT INTO studios (id, name, timezone, currency, test_mode, clock_now, consumption_order)
                        VALUES ($1, $2, $3, $4, $5, $6, $7)""")
                .execute(Tuple.of(studio.id(), studio.name(), studio.zone().getId(),
                        studio.currency().getCurrencyCode(), studio.testMode(), Rows.timestamp(studio.clockNow()),
                        studio.order().name().toLowerCase(Locale.ROOT)))
                .mapEmpty();
    }

    public Future<Void> insertKey(SqlClient client, String studioId, String keyId, byte[] keyHash, Role role,
                                  String memberId, String name) {
        return client.preparedQuery("""
                        INSERT INTO api_keys (studio_id, id, key_hash, role, member_id, name)
                        VALUES ($1, $2, $3, $4, $5, $6)""")
                .execute(Tuple.of(studioId, keyId, io.vertx.core.buffer.Buffer.buffer(keyHash), role.wireName(),
                        memberId, name))
                .mapEmpty();
    }

    /** The grant of an unrevoked key with this hash, or null. */
    public Future<KeyGrant> findKey(SqlClient client, byte[] keyHash) {
        return client.preparedQuery("SELECT k.id AS key_id, k.role, k.member_id, k.name AS key_name, " + STUDIO_COLUMNS
                        + " FROM api_keys k JOIN studios s ON s.id = k.studio_id"
                        + " WHERE k.key_hash = $1 AND k.revoked_at IS NULL")
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(keyHash)))
                .map(rows -> Rows.first(rows, row -> new KeyGrant(row.getString("key_id"),
                        Role.valueOf(row.getString("role").toUpperCase(Locale.ROOT)), row.getString("member_id"),
                        row.getString("key_name"), studio(row))));
    }

    /** Revokes the athlete keys bound to a member (on erasure). */
    public Future<Void> revokeMemberKeys(SqlClient client, String studioId, String memberId, Instant at) {
        return client.preparedQuery(
                        "UPDATE api_keys SET revoked_at = $3 WHERE studio_id = $1 AND member_id = $2 AND revoked_at IS NULL")
                .execute(Tuple.of(studioId, memberId, Rows.timestamp(at)))
                .mapEmpty();
    }

    /** The studio, or null. */
    public Future<Studio> find(SqlClient client, String studioId) {
        return client.preparedQuery("SELECT " + STUDIO_COLUMNS + " FROM studios s WHERE s.id = $1")
                .execute(Tuple.of(studioId))
                .map(rows -> Rows.first(rows, StudioRepository::studio));
    }

    /** The studio, locked for update (its clock moves only under this lock), or null. */
    public Future<Studio> lock(SqlClient client, String studioId) {
        return client.preparedQuery("SELECT " + STUDIO_COLUMNS + " FROM studios s WHERE s.id = $1 FOR UPDATE")
                .execute(Tuple.of(studioId))
                .map(rows -> Rows.first(rows, StudioRepository::studio));
    }

    public Future<Void> setClock(SqlClient client, String studioId, Instant now) {
        return client.preparedQuery("UPDATE studios SET clock_now = $2 WHERE id = $1 AND test_mode")
                .execute(Tuple.of(studioId, Rows.timestamp(now)))
                .mapEmpty();
    }

    /** A server-wide setting, or null. */
    public Future<String> setting(SqlClient client, String name) {
        return client.preparedQuery("SELECT value FROM server_settings WHERE name = $1")
                .execute(Tuple.of(name))
                .map(rows -> Rows.first(rows, row -> row.getString("value")));
    }

    /** Stores a setting unless one exists; true when this call stored it. */
    public Future<Boolean> putSettingIfAbsent(SqlClient client, String name, String value) {
        return client.preparedQuery(
                        "INSERT INTO server_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
                .execute(Tuple.of(name, value))
                .map(rows -> rows.rowCount() == 1);
    }

    static Studio studio(Row row) {
        return new Studio(row.getString("id"), row.getString("name"), ZoneId.of(row.getString("timezone")),
                Currency.getInstance(row.getString("currency")), row.getBoolean("test_mode"),
                Rows.instant(row, "clock_now"),
                ConsumptionOrder.valueOf(row.getString("consumption_order").toUpperCase(Locale.ROOT)));
    }
}
