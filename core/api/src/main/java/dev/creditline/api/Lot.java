package dev.creditline.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.threeten.extra.PeriodDuration;

/**
 * A block of credits a member received at once: by a purchase, a grant, a set, a voucher or a subscription's billing
 * period. Credits are spent from lots and refunded to the lot they came from, so each keeps its own expiry,
 * restrictions and cost basis. For every lot, {@code remaining} equals the sum of its journal deltas (the first of
 * which issued {@code quantity}). An unlimited lot (one billing period of an unlimited subscription) holds one credit
 * that stands for the period: bookings do not spend it, and it expires with the period.
 *
 * @param id                     the lot's id
 * @param memberId               the member who owns it
 * @param account                {@link Accounts#MASTER} or the id of the product it came from
 * @param productId              the product it came from, or null for master credits
 * @param productVersion         the product version it was sold as, or null
 * @param purchaseId             the purchase that created it, or null
 * @param quantity               the credits it was issued with
 * @param remaining              the credits left
 * @param unlimited              whether it pays for any number of bookings until it expires
 * @param acquiredAt             when the member got it (consumption order is by this, oldest first)
 * @param validFrom              when it becomes usable
 * @param expiresAt              when it expires, or null for never (or not yet known, see {@code validityStart})
 * @param validity               how long it is valid, or null for unlimited validity
 * @param validityStart          when the validity starts to run
 * @param cost                   what was paid for all of its credits (zero when promotional)
 * @param category               paid or promotional
 * @param redeemableSchedulerIds the schedulers it may pay for, or null for all
 * @param trainerId              the trainer it is bound to, or null
 * @param paused                 whether it is paused (cannot pay, does not expire differently)
 * @param subscriptionId         the subscription whose billing period issued it, or null
 * @param suspended              whether its subscription is not active, so that it cannot pay for now
 * @param usageLimits            the limits of its product on bookings per period (empty for none)
 * @param seq                    a tie-breaker for lots acquired at the same instant, increasing with creation
 * @param held                   how many of {@code remaining} bookings hold until their class is certain (cancel
 *                               window closed, check-in, or class start): still the member's, yet no longer free to
 *                               pay; 0 for an unlimited lot, whose bookings hold nothing
 */
public record Lot(
        String id,
        String memberId,
        String account,
        String productId,
        Integer productVersion,
        String purchaseId,
        int quantity,
        int remaining,
        boolean unlimited,
        Instant acquiredAt,
        Instant validFrom,
        Instant expiresAt,
        PeriodDuration validity,
        ValidityStart validityStart,
        Money cost,
        LotCategory category,
        List<String> redeemableSchedulerIds,
        String trainerId,
        boolean paused,
        String subscriptionId,
        boolean suspended,
        List<UsageLimit> usageLimits,
        long seq,
        int held) {

    public Lot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(acquiredAt, "acquiredAt");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validityStart, "validityStart");
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(category, "category");
        redeemableSchedulerIds = redeemableSchedulerIds == null ? null : List.copyOf(redeemableSchedulerIds);
        usageLimits = usageLimits == null ? List.of() : List.copyOf(usageLimits);
        if (held < 0 || held > remaining) {
            throw new IllegalArgumentException("lot " + id + " holds " + held + " of its " + remaining + " credits");
        }
    }

    /** A lot of which no credits are held. */
    public Lot(String id, String memberId, String account, String productId, Integer productVersion, String purchaseId,
               int quantity, int remaining, boolean unlimited, Instant acquiredAt, Instant validFrom, Instant expiresAt,
               PeriodDuration validity, ValidityStart validityStart, Money cost, LotCategory category,
               List<String> redeemableSchedulerIds, String trainerId, boolean paused, String subscriptionId,
               boolean suspended, List<UsageLimit> usageLimits, long seq) {
        this(id, memberId, account, productId, productVersion, purchaseId, quantity, remaining, unlimited, acquiredAt,
                validFrom, expiresAt, validity, validityStart, cost, category, redeemableSchedulerIds, trainerId, paused,
                subscriptionId, suspended, usageLimits, seq, 0);
    }

    /** A lot of no subscription and without usage limits. */
    public Lot(String id, String memberId, String account, String productId, Integer productVersion, String purchaseId,
               int quantity, int remaining, boolean unlimited, Instant acquiredAt, Instant validFrom, Instant expiresAt,
               PeriodDuration validity, ValidityStart validityStart, Money cost, LotCategory category,
               List<String> redeemableSchedulerIds, String trainerId, boolean paused, long seq) {
        this(id, memberId, account, productId, productVersion, purchaseId, quantity, remaining, unlimited, acquiredAt,
                validFrom, expiresAt, validity, validityStart, cost, category, redeemableSchedulerIds, trainerId, paused,
                null, false, List.of(), seq);
    }

    /**
     * The credits it counts in a balance: those neither spent nor held; none for an unlimited lot (its one credit
     * stands for the period).
     */
    public int countedCredits() {
        return unlimited ? 0 : remaining - held;
    }

    /** The credits a booking, a refund, a void or an expiry may take now: those left and not held. */
    public int free() {
        return remaining - held;
    }

    /** Whether the lot has expired at the given instant (an expiry at exactly {@code now} has passed). */
    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** Whether the lot's validity has started at the given instant. */
    public boolean hasStartedAt(Instant now) {
        return !validFrom.isAfter(now);
    }

    /** Whether the lot may pay for bookings of the given scheduler, by its scheduler list alone. */
    public boolean redeemableFor(String schedulerId) {
        return redeemableSchedulerIds == null || redeemableSchedulerIds.contains(schedulerId);
    }

    /** Whether the expiry is still to be set by the first redemption. */
    public boolean awaitsFirstUse() {
        return validityStart == ValidityStart.FIRST_USE && expiresAt == null && validity != null;
    }

    /** This lot with another remaining count. */
    public Lot withRemaining(int newRemaining) {
        return new Lot(id, memberId, account, productId, productVersion, purchaseId, quantity, newRemaining, unlimited,
                acquiredAt, validFrom, expiresAt, validity, validityStart, cost, category, redeemableSchedulerIds,
                trainerId, paused, subscriptionId, suspended, usageLimits, seq, held);
    }

    /** This lot with other counts of remaining and held credits. */
    public Lot withCredits(int newRemaining, int newHeld) {
        return new Lot(id, memberId, account, productId, productVersion, purchaseId, quantity, newRemaining, unlimited,
                acquiredAt, validFrom, expiresAt, validity, validityStart, cost, category, redeemableSchedulerIds,
                trainerId, paused, subscriptionId, suspended, usageLimits, seq, newHeld);
    }

    /** This lot with another expiry. */
    public Lot withExpiresAt(Instant newExpiresAt) {
        return new Lot(id, memberId, account, productId, productVersion, purchaseId, quantity, remaining, unlimited,
                acquiredAt, validFrom, newExpiresAt, validity, validityStart, cost, category, redeemableSchedulerIds,
                trainerId, paused, subscriptionId, suspended, usageLimits, seq, held);
    }

    /** This lot owned by another member (after a merge). */
    public Lot withMemberId(String newMemberId) {
        return new Lot(id, newMemberId, account, productId, productVersion, purchaseId, quantity, remaining, unlimited,
                acquiredAt, validFrom, expiresAt, validity, validityStart, cost, category, redeemableSchedulerIds,
                trainerId, paused, subscriptionId, suspended, usageLimits, seq, held);
    }
}
