package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.api.Money;
import dev.creditline.api.spi.Fields;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.threeten.extra.PeriodDuration;

/**
 * Reads the fields of a JSON request body and collects every problem instead of stopping at the first, so one 422
 * names all bad fields. Getters return null for a missing or bad value; call {@link #check()} before using them.
 */
public final class Input implements Fields {
    /** The instants a request may name. */
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");

    private final ObjectNode body;
    private final String prefix;
    private final List<FieldError> errors;

    private Input(ObjectNode body, String prefix, List<FieldError> errors) {
        this.body = body;
        this.prefix = prefix;
        this.errors = errors;
    }

    /** Reads a body that may hold only the given fields: others are reported as unknown. */
    public static Input of(ObjectNode body, String... allowed) {
        Input input = new Input(body, "", new ArrayList<>());
        input.only(allowed);
        return input;
    }

    private void only(String... allowed) {
        Set<String> known = Set.of(allowed);
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                error(name, "is not a field of this request (allowed: " + String.join(", ", allowed) + ")");
            }
        }
    }

    /** Whether the field is present, even as null. */
    @Override
    public boolean has(String field) {
        return body.has(field);
    }

    /** Whether the field is present and not null. */
    @Override
    public boolean hasValue(String field) {
        return body.hasNonNull(field);
    }

    /** For a change (PATCH): each of these fields, when sent as null, is refused (it cannot be removed). */
    public void refuseRemoval(String... fields) {
        for (String field : fields) {
            if (has(field) && !hasValue(field)) {
                error(field, "cannot be removed");
            }
        }
    }

    /** Records a problem with a field. */
    @Override
    public void error(String field, String message) {
        errors.add(new FieldError(prefix + field, message));
    }

    /** Throws a 422 naming every bad field, if there is one. */
    @Override
    public void check() {
        if (!errors.isEmpty()) {
            throw Problem.invalid(List.copyOf(errors));
        }
    }

    private JsonNode value(String field, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                error(field, "is required");
            }
            return null;
        }
        return node;
    }

    /** A text of 1 to {@code maxLength} characters, trimmed; no control characters. */
    @Override
    public String string(String field, boolean required, int maxLength) {
        JsonNode node = value(field, required);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            error(field, "must be a string");
            return null;
        }
        return text(field, node.textValue(), maxLength);
    }

    private String text(String field, String raw, int maxLength) {
        String value = raw.strip();
        if (value.isEmpty()) {
            error(field, "must not be empty");
            return null;
        }
        if (value.length() > maxLength) {
            error(field, "must be at most " + maxLength + " characters");
            return null;
        }
        if (!printable(value)) {
            error(field, "must not contain control characters or broken Unicode");
            return null;
        }
        if (!visible(value)) {
            error(field, "must contain a visible character (not only spaces or invisible characters)");
            return null;
        }
        return value;
    }

    /**
     * Whether a text shows anything: a name of only no-break or zero-width spaces (U+00A0, U+200B, ...) or other
     * format characters reads as empty on every screen.
     */
    static boolean visible(String value) {
        return value.codePoints().anyMatch(c -> !Character.isWhitespace(c) && !Character.isSpaceChar(c)
                && Character.getType(c) != Character.FORMAT && Character.getType(c) != Character.CONTROL);
    }

    /** Whether a text has no control characters (other than tab and newlines) and no lone surrogates. */
    static boolean printable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** A whole number within [min, max]. */
    @Override
    public Integer integer(String field, boolean required, int min, int max) {
        JsonNode node = value(field, required);
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber()) {
            error(field, "must be a whole number");
            return null;
        }
        BigInteger value = node.bigIntegerValue();
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            error(field, "must be between " + min + " and " + max);
            return null;
        }
        return value.intValue();
    }

    @Override
    public Boolean bool(String field, boolean required) {
        JsonNode node = value(field, required);
        if (node == null) {
            return null;
        }
        if (!node.isBoolean()) {
            error(field, "must be true or false");
            return null;
        }
        return node.booleanValue();
    }

    /** An ISO 8601 instant with an offset, e.g. {@code 2026-05-22T10:07:00Z}. */
    @Override
    public Instant instant(String field, boolean required) {
        String text = string(field, required, 64);
        if (text == null) {
            return null;
        }
        try {
            Instant value = OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MICROS);
            if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
                error(field, "must be between the years 2000 and 2200");
                return null;
            }
            return value;
        } catch (DateTimeParseException e) {
            error(field, "must be an ISO 8601 instant such as 2026-05-22T10:07:00Z");
            return null;
        }
    }

    /** An ISO 8601 period or duration ({@code P6M}, {@code PT12H}); zero only when {@code allowZero}. */
    @Override
    public PeriodDuration period(String field, boolean required, boolean allowZero) {
        String text = string(field, required, 40);
        if (text == null) {
            return null;
        }
        PeriodDuration value;
        try {
            value = PeriodDuration.parse(text);
        } catch (DateTimeParseException e) {
            error(field, "must be an ISO 8601 duration such as P6M, P1W or PT12H");
            return null;
        }
        if (value.getPeriod().isNegative() || value.getDuration().isNegative()) {
            error(field, "must not be negative");
            return null;
        }
        if (value.isZero() && !allowZero) {
            error(field, "must be longer than zero");
            return null;
        }
        if (value.getPeriod().toTotalMonths() > 12 * 100 || value.getPeriod().getDays() > 36_600
                || value.getDuration().toDays() > 36_600) {
            error(field, "must be at most 100 years");
            return null;
        }
        return value;
    }

    /** One of the enum's wire names (lower case), e.g. {@code "first_use"}. */
    @Override
    public <E extends Enum<E>> E choice(String field, boolean required, Class<E> type) {
        JsonNode node = value(field, required);
        if (node == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase(Locale.ROOT));
        }
        if (node.isTextual() && names.contains(node.textValue())) {
            return Enum.valueOf(type, node.textValue().toUpperCase(Locale.ROOT));
        }
        error(field, "must be one of " + String.join(", ", names));
        return null;
    }

    /** A list of distinct texts (ids, tags). */
    @Override
    public List<String> strings(String field, boolean required, int maxItems, int maxLength) {
        JsonNode node = value(field, required);
        if (node == null) {
            return null;
        }
        if (!node.isArray()) {
            error(field, "must be an array of strings");
            return null;
        }
        if (node.size() > maxItems) {
            error(field, "must have at most " + maxItems + " items");
            return null;
        }
        Set<String> values = new LinkedHashSet<>();
        boolean ok = true;
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String name = field + "[" + i + "]";
            if (!item.isTextual()) {
                error(name, "must be a string");
                ok = false;
                continue;
            }
            String value = text(name, item.textValue(), maxLength);
            if (value == null) {
                ok = false;
            } else {
                values.add(value);
            }
        }
        return ok ? List.copyOf(values) : null;
    }

    /** Money as {@code {"amount":"135.00","currency":"EUR"}}; the currency defaults to the studio's. */
    @Override
    public Money money(String field, boolean required, Currency defaultCurrency) {
        JsonNode node = value(field, required);
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            error(field, "must be an object such as {\"amount\":\"135.00\",\"currency\":\"EUR\"}");
            return null;
        }
        Input money = new Input((ObjectNode) node, prefix + field + ".", errors);
        money.only("amount", "currency");
        Currency currency = money.hasValue("currency") ? money.currency("currency", true) : defaultCurrency;
        String amount = money.string("amount", true, 24);
        if (amount == null || currency == null) {
            return null;
        }
        try {
            Money value = Money.parse(amount, currency);
            if (value.minor() < 0) {
                money.error("amount", "must not be negative");
                return null;
            }
            if (value.minor() > 100_000_000_00L) {
                money.error("amount", "is too large");
                return null;
            }
            return value;
        } catch (IllegalArgumentException e) {
            money.error("amount", e.getMessage());
            return null;
        }
    }

    /** An ISO 4217 currency code such as {@code EUR}. */
    public Currency currency(String field, boolean required) {
        String code = string(field, required, 3);
        if (code == null) {
            return null;
        }
        if (!code.matches("[A-Z]{3}")) {
            error(field, "must be an ISO 4217 code such as EUR");
            return null;
        }
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            error(field, "is not an ISO 4217 currency");
            return null;
        }
    }

    /**
     * A {@code penalty} setting ({@link dev.creditline.store.PenaltySettings}) as canonical JSON text, or null when
     * absent or null (see {@link #has} to tell them apart); a bad one is refused naming its part.
     */
    public String penalty(String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return dev.creditline.store.PenaltySettings.json(
                    dev.creditline.store.PenaltySettings.parse(value.toString(), prefix + field)).encode();
        } catch (dev.creditline.store.Rejection refused) {
            error(refused.field() != null ? refused.field().substring(prefix.length()) : field, refused.getMessage());
            return null;
        }
    }

    /** The raw value of a field, or null. */
    public JsonNode raw(String field) {
        return body.get(field);
    }

    /** Reads a nested object with its own allowed fields; its errors are named {@code field.sub}. */
    public Input nested(ObjectNode node, String field, String... allowed) {
        Input nested = new Input(node, prefix + field + ".", errors);
        nested.only(allowed);
        return nested;
    }
}
