package dev.creditline.store;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A row's id with its studio: what a query spanning several studios looks rows up by (every row is keyed by both).
 * Sorted by studio, then id: the order in which such queries take locks, so two never wait on each other in a cycle.
 */
public record ScopedId(String studioId, String id) implements Comparable<ScopedId> {
    private static final Comparator<ScopedId> ORDER =
            Comparator.comparing(ScopedId::studioId).thenComparing(ScopedId::id);

    @Override
    public int compareTo(ScopedId other) {
        return ORDER.compare(this, other);
    }

    /** The distinct ids in lock order. */
    static List<ScopedId> sorted(Collection<ScopedId> ids) {
        return ids.stream().distinct().sorted().toList();
    }

    /**
     * The arguments of a lookup by {@code unnest($1::text[], $2::text[]) AS want(studio_id, id)}. On Citus such a
     * lookup also says {@code studio_id = ANY($1)} of every table it reads ({@code Distribution.batchShard}).
     */
    static Tuple args(List<ScopedId> ids) {
        return Rows.args(studios(ids), ids(ids));
    }

    /** The scoped id of a row a lookup found, whose studio it selected as {@code of_studio}. */
    static ScopedId of(Row row, String idColumn) {
        return new ScopedId(row.getString("of_studio"), row.getString(idColumn));
    }

    /** The rows a lookup found, each by its scoped id. */
    static <T> Map<ScopedId, T> byId(RowSet<Row> rows, String idColumn, Function<Row, T> read) {
        Map<ScopedId, T> found = new HashMap<>();
        rows.forEach(row -> found.put(of(row, idColumn), read.apply(row)));
        return found;
    }

    static String[] studios(List<ScopedId> ids) {
        return ids.stream().map(ScopedId::studioId).toArray(String[]::new);
    }

    static String[] ids(List<ScopedId> ids) {
        return ids.stream().map(ScopedId::id).toArray(String[]::new);
    }
}
