package dev.creditline.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a periodic sweep found due over every studio ({@code studio_id}, a key, {@code now}: each studio at its own
 * time), done one studio after the other, one transaction each: a studio's transaction touches that studio alone.
 */
final class DuePerStudio {

    /** The sweep's work on one studio's due keys, at the studio's time; answers how much it did. */
    interface Work {
        Future<Integer> run(SqlConnection c, String studioId, List<String> keys, Instant now);
    }

    private DuePerStudio() {
    }

    /** Runs {@code work} per studio on the distinct values of {@code keyColumn}; the sum of what each did. */
    static Future<Integer> run(Pool pool, RowSet<Row> rows, String keyColumn, Work work) {
        Map<String, List<String>> byStudio = new LinkedHashMap<>();
        Map<String, Instant> studioNow = new HashMap<>();
        for (Row row : rows) {
            byStudio.computeIfAbsent(row.getString("studio_id"), k -> new ArrayList<>()).add(row.getString(keyColumn));
            studioNow.put(row.getString("studio_id"), Rows.instant(row, "now"));
        }
        Future<Integer> done = Future.succeededFuture(0);
        for (var studio : byStudio.entrySet()) {
            List<String> keys = studio.getValue().stream().distinct().toList();
            Instant now = studioNow.get(studio.getKey());
            done = done.compose(count -> pool.withTransaction(c -> work.run(c, studio.getKey(), keys, now))
                    .map(did -> count + did));
        }
        return done;
    }
}
