package dev.creditline.store.citus;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The queries that are meant to span studios (sweeps, metrics, a lookup before the studio is known): on a schema
 * distributed by studio they read every shard, which is fine for a background job and wrong on a request's path.
 * Each runs with Citus's {@code citus.multi_task_query_log_level} off, so a database that sets it to {@code error}
 * (the Citus test suite does) refuses every other multi-shard query: one slipping into a request fails a test. On
 * plain PostgreSQL the setting is an inert placeholder.
 */
public final class MultiShard {
    /** Lets the rest of the transaction span shards. */
    public static final String ALLOW = "SET LOCAL citus.multi_task_query_log_level = 'off'";

    private MultiShard() {
    }

    /**
     * Runs a query meant to span studios: in a transaction of its own on a pool, or in the rest of the caller's
     * transaction on a connection (which must be in one).
     */
    public static Future<RowSet<Row>> query(SqlClient client, String sql, Tuple arguments) {
        if (client instanceof Pool pool) {
            return pool.withTransaction(c -> query(c, sql, arguments));
        }
        SqlConnection connection = (SqlConnection) client;
        return connection.query(ALLOW).execute().compose(allowed -> connection.preparedQuery(sql).execute(arguments));
    }
}
