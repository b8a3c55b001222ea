package dev.creditline.ledger;

import java.time.Instant;
import java.time.ZoneId;
import org.threeten.extra.PeriodDuration;

/** Expiry arithmetic: periods run in the studio's time zone, so "P1M" from 31 March ends on 30 April. */
public final class Validity {

    private Validity() {
    }

    /** The instant a validity starting at {@code start} ends, counted in {@code zone}. */
    public static Instant end(Instant start, PeriodDuration validity, ZoneId zone) {
        return start.atZone(zone).plus(validity.getPeriod()).plus(validity.getDuration()).toInstant();
    }

    /** The instant {@code amount} before {@code end}, counted in {@code zone}. */
    public static Instant before(Instant end, PeriodDuration amount, ZoneId zone) {
        return end.atZone(zone).minus(amount.getPeriod()).minus(amount.getDuration()).toInstant();
    }
}
