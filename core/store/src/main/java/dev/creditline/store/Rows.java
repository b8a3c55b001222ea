package dev.creditline.store;

import dev.creditline.api.UsageLimit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.threeten.extra.PeriodDuration;

/** Conversions between rows and Java values, shared by the repositories. */
final class Rows {

    private Rows() {
    }

    /**
     * A tuple of query arguments. Use it where an argument is an array: {@code Tuple.of(a, array)} would take the
     * array as its varargs and spread it.
     */
    static Tuple args(Object... values) {
        Tuple tuple = Tuple.tuple();
        for (Object value : values) {
            tuple.addValue(value);
        }
        return tuple;
    }

    static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static List<String> strings(Row row, String column) {
        String[] values = row.getArrayOfStrings(column);
        return values == null ? null : List.of(values);
    }

    static String[] array(List<String> values) {
        return values == null ? null : values.toArray(String[]::new);
    }

    static PeriodDuration period(Row row, String column) {
        String value = row.getString(column);
        return value == null ? null : PeriodDuration.parse(value);
    }

    static String text(PeriodDuration period) {
        return period == null ? null : period.toString();
    }

    /** Usage limits as stored (a JSON array of {@code {"schedulerId","max","per"}}). */
    static List<UsageLimit> usageLimits(JsonArray stored) {
        List<UsageLimit> limits = new ArrayList<>();
        if (stored != null) {
            for (int i = 0; i < stored.size(); i++) {
                JsonObject limit = stored.getJsonObject(i);
                limits.add(new UsageLimit(limit.getString("schedulerId"), limit.getInteger("max"),
                        PeriodDuration.parse(limit.getString("per"))));
            }
        }
        return limits;
    }

    /** Usage limits as stored. */
    static JsonArray json(List<UsageLimit> limits) {
        JsonArray out = new JsonArray();
        for (UsageLimit limit : limits) {
            out.add(new JsonObject().put("schedulerId", limit.schedulerId()).put("max", limit.max())
                    .put("per", limit.per().toString()));
        }
        return out;
    }

    static <T> List<T> all(RowSet<Row> rows, Function<Row, T> mapper) {
        List<T> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            out.add(mapper.apply(row));
        }
        return out;
    }

    static <T> T first(RowSet<Row> rows, Function<Row, T> mapper) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? mapper.apply(iterator.next()) : null;
    }
}
