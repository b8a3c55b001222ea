package dev.creditline.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the ledger database's backends spend a run: each {@link #sample} reads {@code pg_stat_activity} and counts
 * the active client backends by wait event ({@code CPU} when they wait for nothing) and the start of their
 * statement. Backends idle in a transaction are counted apart: they wait for the server, not for PostgreSQL.
 */
final class Waits {
    private static final int QUERY_CHARS = 40;
    private static final String SAMPLE = """
            SELECT state, coalesce(wait_event_type || ':' || wait_event, 'CPU'), left(query, 200)
            FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
              AND state IN ('active', 'idle in transaction')""";

    /** A wait event in one statement, and how many active backends were seen in it. */
    record Entry(String event, String query, long count) {
    }

    private record Key(String event, String query) {
    }

    /** The samples of one run. */
    record Summary(int samples, long active, long idleInTransaction, List<Entry> top) {
        double meanActive() {
            return samples == 0 ? 0 : active / (double) samples;
        }

        double meanIdleInTransaction() {
            return samples == 0 ? 0 : idleInTransaction / (double) samples;
        }

        /** The entry's share of all active backends seen. */
        double share(Entry entry) {
            return active == 0 ? 0 : entry.count() / (double) active;
        }
    }

    private final PreparedStatement statement;
    private final Map<Key, Long> counts = new HashMap<>();
    private int samples;
    private long active;
    private long idleInTransaction;

    Waits(Connection db) throws SQLException {
        statement = db.prepareStatement(SAMPLE);
    }

    /** One look at the backends (from one thread at a time). */
    synchronized void sample() {
        try (ResultSet rows = statement.executeQuery()) {
            samples++;
            while (rows.next()) {
                if (!rows.getString(1).equals("active")) {
                    idleInTransaction++;
                    continue;
                }
                active++;
                counts.merge(new Key(rows.getString(2), start(rows.getString(3))), 1L, Long::sum);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read pg_stat_activity", e);
        }
    }

    /** The samples so far, with the {@code n} most frequent entries, and starts again from nothing. */
    synchronized Summary take(int n) {
        List<Entry> top = counts.entrySet().stream()
                .sorted(Map.Entry.<Key, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(n).map(e -> new Entry(e.getKey().event(), e.getKey().query(), e.getValue())).toList();
        Summary summary = new Summary(samples, active, idleInTransaction, top);
        counts.clear();
        samples = 0;
        active = 0;
        idleInTransaction = 0;
        return summary;
    }

    /** The statement's first characters, on one line. */
    private static String start(String query) {
        String line = query == null ? "" : query.replaceAll("\\s+", " ").strip();
        return line.length() <= QUERY_CHARS ? line : line.substring(0, QUERY_CHARS);
    }
}
