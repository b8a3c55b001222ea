package dev.creditline.store;

import dev.creditline.api.Role;
import dev.creditline.ledger.ConsumptionOrder;
import dev.creditline.store.citus.MultiShard;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
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

    /**
     * An API key as its owner sees it; never its secret nor the secret's hash.
     *
     * @param prefix the secret's first characters, or null for keys made before they were kept
     */
    public record ApiKey(String id, Role role, String name, String memberId, String prefix, Instant createdAt,
                         Instant lastUsedAt, Instant revokedAt) {
    }

    /**
     * How many random characters of a secret are kept to tell keys apart, after the part that names the studio
     * ({@code clk_std_5kq2….yOO9}); a key from before keys named their studio keeps {@code clk_} and four.
     */
    public static final int PREFIX_LENGTH = 4;

    private static final String KEY_COLUMNS =
            "id, role, name, member_id, key_prefix, created_at, last_used_at, revoked_at";

    static final String STUDIO_COLUMNS =
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

    /** Stores a new key: the SHA-256 of its secret, and the secret's first {@link #PREFIX_LENGTH} characters. */
    public Future<Void> insertKey(SqlClient client, String studioId, String keyId, String secret, byte[] keyHash,
                                  Role role, String memberId, String name) {
        return client.preparedQuery("""
                        INSERT INTO api_keys (studio_id, id, key_hash, key_prefix, role, member_id, name)
                        VALUES ($1, $2, $3, $4, $5, $6, $7)""")
                .execute(Tuple.of(studioId, keyId, io.vertx.core.buffer.Buffer.buffer(keyHash), prefix(secret),
                        role.wireName(), memberId).addValue(name))
                .mapEmpty();
    }

    private static String prefix(String secret) {
        int start = secret.lastIndexOf('.') + 1;
        return secret.substring(0, Math.min(Math.max(start, "clk_".length()) + PREFIX_LENGTH, secret.length()));
    }

    /** The studio's keys, newest first (revoked ones too). */
    public Future<ListPage<ApiKey>> keys(SqlClient client, String studioId, Long after, int limit) {
        return new ListQuery("SELECT " + KEY_COLUMNS + ", seq FROM api_keys", "", studioId)
                .run(client, after, limit)
                .map(rows -> ListPage.of(rows, limit, StudioRepository::apiKey));
    }

    /** The key, or null; {@code lock} takes its row lock. */
    public Future<ApiKey> key(SqlClient client, String studioId, String keyId, boolean lock) {
        return client.preparedQuery("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE studio_id = $1 AND id = $2"
                        + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(studioId, keyId))
                .map(rows -> Rows.first(rows, StudioRepository::apiKey));
    }

    /** How many owner keys of the studio are not revoked. */
    public Future<Integer> liveOwnerKeys(SqlClient client, String studioId) {
        return client.preparedQuery("SELECT count(*)::int AS n FROM api_keys"
                        + " WHERE studio_id = $1 AND role = 'owner' AND revoked_at IS NULL")
                .execute(Tuple.of(studioId))
                .map(rows -> rows.iterator().next().getInteger("n"));
    }

    /** Revokes the key (unless it is revoked already); the key as it is now. */
    public Future<ApiKey> revokeKey(SqlClient client, String studioId, String keyId, Instant at) {
        return client.preparedQuery("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $3)"
                        + " WHERE studio_id = $1 AND id = $2 RETURNING " + KEY_COLUMNS)
                .execute(Tuple.of(studioId, keyId, Rows.timestamp(at)))
                .map(rows -> Rows.first(rows, StudioRepository::apiKey));
    }

    /** Gives an unrevoked key a new secret: the old one no longer matches. The key as it is now, or null. */
    public Future<ApiKey> rollKey(SqlClient client, String studioId, String keyId, String secret, byte[] keyHash) {
        return client.preparedQuery("UPDATE api_keys SET key_hash = $3, key_prefix = $4"
                        + " WHERE studio_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING " + KEY_COLUMNS)
                .execute(Tuple.of(studioId, keyId, io.vertx.core.buffer.Buffer.buffer(keyHash), prefix(secret)))
                .map(rows -> Rows.first(rows, StudioRepository::apiKey));
    }

    /** Records that the key was used (never moves back). */
    public Future<Void> keyUsed(SqlClient client, String studioId, String keyId, Instant at) {
        return client.preparedQuery("UPDATE api_keys SET last_used_at = $3 WHERE studio_id = $1 AND id = $2"
                        + " AND (last_used_at IS NULL OR last_used_at < $3)")
                .execute(Tuple.of(studioId, keyId, Rows.timestamp(at)))
                .mapEmpty();
    }

    private static ApiKey apiKey(Row row) {
        return new ApiKey(row.getString("id"), Role.valueOf(row.getString("role").toUpperCase(Locale.ROOT)),
                row.getString("name"), row.getString("member_id"), row.getString("key_prefix"),
                Rows.instant(row, "created_at"), Rows.instant(row, "last_used_at"), Rows.instant(row, "revoked_at"));
    }

    /** Changes the studio's name, time zone and consumption order. */
    public Future<Studio> update(SqlClient client, Studio studio) {
        return client.preparedQuery("UPDATE studios s SET name = $2, timezone = $3, consumption_order = $4"
                        + " WHERE s.id = $1 RETURNING " + STUDIO_COLUMNS)
                .execute(Tuple.of(studio.id(), studio.name(), studio.zone().getId(),
                        studio.order().name().toLowerCase(Locale.ROOT)))
                .map(rows -> Rows.first(rows, StudioRepository::studio));
    }

    /** The grant of the studio's unrevoked key with this hash, or null. */
    public Future<KeyGrant> findKey(SqlClient client, String studioId, byte[] keyHash) {
        return client.preparedQuery(KEY_GRANT + " WHERE k.studio_id = $1 AND k.key_hash = $2 AND k.revoked_at IS NULL")
                .execute(Tuple.of(studioId, io.vertx.core.buffer.Buffer.buffer(keyHash)))
                .map(StudioRepository::keyGrant);
    }

    /**
     * The grant of an unrevoked key with this hash in any studio, or null: for keys made before keys named their
     * studio. A query of every shard when the schema is distributed; such a key stops needing it once rolled.
     */
    public Future<KeyGrant> findKeyOfAnyStudio(SqlClient client, byte[] keyHash) {
        return MultiShard.query(client, KEY_GRANT + " WHERE k.key_hash = $1 AND k.revoked_at IS NULL",
                        Tuple.of(io.vertx.core.buffer.Buffer.buffer(keyHash)))
                .map(StudioRepository::keyGrant);
    }

    private static final String KEY_GRANT = "SELECT k.id AS key_id, k.role, k.member_id, k.name AS key_name, "
            + STUDIO_COLUMNS + " FROM api_keys k JOIN studios s ON s.id = k.studio_id";

    private static KeyGrant keyGrant(RowSet<Row> rows) {
        return Rows.first(rows, row -> new KeyGrant(row.getString("key_id"),
                Role.valueOf(row.getString("role").toUpperCase(Locale.ROOT)), row.getString("member_id"),
                row.getString("key_name"), studio(row)));
    }

    /** Revokes the athlete keys bound to a member (on erasure). */
    public Future<Void> revokeMemberKeys(SqlClient client, String studioId, String memberId, Instant at) {
        return client.preparedQuery(
                        "UPDATE api_keys SET revoked_at = $3 WHERE studio_id = $1 AND member_id = $2 AND revoked_at IS NULL")
                .execute(Tuple.of(studioId, memberId, Rows.timestamp(at)))
                .mapEmpty();
    }

    /** The studio, or null. */
    /** The studio's {@code penalty} setting (JSON), or null for the default. */
    public Future<String> penalty(SqlClient client, String studioId) {
        return client.preparedQuery("SELECT penalty::text AS penalty FROM studios WHERE id = $1")
                .execute(Tuple.of(studioId))
                .map(rows -> Rows.first(rows, row -> row.getString("penalty")));
    }

    /** Sets the studio's {@code penalty} setting (JSON; null for the default). */
    public Future<Void> setPenalty(SqlClient client, String studioId, String json) {
        return client.preparedQuery("UPDATE studios SET penalty = $2::text::jsonb WHERE id = $1")
                .execute(Tuple.of(studioId, json)).mapEmpty();
    }

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
