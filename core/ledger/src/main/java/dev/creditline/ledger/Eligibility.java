package dev.creditline.ledger;

import dev.creditline.api.IneligibilityReason;
import dev.creditline.api.Lot;
import dev.creditline.api.Scheduler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Decides which lots can pay for a booking of a scheduler, and explains the others. */
public final class Eligibility {

    private Eligibility() {
    }

    /**
     * Explains every lot with credits left against the scheduler.
     *
     * @param lots      the member's lots (lots without credits are left out of the answer)
     * @param scheduler what is being booked
     * @param now       the studio's time
     * @param order     the spending order the answer lists the eligible lots in (the others follow)
     */
    public static EligibilityReport explain(Collection<Lot> lots, Scheduler scheduler, Instant now,
                                            ConsumptionOrder order) {
        List<Lot> withCredits = lots.stream().filter(lot -> lot.unlimited() || lot.remaining() > 0).toList();
        List<LotEligibility> eligible = new ArrayList<>();
        List<LotEligibility> others = new ArrayList<>();
        for (Lot lot : order.sort(withCredits)) {
            LotEligibility e = new LotEligibility(lot, reasons(lot, scheduler, now));
            (e.eligible() ? eligible : others).add(e);
        }
        eligible.addAll(others);
        return new EligibilityReport(scheduler.creditCost(), scheduler.paymentMode().acceptsCredits(), eligible);
    }

    /**
     * Every reason the lot cannot pay for the scheduler at {@code now}; empty when it can. Trainer binding is a
     * policy of the trainer-bound plugin, not the ledger's.
     */
    public static List<IneligibilityReason> reasons(Lot lot, Scheduler scheduler, Instant now) {
        List<IneligibilityReason> reasons = new ArrayList<>(2);
        if (!lot.hasStartedAt(now)) {
            reasons.add(IneligibilityReason.NOT_STARTED);
        }
        if (lot.isExpiredAt(now)) {
            reasons.add(IneligibilityReason.EXPIRED);
        }
        if (lot.paused()) {
            reasons.add(IneligibilityReason.PAUSED);
        }
        if (lot.suspended()) {
            reasons.add(IneligibilityReason.SUBSCRIPTION_INACTIVE);
        }
        if (!lot.redeemableFor(scheduler.id())) {
            reasons.add(IneligibilityReason.SCHEDULER_NOT_REDEEMABLE);
        }
        return reasons;
    }
}
