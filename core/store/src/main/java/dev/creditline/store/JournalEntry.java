package dev.creditline.store;

import dev.creditline.api.EntryType;
import dev.creditline.ledger.EntryDraft;
import java.time.Instant;

/**
 * A row of the append-only journal.
 *
 * @param seq            its position in the journal (0 before it is written)
 * @param memberId       the member whose lot changed
 * @param account        the lot's account
 * @param lotId          the lot
 * @param type           what happened
 * @param delta          the signed change of the lot's remaining credits
 * @param balanceAfter   the account's balance after it
 * @param description    the credit log's text
 * @param reason         the reason a person gave, or null
 * @param actor          who did it
 * @param bookingId      the booking it belongs to, or null
 * @param purchaseId     the purchase it belongs to, or null
 * @param idempotencyKey the request's idempotency key, or null
 * @param at             the studio's time of the change
 * @param held           the signed change of the lot's held credits (a booking's hold, its release or its post)
 */
public record JournalEntry(long seq, String memberId, String account, String lotId, EntryType type, int delta,
                           int balanceAfter, String description, String reason, String actor, String bookingId,
                           String purchaseId, String idempotencyKey, Instant at, int held) {

    /** A hold as the credit log reads it once it posted: the booking's credits, redeemed. */
    public JournalEntry posted(String redeemedDescription) {
        return new JournalEntry(seq, memberId, account, lotId, EntryType.REDEEMED, delta, balanceAfter,
                redeemedDescription, reason, actor, bookingId, purchaseId, idempotencyKey, at, held);
    }

    /** The change of the balance the member sees: a hold lowers it, its post does not. */
    public int balanceChange() {
        return delta - held;
    }

    /**
     * Who, when and why, shared by the entries of one operation.
     *
     * @param memberId       the member whose lots change
     * @param actor          who makes the change
     * @param reason         the reason given, or null
     * @param bookingId      the booking, or null
     * @param purchaseId     the purchase, or null
     * @param idempotencyKey the request's key, or null
     * @param at             the studio's time
     */
    public record Context(String memberId, Actor actor, String reason, String bookingId, String purchaseId,
                          String idempotencyKey, Instant at) {

        public Context withBooking(String newBookingId) {
            return new Context(memberId, actor, reason, newBookingId, purchaseId, idempotencyKey, at);
        }

        public Context withPurchase(String newPurchaseId) {
            return new Context(memberId, actor, reason, bookingId, newPurchaseId, idempotencyKey, at);
        }

        public Context withMember(String newMemberId) {
            return new Context(newMemberId, actor, reason, bookingId, purchaseId, idempotencyKey, at);
        }

        public Context by(Actor newActor) {
            return new Context(memberId, newActor, reason, bookingId, purchaseId, idempotencyKey, at);
        }

        public Context at(Instant newAt) {
            return new Context(memberId, actor, reason, bookingId, purchaseId, idempotencyKey, newAt);
        }
    }

    /** The entry the ledger decided on, in this context. */
    public static JournalEntry of(EntryDraft draft, Context context) {
        return new JournalEntry(0, context.memberId(), draft.account(), draft.lotId(), draft.type(), draft.delta(),
                draft.balanceAfter(), draft.description(), context.reason(), context.actor().name(),
                context.bookingId(), context.purchaseId(), context.idempotencyKey(), context.at(), draft.held());
    }
}
