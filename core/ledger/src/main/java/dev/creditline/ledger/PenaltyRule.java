package dev.creditline.ledger;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.threeten.extra.PeriodDuration;

/**
 * What a late cancel or a no-show costs, as a studio (or one of its schedulers) sets it: each forfeits the booking's
 * credits (the default, as most studios run it), refunds them, or forfeits up to N of them. A free allowance lets the
 * first penalties of each calendar period (day, week, month or year in the studio's zone, as usage limits count) go
 * free.
 *
 * @param lateCancel    what a cancellation after the window costs
 * @param noShow        what a no-show costs
 * @param freePerPeriod penalties per period that cost nothing, or null for none
 */
public record PenaltyRule(Charge lateCancel, Charge noShow, Allowance freePerPeriod) {

    /** Late cancels and no-shows forfeit the booking's credits; nothing goes free. */
    public static final PenaltyRule DEFAULT = new PenaltyRule(Charge.FORFEIT, Charge.FORFEIT, null);

    /** What the penalty is for. */
    public enum Kind { LATE_CANCEL, NO_SHOW }

    /**
     * What a penalty takes of a booking's credits.
     *
     * @param forfeitCredits at most this many, or null for all of them
     */
    public record Charge(Integer forfeitCredits) {
        /** Every credit of the booking. */
        public static final Charge FORFEIT = new Charge(null);
        /** None: the credits go back, as in the window. */
        public static final Charge REFUND = new Charge(0);

        public Charge {
            if (forfeitCredits != null && forfeitCredits < 0) {
                throw new IllegalArgumentException("forfeitCredits must be 0 or more");
            }
        }

        /** The credits it takes of a booking that cost {@code cost}. */
        public int credits(int cost) {
            return forfeitCredits == null ? cost : Math.min(cost, forfeitCredits);
        }
    }

    /**
     * Penalties that go free in each period.
     *
     * @param count how many
     * @param per   the calendar period: P1D, P1W, P1M or P1Y
     */
    public record Allowance(int count, PeriodDuration per) {
        public Allowance {
            if (count < 0) {
                throw new IllegalArgumentException("count must be 0 or more");
            }
            if (!UsageWindow.PERIODS.contains(per)) {
                throw new IllegalArgumentException("per must be P1D, P1W, P1M or P1Y");
            }
        }
    }

    /** How a penalty was decided, as the booking records it. */
    public enum Outcome {
        /** Every credit kept. */
        FORFEIT,
        /** Some credits kept, the rest returned. */
        PARTIAL,
        /** The rule returns them all. */
        REFUND,
        /** Returned by the free allowance: counts against it. */
        FREE,
        /** Nothing to take: the booking cost no credits. */
        NONE
    }

    /** A decided penalty: the credits the studio keeps. */
    public record Decision(Outcome outcome, int forfeited) {
    }

    /** The charge for a kind of penalty. */
    public Charge charge(Kind kind) {
        return kind == Kind.LATE_CANCEL ? lateCancel : noShow;
    }

    /**
     * The penalty for a booking that cost {@code cost} credits.
     *
     * @param freeUsed when the member's earlier penalties went free (any period: only those in {@code now}'s count)
     */
    public Decision decide(Kind kind, int cost, List<Instant> freeUsed, Instant now, ZoneId zone) {
        if (cost == 0) {
            return new Decision(Outcome.NONE, 0);
        }
        int credits = charge(kind).credits(cost);
        if (credits == 0) {
            return new Decision(Outcome.REFUND, 0);
        }
        if (freePerPeriod != null && freePerPeriod.count() > 0) {
            UsageWindow window = UsageWindow.of(freePerPeriod.per(), now, zone);
            long used = freeUsed.stream().filter(at -> !at.isBefore(window.from()) && at.isBefore(window.to()))
                    .count();
            if (used < freePerPeriod.count()) {
                return new Decision(Outcome.FREE, 0);
            }
        }
        return new Decision(credits == cost ? Outcome.FORFEIT : Outcome.PARTIAL, credits);
    }

    /**
     * A booking's allocations split by a penalty: its first {@code forfeited} credits are the studio's, the rest go
     * back (an unlimited lot's allocation, which holds no credit, goes back only when nothing is forfeited).
     */
    public static Split split(List<Allocation> allocations, int forfeited) {
        List<Allocation> kept = new ArrayList<>();
        List<Allocation> returned = new ArrayList<>();
        int due = forfeited;
        for (Allocation a : allocations) {
            if (a.credits() == 0) {
                (forfeited == 0 ? returned : kept).add(a);
                continue;
            }
            int take = Math.min(due, a.credits());
            due -= take;
            if (take > 0) {
                kept.add(new Allocation(a.lotId(), a.account(), take));
            }
            if (a.credits() > take) {
                returned.add(new Allocation(a.lotId(), a.account(), a.credits() - take));
            }
        }
        return new Split(List.copyOf(kept), List.copyOf(returned));
    }

    /** A booking's credits as a penalty divides them. */
    public record Split(List<Allocation> forfeited, List<Allocation> returned) {
    }
}
