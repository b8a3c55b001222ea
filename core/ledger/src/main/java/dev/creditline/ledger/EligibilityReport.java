package dev.creditline.ledger;

import dev.creditline.api.Lot;
import java.util.List;

/**
 * The answer to "why can't she book although she has credits?": every lot with credits and whether it can pay.
 *
 * @param cost            credits one booking costs
 * @param creditsAccepted whether the scheduler accepts credits at all (not direct payment only)
 * @param lots            every lot with credits left, in spending order
 * @param available       credits of the eligible lots
 * @param unlimited       whether an eligible lot is unlimited
 */
public record EligibilityReport(int cost, boolean creditsAccepted, List<LotEligibility> lots, int available,
                                boolean unlimited) {

    public EligibilityReport {
        lots = List.copyOf(lots);
    }

    /** Whether a booking paid with credits would succeed. */
    public boolean canBook() {
        return creditsAccepted && (unlimited || available >= cost);
    }

    /** How many credits are missing; 0 when the booking can be paid. */
    public int shortBy() {
        if (!creditsAccepted) {
            return cost;
        }
        return unlimited ? 0 : Math.max(0, cost - available);
    }

    /** The eligible lots, in spending order. */
    public List<Lot> eligibleLots() {
        return lots.stream().filter(LotEligibility::eligible).map(LotEligibility::lot).toList();
    }
}
