package dev.creditline.plugins.automations;

import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a trigger's or an action's parameters and collects every problem as {@code "<parameter>: <what is wrong>"},
 * the form {@link dev.creditline.api.spi.AutomationTrigger#validate} answers in. Getters return null for a missing or
 * bad value.
 */
final class Params {
    private final JsonObject json;
    private final List<String> problems = new ArrayList<>();

    /** The parameters, allowing only {@code type} and the named ones. */
    Params(JsonObject json, String... allowed) {
        this.json = json == null ? new JsonObject() : json;
        Set<String> known = Set.of(allowed);
        this.json.fieldNames().stream().filter(name -> !name.equals("type") && !known.contains(name)).sorted()
                .forEach(name -> problems.add(name + ": is not a parameter here (allowed: "
                        + String.join(", ", allowed) + ")"));
    }

    /** The problems of parameters that are just a required {@code tag}. */
    static List<String> tagOnly(JsonObject parameters) {
        Params p = new Params(parameters, "tag");
        p.text("tag", true, 64);
        return p.problems();
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    boolean has(String name) {
        return json.getValue(name) != null;
    }

    String text(String name, boolean required, int maxLength) {
        Object value = json.getValue(name);
        if (value == null) {
            return missing(name, required);
        }
        if (!(value instanceof String s) || s.isBlank() || s.length() > maxLength
                || s.chars().anyMatch(Character::isISOControl)) {
            problems.add(name + ": must be a text of 1 to " + maxLength + " characters");
            return null;
        }
        // The value is used as given (a tag is compared as it is), so spaces around it would be a silent mismatch.
        if (!s.equals(s.strip())) {
            problems.add(name + ": must not start or end with a space");
            return null;
        }
        return s;
    }

    Integer integer(String name, boolean required, int min, int max) {
        Object value = json.getValue(name);
        if (value == null) {
            return missing(name, required);
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
                || ((Number) value).longValue() > max) {
            problems.add(name + ": must be a whole number from " + min + " to " + max);
            return null;
        }
        return ((Number) value).intValue();
    }

    Instant instant(String name, boolean required) {
        String text = rawText(name, required);
        try {
            return text == null ? null : java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            problems.add(name + ": must be an ISO 8601 time with offset, e.g. 2026-12-31T23:59:00Z");
            return null;
        }
    }

    /** A positive ISO 8601 period of days, weeks, months or years ({@code P1D}, {@code P1W}, {@code P1M}). */
    Period period(String name, boolean required) {
        String text = rawText(name, required);
        try {
            Period period = text == null ? null : Period.parse(text);
            if (period != null && (period.isNegative() || period.isZero())) {
                problems.add(name + ": must be a positive period, e.g. P1W");
                return null;
            }
            return period;
        } catch (DateTimeException e) {
            problems.add(name + ": must be an ISO 8601 period of days, weeks, months or years, e.g. P1W");
            return null;
        }
    }

    LocalTime time(String name, boolean required) {
        String text = rawText(name, required);
        try {
            return text == null ? null : LocalTime.parse(text);
        } catch (DateTimeException e) {
            problems.add(name + ": must be a time of day, e.g. 09:00");
            return null;
        }
    }

    LocalDate date(String name, boolean required) {
        String text = rawText(name, required);
        try {
            return text == null ? null : LocalDate.parse(text);
        } catch (DateTimeException e) {
            problems.add(name + ": must be a date, e.g. 2026-12-07");
            return null;
        }
    }

    /** Records a problem of a parameter. */
    void problem(String name, String message) {
        problems.add(name + ": " + message);
    }

    private String rawText(String name, boolean required) {
        Object value = json.getValue(name);
        if (value == null) {
            return missing(name, required);
        }
        if (!(value instanceof String s)) {
            problems.add(name + ": must be a text");
            return null;
        }
        return s;
    }

    private <T> T missing(String name, boolean required) {
        if (required) {
            problems.add(name + ": is required");
        }
        return null;
    }
}
