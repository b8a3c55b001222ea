package dev.creditline.ledger;

import dev.creditline.api.UsageLimit;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Set;
import org.threeten.extra.PeriodDuration;

/**
 * The calendar period a usage limit counts in: the day, week (Monday to Sunday), month or year, in the studio's time
 * zone, that a class starts in.
 *
 * @param from its first instant
 * @param to   the first instant after it
 */
public record UsageWindow(Instant from, Instant to) {

    /** The periods a usage limit may count per. */
    public static final Set<PeriodDuration> PERIODS = Set.of(PeriodDuration.of(Period.ofDays(1)),
            PeriodDuration.of(Period.ofWeeks(1)), PeriodDuration.of(Period.ofMonths(1)),
            PeriodDuration.of(Period.ofYears(1)));

    /** The window of {@code limit} that contains {@code startsAt}. */
    public static UsageWindow of(UsageLimit limit, Instant startsAt, ZoneId zone) {
        return of(limit.per(), startsAt, zone);
    }

    /** The calendar period of length {@code length} (one of {@link #PERIODS}) that contains {@code at}. */
    public static UsageWindow of(PeriodDuration length, Instant at, ZoneId zone) {
        ZonedDateTime day = at.atZone(zone).truncatedTo(ChronoUnit.DAYS);
        Period per = length.getPeriod();
        ZonedDateTime from;
        if (per.getYears() == 1) {
            from = day.withDayOfYear(1);
        } else if (per.getMonths() == 1) {
            from = day.withDayOfMonth(1);
        } else if (per.getDays() == 7) {
            from = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        } else if (per.getDays() == 1) {
            from = day;
        } else {
            throw new IllegalArgumentException("a period is P1D, P1W, P1M or P1Y, not " + length);
        }
        return new UsageWindow(from.toInstant(), from.plus(per).toInstant());
    }
}
