package dev.creditline.api.spi;

import io.vertx.core.Future;
import java.time.Instant;
import org.pf4j.ExtensionPoint;

/**
 * What a late cancel or a no-show costs a member. Without an enabled policy the kernel applies the studio's
 * {@code penalty} setting (or its scheduler's): forfeit, refund or forfeit up to N credits, with a free allowance per
 * period. A policy gets the kernel's answer and may keep it or decide otherwise (a member's first visit, a tag).
 *
 * <p>Called inside the cancellation's (or no-show's) transaction, with the member locked; it only decides and must not
 * change anything. A member's second penalty in one batch waits for the next, so that the policy sees the first.
 */
public interface PenaltyPolicy extends ExtensionPoint {

    /** The credits the studio keeps: between 0 and the booking's cost. */
    Future<Penalty> penalty(Case booking);

    /** What the penalty is for. */
    enum Kind { LATE_CANCEL, NO_SHOW }

    /**
     * A booking a penalty falls on.
     *
     * @param cost    the credits it cost (all redeemed by now)
     * @param now     the studio's time of the late cancel or the no-show
     * @param kernels the kernel's answer from the studio's setting
     */
    record Case(String studioId, String memberId, String bookingId, String schedulerId, Kind kind, int cost,
                Instant startsAt, Instant now, Penalty kernels) {
    }

    /**
     * A policy's answer.
     *
     * @param forfeitCredits the credits the studio keeps; the others go back to the member
     * @param free           whether this counts as one of the studio's free allowance (only with 0 forfeited)
     */
    record Penalty(int forfeitCredits, boolean free) {
    }
}
