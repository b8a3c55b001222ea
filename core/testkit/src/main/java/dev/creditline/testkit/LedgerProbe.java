package dev.creditline.testkit;

import dev.creditline.store.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the ledger's database directly, to check what the API wrote: invariants (every lot's remaining equals its
 * journal deltas) and "nothing changed" fingerprints of every table.
 */
public final class LedgerProbe {
    private static final List<String> TABLES = List.of("studios", "api_keys", "trainers", "schedulers", "products",
            "product_versions", "members", "purchases", "lots", "bookings", "booking_allocations", "journal",
            "idempotency_keys", "subscriptions");

    private final DatabaseUrl url;

    public LedgerProbe(DatabaseUrl url) {
        this.url = url;
    }

    /** A fingerprint of every ledger table's content: equal fingerprints mean nothing was written. */
    public Map<String, String> fingerprint() {
        Map<String, String> prints = new LinkedHashMap<>();
        for (String table : TABLES) {
            prints.put(table, text("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"
                    + " FROM " + table + " t"));
        }
        return prints;
    }

    /**
     * Lots whose stored state disagrees with the journal: remaining must equal the sum of the lot's deltas, held
     * credits the sum of its held changes, and the first entry must issue the lot's quantity. Empty when the ledger
     * is consistent.
     */
    public List<String> journalMismatches() {
        return rows("""
                SELECT l.id || ': remaining ' || l.remaining || ', journal ' || coalesce(j.total, 0)
                    || ', held ' || l.held || ', journal held ' || coalesce(j.held, 0)
                    || ', quantity ' || l.quantity || ', issued ' || coalesce(j.issued, 0)
                FROM lots l
                LEFT JOIN (
                    SELECT studio_id, lot_id, sum(delta) AS total, sum(held) AS held,
                           (array_agg(delta ORDER BY seq))[1] AS issued
                    FROM journal GROUP BY studio_id, lot_id
                ) j ON j.studio_id = l.studio_id AND j.lot_id = l.id
                WHERE l.remaining <> coalesce(j.total, 0) OR l.held <> coalesce(j.held, 0)
                    OR (NOT l.unlimited AND l.quantity <> coalesce(j.issued, 0))
                ORDER BY l.id""");
    }

    /**
     * Bookings whose allocations and entries disagree (a half-written booking): a booking took its cost, held
     * ({@code held} entries) or redeemed at once, and holds credits exactly while it says it does; its hold either
     * posted or was released, never both. A booking paid by an unlimited period has one allocation of no credits to
     * that period's lot, and no redemption entry.
     */
    public List<String> bookingMismatches() {
        return rows("""
                SELECT b.id || ': cost ' || b.cost || ', allocated ' || coalesce(a.credits, 0)
                    || ', redeemed ' || coalesce(r.credits, 0) || ', held ' || coalesce(r.held, 0)
                    || ', holding ' || (b.status = 'booked' AND b.cost > 0 AND b.posted_at IS NULL)
                    || ', still held ' || coalesce(r.still_held, 0)
                    || ', released ' || coalesce(r.released, 0)
                FROM bookings b
                LEFT JOIN (SELECT al.studio_id, al.booking_id,
                                  sum(CASE WHEN l.unlimited THEN b2.cost ELSE al.credits END) AS credits
                           FROM booking_allocations al
                           JOIN lots l ON l.studio_id = al.studio_id AND l.id = al.lot_id
                           JOIN bookings b2 ON b2.studio_id = al.studio_id AND b2.id = al.booking_id
                           GROUP BY al.studio_id, al.booking_id) a ON a.studio_id = b.studio_id AND a.booking_id = b.id
                LEFT JOIN (SELECT studio_id, booking_id, bool_or(unlimited) AS unlimited FROM booking_allocations al
                           JOIN lots l USING (studio_id) WHERE l.id = al.lot_id GROUP BY studio_id, booking_id) u
                    ON u.studio_id = b.studio_id AND u.booking_id = b.id
                LEFT JOIN (SELECT studio_id, booking_id, -sum(delta) FILTER (WHERE type = 'redeemed') AS credits,
                                  sum(held) FILTER (WHERE type = 'held') AS held, sum(held) AS still_held,
                                  -sum(held) FILTER (WHERE type = 'released') AS released
                           FROM journal WHERE booking_id IS NOT NULL
                           GROUP BY studio_id, booking_id) r ON r.studio_id = b.studio_id AND r.booking_id = b.id
                WHERE b.pay_with = 'credits' AND (coalesce(a.credits, 0) <> b.cost
                    OR greatest(coalesce(r.credits, 0), coalesce(r.held, 0))
                        <> CASE WHEN coalesce(u.unlimited, false) THEN 0 ELSE b.cost END
                    OR (b.status = 'booked' AND b.cost > 0 AND b.posted_at IS NULL) <> (coalesce(r.still_held, 0) > 0)
                    OR coalesce(r.credits, 0) > 0 AND coalesce(r.released, 0) > 0)
                ORDER BY b.id""");
    }

