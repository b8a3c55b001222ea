package dev.creditline.api;

import java.util.Objects;
import org.threeten.extra.PeriodDuration;

/**
 * At most {@code max} bookings per calendar period paid by the lots of one product ("at most 2 per week for Yoga").
 * A period of {@code P1D}, {@code P1W} or {@code P1M} is the calendar day, week (Monday to Sunday) or month, in the
 * studio's time zone, that the class starts in; any other period is counted back from the class's start.
 *
 * @param schedulerId the scheduler it counts, or null for every scheduler
 * @param max         the bookings allowed in a period
 * @param per         the period
 */
public record UsageLimit(String schedulerId, int max, PeriodDuration per) {

    public UsageLimit {
        Objects.requireNonNull(per, "per");
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative");
        }
    }

    /** Whether bookings of this scheduler count against the limit. */
    public boolean counts(String scheduler) {
        return schedulerId == null || schedulerId.equals(scheduler);
    }
}
