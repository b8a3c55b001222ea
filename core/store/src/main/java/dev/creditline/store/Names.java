package dev.creditline.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The names people read beside ids (members, products, schedulers), looked up for a whole view or page at once.
 * An erased member has no name (null).
 */
public final class Names {

    /** The names found; an id without one answers null. */
    public record Found(Map<String, String> members, Map<String, String> products, Map<String, String> schedulers) {
        public static final Found NONE = new Found(Map.of(), Map.of(), Map.of());

        public String member(String id) {
            return id == null ? null : members.get(id);
        }

        public String product(String id) {
            return id == null ? null : products.get(id);
        }

        public String scheduler(String id) {
            return id == null ? null : schedulers.get(id);
        }
    }

    @Inject
    public Names() {
    }

    /** The names of the given members, products (their current version's name) and schedulers of the studio. */
    public Future<Found> of(SqlClient client, String studioId, Collection<String> memberIds,
                            Collection<String> productIds, Collection<String> schedulerIds) {
        Future<Map<String, String>> members = lookup(client, "SELECT id, name FROM members"
                + " WHERE studio_id = $1 AND id = ANY($2)", studioId, memberIds);
        Future<Map<String, String>> products = lookup(client, "SELECT p.id, v.name FROM products p"
                + " JOIN product_versions v ON v.studio_id = p.studio_id AND v.product_id = p.id"
                + " AND v.version = p.current_version WHERE p.studio_id = $1 AND p.id = ANY($2)", studioId, productIds);
        Future<Map<String, String>> schedulers = lookup(client, "SELECT id, name FROM schedulers"
                + " WHERE studio_id = $1 AND id = ANY($2)", studioId, schedulerIds);
        return Future.all(members, products, schedulers)
                .map(done -> new Found(members.result(), products.result(), schedulers.result()));
    }

    /** For each of the given bookings, its scheduler's id and name (as it was when booked). */
    public Future<Map<String, String[]>> bookingSchedulers(SqlClient client, String studioId,
                                                           Collection<String> bookingIds) {
        String[] wanted = bookingIds.stream().filter(java.util.Objects::nonNull).distinct().toArray(String[]::new);
        if (wanted.length == 0) {
            return Future.succeededFuture(Map.of());
        }
        return client.preparedQuery("SELECT id, scheduler_id, scheduler_name FROM bookings"
                        + " WHERE studio_id = $1 AND id = ANY($2)")
                .execute(Rows.args(studioId, wanted))
                .map(rows -> {
                    Map<String, String[]> schedulers = new HashMap<>();
                    rows.forEach(row -> schedulers.put(row.getString("id"),
                            new String[] {row.getString("scheduler_id"), row.getString("scheduler_name")}));
                    return schedulers;
                });
    }

    private static Future<Map<String, String>> lookup(SqlClient client, String sql, String studioId,
                                                      Collection<String> ids) {
        String[] wanted = ids.stream().filter(java.util.Objects::nonNull).distinct().toArray(String[]::new);
        if (wanted.length == 0) {
            return Future.succeededFuture(Map.of());
        }
        return client.preparedQuery(sql).execute(Rows.args(studioId, wanted)).map(rows -> {
            Map<String, String> names = new HashMap<>();
            rows.forEach(row -> {
                if (row.getString("name") != null) {
                    names.put(row.getString("id"), row.getString("name"));
                }
            });
            return names;
        });
    }
}