    /**
     * Requests applied twice: an Idempotency-Key whose entries belong to two bookings, or a booking refunded more
     * credits than it cost. Empty when every change happened once.
     */
    public List<String> appliedTwice() {
        return rows("""
                SELECT 'key ' || idempotency_key || ' applied to ' || count(DISTINCT booking_id) || ' bookings'
                FROM journal WHERE idempotency_key IS NOT NULL AND booking_id IS NOT NULL
                GROUP BY studio_id, idempotency_key HAVING count(DISTINCT booking_id) > 1
                UNION ALL
                SELECT 'booking ' || b.id || ' cost ' || b.cost || ' but got back ' || r.credits
                FROM bookings b JOIN (SELECT studio_id, booking_id, sum(delta) AS credits FROM journal
                                      WHERE type = 'refunded' GROUP BY studio_id, booking_id) r
                    ON r.studio_id = b.studio_id AND r.booking_id = b.id
                WHERE r.credits > b.cost""");
    }

    /** A single number. */
    public long number(String sql, Object... args) {
        return Long.parseLong(text(sql, args));
    }

    /**
     * How many transactions wrote rows of the table for more than one of the studios: the write pipeline's batches
     * that spanned studios ({@code xmin} is the id of the transaction that wrote a row's current version).
     */
    public long transactionsAcrossStudios(String table, java.util.Collection<String> studioIds) {
        // On Citus each worker counts its own transaction ids: a transaction is a shard's and an id.
        Map<String, String> shardOf = new java.util.HashMap<>();
        for (String studio : studioIds) {
            shardOf.put(studio, FreshDatabase.citus()
                    ? text("SELECT get_shard_id_for_distribution_column('public.studios', ?)", studio) : "");
        }
        Map<String, java.util.Set<String>> studiosOf = new java.util.HashMap<>();
        for (String row : rows("SELECT studio_id || ' ' || xmin::text FROM " + table + " WHERE studio_id = ANY(?)",
                (Object) studioIds.toArray(String[]::new))) {
            String studio = row.substring(0, row.indexOf(' '));
            studiosOf.computeIfAbsent(shardOf.get(studio) + row.substring(row.indexOf(' ')),
                    k -> new java.util.HashSet<>()).add(studio);
        }
        return studiosOf.values().stream().filter(studios -> studios.size() > 1).count();
    }

    /**
     * Checks that the write pipelines put these studios' rows of the table into transactions as the database wants:
     * several studios in one transaction on PostgreSQL (a batch does not wait for one studio to be busy), one
     * studio per transaction on Citus (each on its studio's shard).
     */
    public void assertBatchedAsTheDatabaseWants(String table, java.util.Collection<String> studioIds) {
        long mixed = transactionsAcrossStudios(table, studioIds);
        if (FreshDatabase.citus() && mixed != 0) {
            throw new AssertionError(mixed + " transaction(s) wrote " + table + " of several studios on Citus");
        }
        if (!FreshDatabase.citus() && mixed == 0) {
            throw new AssertionError("no transaction wrote " + table + " of several studios: the requests were not"
                    + " batched across studios");
        }
    }

    /** A single value as text. */
    public String text(String sql, Object... args) {
        List<String> rows = rows(sql, args);
        if (rows.size() != 1) {
            throw new AssertionError("expected one row from " + sql + " but got " + rows.size());
        }
        return rows.get(0);
    }

    /** The first column of every row, as text. */
    public List<String> rows(String sql, Object... args) {
        Connection c = null;
        try (PreparedStatement statement = (c = connect()).prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rows.next()) {
                    out.add(rows.getString(1));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            release(c);
        }
    }

    /** Runs a statement; returns the SQL state of its failure, or null when it succeeded. */
    public String tryExecute(String sql) {
        Connection c = null;
        try (var statement = (c = connect()).createStatement()) {
            statement.execute(sql);
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        } finally {
            release(c);
        }
    }

    /**
     * On Citus, one session per database for all probes: a new session opens its own connections to every worker,
     * and a test that probes after each request would spend most of its time on them.
     */
    private static final Map<String, Connection> SESSIONS = new java.util.concurrent.ConcurrentHashMap<>();

    private Connection connect() throws SQLException {
        if (!FreshDatabase.citus()) {
            return open();
        }
        Connection session = SESSIONS.get(url.database());
        if (session != null && session.isValid(2)) {
            return session;
        }
        session = open();
        try (var statement = session.createStatement()) {
            // Its queries over every shard go over one connection per worker, which stays for the next probe.
            statement.execute("SET citus.max_adaptive_executor_pool_size = 1");
        }
        SESSIONS.put(url.database(), session);
        return session;
    }

    private static void release(Connection connection) {
        if (connection != null && !FreshDatabase.citus()) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing a probe's connection changes nothing the test checks.
            }
        }
    }

    private Connection open() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", url.user());
        if (url.password() != null) {
            properties.setProperty("password", url.password());
        }
        Connection connection = DriverManager.getConnection(url.jdbcUrl(), properties);
        // A probe reads across studios on purpose: on Citus its queries span shards.
        try (var statement = connection.createStatement()) {
            statement.execute("SET citus.multi_task_query_log_level = 'off'");
        }
        return connection;
    }
}
