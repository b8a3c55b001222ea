package dev.creditline.api.spi;

import dev.creditline.api.Money;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import org.threeten.extra.PeriodDuration;

/**
 * Reads the fields of a JSON request body and collects every problem, so one 422 names all bad fields. Getters
 * return null for a missing or bad value; call {@link #check()} before using them.
 */
public interface Fields {

    /** Whether the field is present, even as null. */
    boolean has(String field);

    /** Whether the field is present and not null. */
    boolean hasValue(String field);

    /** A text of 1 to {@code maxLength} characters, trimmed, without control characters. */
    String string(String field, boolean required, int maxLength);

    /** A whole number within [min, max]. */
    Integer integer(String field, boolean required, int min, int max);

    /** true or false. */
    Boolean bool(String field, boolean required);

    /** An ISO 8601 instant with offset. */
    Instant instant(String field, boolean required);

    /** An ISO 8601 period or duration ({@code P6M}, {@code PT12H}). */
    PeriodDuration period(String field, boolean required, boolean allowZero);

    /** One of an enum's constants, by its lower-case name. */
    <E extends Enum<E>> E choice(String field, boolean required, Class<E> type);

    /** A list of distinct texts. */
    List<String> strings(String field, boolean required, int maxItems, int maxLength);

    /** Money as {@code {"amount":"135.00","currency":"EUR"}}, the currency defaulting to the given one. */
    Money money(String field, boolean required, Currency defaultCurrency);

    /** Records a problem with a field. */
    void error(String field, String message);

    /** Throws the 422 naming every bad field, if there is one. */
    void check();
}
