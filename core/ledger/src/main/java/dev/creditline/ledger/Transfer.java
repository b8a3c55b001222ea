package dev.creditline.ledger;

import dev.creditline.api.EntryType;
import dev.creditline.api.Lot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Credits that move and keep what they are: a duplicate member's lots merged into the member they duplicate, or a
 * lot reissued with another trainer or expiry. Each move is a pair of {@code transferred} entries, out of one lot and
 * into another, so the balance changes only where the credits went; acquisition time, restrictions and cost basis go
 * with them.
 */
public final class Transfer {

    private Transfer() {
    }

    /** The outcome of a merge. */
    public sealed interface Merge permits Merged, NoRoom {
    }

    /**
     * The merge's entries in journal order, each with the side it belongs to, and the credits moved.
     *
     * @param legs every lot's entry out of the duplicate, then into the member, lot by lot
     */
    public record Merged(List<Leg> legs, int credits) implements Merge {
    }

    /** One entry of a move: into the member ({@code incoming}) or out of the duplicate. */
    public record Leg(EntryDraft entry, boolean incoming) {
    }

    /** The member's account would hold more than {@link AccountLimit#MAX_BALANCE}. */
    public record NoRoom(String account, long wouldHold) implements Merge {
    }

    /**
     * Moves every live lot of the duplicate's book into the member's: the same lot, now the member's, with the same
     * expiry and restrictions.
     *
     * @param from         the duplicate's book
     * @param into         the member's book; the moved lots join it
     * @param fromMemberId the duplicate, named in the member's credit log
     * @param intoMemberId the member, named in the duplicate's
     */
    public static Merge merge(LotBook from, LotBook into, String fromMemberId, String intoMemberId) {
        List<Leg> legs = new ArrayList<>();
        int moved = 0;
        for (Lot lot : from.lots()) {
            if (!AccountLimit.hasRoom(into, lot.account(), lot.remaining())) {
                return new NoRoom(lot.account(), AccountLimit.after(into, lot.account(), lot.remaining()));
            }
            // Held credits move with their lot: the bookings holding them move to the member too.
            legs.add(new Leg(from.move(lot.id(), -lot.remaining(), -lot.held(), EntryType.TRANSFERRED,
                    Descriptions.transferredOut(intoMemberId)), false));
            into.admit(lot.withMemberId(intoMemberId).withCredits(0, 0));
            legs.add(new Leg(into.move(lot.id(), lot.remaining(), lot.held(), EntryType.TRANSFERRED,
                    Descriptions.transferredIn(fromMemberId)), true));
            moved += lot.free();  // the balance that moves; held credits follow their bookings
        }
        return new Merged(List.copyOf(legs), moved);
    }

    /** The outcome of a reissue. */
    public sealed interface Reissue permits Reissued, LotEmpty {
    }

    /** The new lot (in the book) and the two entries that move the credits to it. */
    public record Reissued(Lot lot, List<EntryDraft> entries) implements Reissue {
    }

    /** The lot holds no credits to move. */
    public record LotEmpty() implements Reissue {
    }

    /**
     * Moves a lot's remaining credits to a new lot that differs only by trainer and/or expiry, with the cost basis of
     * those credits.
     *
     * @param newLotId  the new lot's id
     * @param trainerId the new trainer, or null to keep the lot's
     * @param expiresAt the new expiry, or null to keep the lot's
     */
    public static Reissue reissue(LotBook book, String lotId, String newLotId, String trainerId, Instant expiresAt,
                                  String description) {
        Lot old = book.lot(lotId);
        // Credits bookings hold stay where the bookings took them: they post or come back to this lot.
        int moving = old.free();
        if (moving == 0) {
            return new LotEmpty();
        }
        Lot reissued = new Lot(newLotId, old.memberId(), old.account(), old.productId(), old.productVersion(),
                old.purchaseId(), moving, moving, old.unlimited(), old.acquiredAt(), old.validFrom(),
                expiresAt != null ? expiresAt : old.expiresAt(), old.validity(), old.validityStart(),
                CostBasis.prorated(old.cost(), moving, old.quantity()), old.category(),
                old.redeemableSchedulerIds(), trainerId != null ? trainerId : old.trainerId(), old.paused(),
                Long.MAX_VALUE);
        List<EntryDraft> entries = List.of(
                book.change(lotId, -moving, EntryType.TRANSFERRED, description),
                book.issue(reissued, EntryType.TRANSFERRED, description));
        return new Reissued(reissued, entries);
    }
}
