package dev.creditline.ledger;

import dev.creditline.api.IneligibilityReason;
import dev.creditline.api.Lot;
import dev.creditline.api.Scheduler;
import dev.creditline.api.UsageLimit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Decides which lots can pay for a booking of a scheduler, and explains the others. */
public final class Eligibility {

    private Eligibility() {
    }

    /**
     * Explains every lot with free credits left (neither spent nor held) against the scheduler.
     *
     * @param lots      the member's lots (lots without credits are left out of the answer)
     * @param scheduler what is being booked
     * @param now       the studio's time
     * @param order     the spending order the answer lists the eligible lots in (the others follow)
     */
    public static EligibilityReport explain(Collection<Lot> lots, Scheduler scheduler, Instant now,
                                            ConsumptionOrder order) {
        return explain(lots, scheduler, now, order, UsageCounts.NONE);
    }

    /**
     * Explains every lot with credits left against the scheduler, with the bookings that already count against the
     * lots' usage limits.
     */
    public static EligibilityReport explain(Collection<Lot> lots, Scheduler scheduler, Instant now,
                                            ConsumptionOrder order, UsageCounts usage) {
        List<Lot> withCredits = lots.stream().filter(lot -> lot.unlimited() || lot.free() > 0).toList();
        List<LotEligibility> eligible = new ArrayList<>();
        List<LotEligibility> others = new ArrayList<>();
        for (Lot lot : order.sort(withCredits)) {
            List<IneligibilityReason> reasons = reasons(lot, scheduler, now);
            if (limitReached(lot, scheduler, usage)) {
                reasons.add(IneligibilityReason.USAGE_LIMIT_REACHED);
            }
            LotEligibility e = new LotEligibility(lot, reasons);
            (e.eligible() ? eligible : others).add(e);
        }
        eligible.addAll(others);
        return new EligibilityReport(scheduler.id(), scheduler.name(), scheduler.creditCost(),
                scheduler.paymentMode().acceptsCredits(), eligible);
    }

    /** Whether a usage limit of the lot that counts this scheduler is used up. */
    static boolean limitReached(Lot lot, Scheduler scheduler, UsageCounts usage) {
        for (UsageLimit limit : lot.usageLimits()) {
            if (limit.counts(scheduler.id()) && usage.used(lot, limit) >= limit.max()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every reason the lot cannot pay for the scheduler at {@code now}; empty when it can. A lot bound to a trainer
     * pays only for that trainer's classes (a scheduler without a trainer takes no bound lots), whatever plugins the
     * studio enabled.
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
        if (lot.trainerId() != null && !lot.trainerId().equals(scheduler.trainerId())) {
            reasons.add(IneligibilityReason.WRONG_TRAINER);
        }
        return reasons;
    }
}
