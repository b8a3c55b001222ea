package dev.creditline.store;

import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Function;

/**
 * Rows as the arguments of one multi-row statement: a typed array per column, read back by
 * {@code unnest($1::text[], $2::int[], ...)}. One statement for many rows costs the database one execution, where a
 * batch of statements costs one per row.
 */
final class Columns<T> {
    private final List<T> rows;
    private final Tuple tuple = Tuple.tuple();

    Columns(List<T> rows) {
        this.rows = rows;
    }

    Columns<T> text(Function<T, String> column) {
        tuple.addValue(rows.stream().map(column).toArray(String[]::new));
        return this;
    }

    Columns<T> integer(Function<T, Integer> column) {
        tuple.addValue(rows.stream().map(column).toArray(Integer[]::new));
        return this;
    }

    Columns<T> bool(Function<T, Boolean> column) {
        tuple.addValue(rows.stream().map(column).toArray(Boolean[]::new));
        return this;
    }

    Columns<T> timestamp(Function<T, Instant> column) {
        tuple.addValue(rows.stream().map(column.andThen(Rows::timestamp)).toArray(OffsetDateTime[]::new));
        return this;
    }

    Tuple tuple() {
        return tuple;
    }
}
