package dev.creditline.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * One page of a studio's newest-first list: the studio's rows, the filters that were given, below the cursor,
 * ordered by {@code seq DESC} (creation order) so that an index on {@code (studio_id, seq)} answers it.
 * Absent filters leave no trace in the SQL, so the planner never sees an {@code $n IS NULL OR ...} it cannot index.
 */
final class ListQuery {
    private final String select;
    private final String alias;
    private final StringBuilder where = new StringBuilder();
    private final Tuple args = Tuple.tuple();

    /**
     * @param select the SELECT ... FROM ... part
     * @param alias  the listed table's alias in it ({@code ""} when none)
     */
    ListQuery(String select, String alias, String studioId) {
        this.select = select;
        this.alias = alias.isEmpty() ? "" : alias + ".";
        where.append(" WHERE ").append(this.alias).append("studio_id = ").append(arg(studioId));
    }

    /** {@code column = value} when the value is given. */
    ListQuery equal(String column, Object value) {
        return when(value, this.alias + column + " = ?");
    }

    /** A condition with one {@code ?} for the value, when the value is given. */
    ListQuery when(Object value, String condition) {
        if (value != null) {
            where.append(" AND ").append(condition.replace("?", arg(value)));
        }
        return this;
    }

    /** Runs the query for one page. */
    Future<RowSet<Row>> run(SqlClient client, Long below, int limit) {
        if (below != null) {
            where.append(" AND ").append(alias).append("seq < ").append(arg(below));
        }
        String sql = select + where + " ORDER BY " + alias + "seq DESC LIMIT " + arg(limit + 1);
        return client.preparedQuery(sql).execute(args);
    }

    private String arg(Object value) {
        args.addValue(value);
        return "$" + args.size();
    }
}
