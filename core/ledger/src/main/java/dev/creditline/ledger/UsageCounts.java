package dev.creditline.ledger;

import dev.creditline.api.Lot;
import dev.creditline.api.UsageLimit;

/**
 * How many bookings already count against a lot's usage limit, in the window of the booking being decided: those
 * paid by lots of the same product (the limit is the product's), of the limit's scheduler, starting in the window.
 */
@FunctionalInterface
public interface UsageCounts {
    /** No bookings counted (no lot has limits, or none were made). */
    UsageCounts NONE = (lot, limit) -> 0;

    int used(Lot lot, UsageLimit limit);
}
