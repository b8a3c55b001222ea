package dev.creditline.ledger;

import dev.creditline.api.Lot;
import java.time.Instant;
import java.util.Collection;

/**
 * What a set of lots holds at an instant, as the credit view reads it: the one fold of lots into balances that the
 * credit view (per account and in all) and the members list share, so they cannot disagree.
 *
 * @param total          the finite credits of the lots not expired (unlimited lots count none)
 * @param available      those that can pay a booking now: started, not paused, not suspended
 * @param unlimitedUntil the latest expiry of an unlimited lot usable now (started, not expired) and not suspended, or
 *                       null when there is none
 */
public record Balance(int total, int available, Instant unlimitedUntil) {

    /** The balance of the given lots (those with credits left) at {@code now}. */
    public static Balance of(Collection<Lot> lots, Instant now) {
        int total = 0;
        int available = 0;
        Instant unlimitedUntil = null;
        for (Lot lot : lots) {
            if (lot.isExpiredAt(now)) {
                continue;
            }
            total += lot.countedCredits();
            if (lot.hasStartedAt(now) && !lot.paused() && !lot.suspended()) {
                available += lot.countedCredits();
            }
            if (lot.unlimited() && !lot.suspended() && lot.hasStartedAt(now) && lot.expiresAt() != null
                    && (unlimitedUntil == null || lot.expiresAt().isAfter(unlimitedUntil))) {
                unlimitedUntil = lot.expiresAt();
            }
        }
        return new Balance(total, available, unlimitedUntil);
    }
}
