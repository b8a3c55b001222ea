package dev.creditline.ledger;

import dev.creditline.api.EntryType;
import dev.creditline.api.Lot;
import dev.creditline.api.Scheduler;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Pays a booking with credits: all of its cost from eligible lots in spending order, or nothing at all. A booking made
 * inside its cancellation window holds the credits (they stay in their lots, out of the balance) until its hold posts
 * or a cancel in time releases them; one made after it redeems them at once. An unlimited lot holds nothing: its one
 * credit stands for the period, so its booking is a use entry at once either way.
 */
public final class Redemption {

    private Redemption() {
    }

    /** What a redemption did. */
    public sealed interface Outcome permits Redeemed, Insufficient {
    }

    /**
     * The booking is paid.
     *
     * @param allocations credits taken per lot, in spending order
     * @param entries     the journal entries to write
     */
    public record Redeemed(List<Allocation> allocations, List<EntryDraft> entries) implements Outcome {
    }

    /**
     * The booking cannot be paid with credits; nothing changed.
     *
     * @param report why, lot by lot
     */
    public record Insufficient(EligibilityReport report) implements Outcome {
    }

    /**
     * Redeems the scheduler's credit cost from the book's eligible lots at once. A lot whose validity starts at first
     * use gets its expiry now.
     */
    public static Outcome redeem(LotBook book, Scheduler scheduler, ConsumptionOrder order, ZoneId zone) {
        return redeem(book, scheduler, Eligibility.explain(book.lots(), scheduler, book.now(), order), zone, false);
    }

    /**
     * Pays the scheduler's credit cost from the eligible lots of a report made on this book (after the studio's
     * policies had their say), in the report's order: held ({@code hold}) or redeemed at once.
     */
    public static Outcome redeem(LotBook book, Scheduler scheduler, EligibilityReport report, ZoneId zone,
                                 boolean hold) {
        if (!report.canBook()) {
            return new Insufficient(report);
        }
        String description = hold ? Descriptions.held(scheduler.name()) : Descriptions.redeemed(scheduler.name());
        int due = report.cost();
        List<Allocation> allocations = new ArrayList<>();
        List<EntryDraft> entries = new ArrayList<>();
        for (Lot lot : report.eligibleLots()) {
            if (due == 0) {
                break;
            }
            if (lot.awaitsFirstUse()) {
                book.update(lot.withExpiresAt(Validity.end(book.now(), lot.validity(), zone)));
            }
            if (lot.unlimited()) {
                entries.add(book.use(lot.id(), EntryType.REDEEMED, Descriptions.redeemed(scheduler.name())));
                allocations.add(new Allocation(lot.id(), lot.account(), 0));
                due = 0;
                break;
            }
            int take = Math.min(due, lot.free());
            entries.add(hold ? book.hold(lot.id(), take, description)
                    : book.change(lot.id(), -take, EntryType.REDEEMED, description));
            allocations.add(new Allocation(lot.id(), lot.account(), take));
            due -= take;
        }
        return new Redeemed(allocations, entries);
    }

    /**
     * Returns a booking's credits to the lots they came from, with the lots' own expiry; a booking an unlimited lot
     * paid is returned with a use entry while its period has not ended.
     */
    public static List<EntryDraft> refund(LotBook book, List<Allocation> allocations, String schedulerName) {
        return refundAs(book, allocations, Descriptions.refunded(schedulerName));
    }

    /** {@link #refund} with the credit log's words for it (a penalty's refund or waiver). */
    public static List<EntryDraft> refundAs(LotBook book, List<Allocation> allocations, String description) {
        List<EntryDraft> entries = new ArrayList<>();
        for (Allocation allocation : allocations) {
            if (allocation.credits() > 0) {
                entries.add(book.change(allocation.lotId(), allocation.credits(), EntryType.REFUNDED, description));
            } else if (book.has(allocation.lotId()) && book.lot(allocation.lotId()).unlimited()
                    && !book.lot(allocation.lotId()).isExpiredAt(book.now())) {
                entries.add(book.use(allocation.lotId(), EntryType.REFUNDED, description));
            }
        }
        return entries;
    }

    /** Posts a booking's held credits: they leave their lots as redeemed, the balance the member sees stays. */
    public static List<EntryDraft> post(LotBook book, List<Allocation> allocations, String schedulerName) {
        return perLot(allocations, Descriptions.redeemed(schedulerName), book::post);
    }

    /** Frees a booking's held credits in the lots that hold them, with those lots' own expiry. */
    public static List<EntryDraft> release(LotBook book, List<Allocation> allocations, String schedulerName) {
        return perLot(allocations, Descriptions.released(schedulerName), book::release);
    }

    /** One change of a hold per lot that gave the booking credits: {@code LotBook::post} or {@code ::release}. */
    private interface HoldChange {
        EntryDraft apply(String lotId, int credits, String description);
    }

    private static List<EntryDraft> perLot(List<Allocation> allocations, String description, HoldChange change) {
        List<EntryDraft> entries = new ArrayList<>();
        for (Allocation allocation : allocations) {
            if (allocation.credits() > 0) {
                entries.add(change.apply(allocation.lotId(), allocation.credits(), description));
            }
        }
        return entries;
    }
}
