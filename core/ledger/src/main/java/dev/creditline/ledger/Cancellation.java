package dev.creditline.ledger;

import dev.creditline.api.EntryType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What cancelling a booking does to the credits it took. In its cancellation window they go back to the lots they came
 * from, with those lots' own expiry: released when the booking still holds them (no redemption, no refund), refunded
 * when it had redeemed them; after it the cancellation is late and gives nothing back; an erased member's credits were
 * forfeited with their data, so nothing goes back either.
 */
public final class Cancellation {

    private Cancellation() {
    }

    /** Whether a cancellation at {@code now} is late: after the booking's cancel-by time. */
    public static boolean isLate(Instant now, Instant cancelBy) {
        return now.isAfter(cancelBy);
    }

    /** Whether a cancellation at {@code now} gives credits back (and so must read the booking's lots). */
    public static boolean returnsCredits(Instant now, Instant cancelBy, int cost, boolean memberErased) {
        return !isLate(now, cancelBy) && cost > 0 && !memberErased;
    }

    /**
     * The credits a cancellation in time gives back.
     *
     * @param refunded     credits the member has again: those returned, less those that left again at once
     * @param entries      the returns, and for a lot whose purchase was voided since the booking, its credits going
     *                     out again (the member's)
     * @param expiredAgain for a lot that expired since the booking, its returned credits expiring again at once (the
     *                     system's: "same expiry")
     */
    public record Returned(int refunded, List<EntryDraft> entries, List<EntryDraft> expiredAgain) {
    }

    /**
     * Returns a booking's credits on the book of its member's live lots.
     *
     * @param held       whether the booking still holds its credits (they are released) or redeemed them (refunded)
     * @param voidedLots the booking's lots whose purchase was voided after the booking
     * @param actorName  who cancels, for the description of credits voided again
     */
    public static Returned returnCredits(LotBook book, List<Allocation> allocations, String schedulerName,
                                         boolean held, Set<String> voidedLots, String actorName) {
        return returned(book, allocations, held ? Redemption.release(book, allocations, schedulerName)
                : Redemption.refund(book, allocations, schedulerName), voidedLots, actorName);
    }

    /**
     * Gives back redeemed credits a penalty settled on (its refund part, or a waiver of what it kept), worded as
     * {@code description}, with the same care for lots voided or expired since.
     */
    public static Returned giveBack(LotBook book, List<Allocation> allocations, String description,
                                    Set<String> voidedLots, String actorName) {
        return returned(book, allocations, Redemption.refundAs(book, allocations, description), voidedLots,
                actorName);
    }

    private static Returned returned(LotBook book, List<Allocation> allocations, List<EntryDraft> returns,
                                     Set<String> voidedLots, String actorName) {
        List<EntryDraft> entries = new ArrayList<>(returns);
        int refunded = allocations.stream().mapToInt(Allocation::credits).sum();
        for (Allocation allocation : allocations) {
            if (voidedLots.contains(allocation.lotId()) && allocation.credits() > 0) {
                entries.add(book.change(allocation.lotId(), -allocation.credits(), EntryType.VOIDED,
                        Descriptions.voided("a voided purchase", actorName)));
                refunded -= allocation.credits();
            }
        }
        // Only the credits returned expire again here: those the lot held unused before are the sweep's, dated at the
        // lot's expiry.
        List<EntryDraft> expired = new ArrayList<>();
        for (Allocation allocation : allocations) {
            if (!voidedLots.contains(allocation.lotId()) && allocation.credits() > 0
                    && book.lot(allocation.lotId()).isExpiredAt(book.now())) {
                expired.add(book.change(allocation.lotId(), -allocation.credits(), EntryType.EXPIRED,
                        Descriptions.expired()));
                refunded -= allocation.credits();
            }
        }
        return new Returned(refunded, List.copyOf(entries), List.copyOf(expired));
    }
}
