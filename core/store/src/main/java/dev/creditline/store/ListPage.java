package dev.creditline.store;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A page of a newest-first list and where the next one starts: the {@code seq} (creation order) of its last item,
 * null on the last page. Pages follow {@code seq}, so rows created meanwhile never shift a page and rows created in
 * the same instant (a test clock) keep their order.
 */
public record ListPage<T>(List<T> items, Long next) {
    public ListPage {
        items = List.copyOf(items);
    }

    /** The page of {@code limit} items out of a query's {@code limit + 1} rows, each with a {@code seq} column. */
    static <T> ListPage<T> of(RowSet<Row> rows, int limit, Function<Row, T> mapper) {
        List<T> items = new ArrayList<>();
        Long last = null;
        boolean more = false;
        for (Row row : rows) {
            if (items.size() == limit) {
                more = true;
                break;
            }
            items.add(mapper.apply(row));
            last = row.getLong("seq");
        }
        return new ListPage<>(items, more ? last : null);
    }
}
