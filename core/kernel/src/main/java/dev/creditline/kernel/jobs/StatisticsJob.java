package dev.creditline.kernel.jobs;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the planner's statistics of the ledger's tables (and the plugins') current: every ten seconds it analyzes
 * the tables that changed much since their last analysis. Autovacuum does the same where it is on; where it is off,
 * or lags behind a table that grows fast, plans made when a table was empty would stay: a foreign-key check or a
 * lookup by id would walk a whole studio instead of one index entry, slower with every row. ANALYZE also makes every
 * connection plan its cached statements afresh. Several nodes may run it: one at a time analyzes (an advisory lock).
 */
@Singleton
public final class StatisticsJob {
    private static final Logger LOG = LoggerFactory.getLogger(StatisticsJob.class);
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    /** A table is analyzed again once this many rows changed, or a fifth of it if that is more. */
    private static final long MIN_CHANGES = 500;

    private final Vertx vertx;
    private final Pool pool;
    private final Periodic<List<String>> periodic = new Periodic<>(this::pass);

    @Inject
    public StatisticsJob(Vertx vertx, Pool pool) {
        this.vertx = vertx;
        this.pool = pool;
    }

    /** Starts the periodic analysis, and says once when autovacuum is off (vacuum is then the operator's). */
    public void start() {
        pool.query("SHOW autovacuum").execute().onSuccess(rows -> {
            if ("off".equals(rows.iterator().next().getString(0))) {
                LOG.warn("PostgreSQL's autovacuum is off: Creditline keeps its tables' statistics itself, but dead"
                        + " rows pile up until they are vacuumed; turn autovacuum on or VACUUM regularly");
            }
        });
        periodic.start(vertx, INTERVAL.toMillis(), INTERVAL.toMillis());
    }

    public void stop() {
        periodic.stop();
    }

    /** Analyzes the tables whose statistics are stale; answers their names. */
    public Future<List<String>> runOnce() {
        return periodic.run();
    }

    private Future<List<String>> pass() {
        return pool.withConnection(c -> c.query(
                                "SELECT pg_try_advisory_lock(hashtext('creditline-statistics')) AS mine").execute()
                        .compose(lock -> !lock.iterator().next().getBoolean("mine")
                                ? Future.succeededFuture(List.<String>of())
                                : c.preparedQuery("""
                                                SELECT format('%I.%I', schemaname, relname) AS name
                                                FROM pg_stat_user_tables
                                                WHERE (schemaname = current_schema() OR schemaname LIKE 'plugin\\_%')
                                                  AND n_mod_since_analyze >= greatest($1, n_live_tup / 5)""")
                                        .execute(Tuple.of(MIN_CHANGES))
                                        .compose(rows -> analyze(c, names(rows)))
                                        .eventually(() -> c.query("SELECT pg_advisory_unlock("
                                                + "hashtext('creditline-statistics'))").execute())))
                .onSuccess(analyzed -> {
                    if (!analyzed.isEmpty()) {
                        LOG.debug("Analyzed {}", analyzed);
                    }
                })
                .onFailure(e -> LOG.warn("Cannot refresh table statistics: {}", e.toString()));
    }

    private static List<String> names(RowSet<Row> rows) {
        List<String> names = new ArrayList<>();
        rows.forEach(row -> names.add(row.getString("name")));
        return names;
    }

    private static Future<List<String>> analyze(SqlConnection c, List<String> tables) {
        Future<Void> done = Future.succeededFuture();
        for (String table : tables) {
            // The name comes from format('%I.%I'): quoted as an identifier by PostgreSQL itself.
            done = done.compose(ok -> c.query("ANALYZE " + table).execute().mapEmpty());
        }
        return done.map(tables);
    }
}
