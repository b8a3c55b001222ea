package dev.creditline.ledger;

import dev.creditline.api.EntryType;
import dev.creditline.api.Lot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A member's lots as one consistent working set, read under the member's lock. Every change goes through
 * {@link #issue}, {@link #change} or a hold's {@link #hold}, {@link #release} and {@link #post}, which keep
 * {@code remaining}, {@code held} and the journal in step: each returns the entry
 * that records it, with the account's balance after it.
 */
public final class LotBook {
    private final Map<String, Lot> lots = new LinkedHashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();
    private final Set<String> created = new LinkedHashSet<>();
    private Instant now;

    /**
     * @param lots the member's lots with credits left, and any other lot an operation will touch
     * @param now  the studio's current time; lots expired at this instant do not count in balances
     */
    public LotBook(Collection<Lot> lots, Instant now) {
        for (Lot lot : lots) {
            this.lots.put(lot.id(), lot);
        }
        this.now = timeOf(now, lots);
    }

    /**
     * The time a request acts at: its own clock reading, or later when the ledger already holds a lot acquired after
     * that reading (a concurrent request that committed while this one waited for the member's lock). Time never
     * runs behind the ledger's own records, so such a lot is never "not started" or missing from a balance.
     */
    public static Instant timeOf(Instant requested, Collection<Lot> lots) {
        Instant time = requested;
        for (Lot lot : lots) {
            if (lot.acquiredAt().isAfter(time)) {
                time = lot.acquiredAt();
            }
        }
        return time;
    }

    /** The studio time the book was read at. */
    public Instant now() {
        return now;
    }

    /**
     * Sets the instant that balances are counted at. The expiry sweep dates each entry at the lot's own expiry and
     * counts the balance as it was then, however late the sweep runs.
     */
    public void asOf(Instant instant) {
        now = instant;
    }

    /** The lot with this id; it must be in the book. */
    public Lot lot(String id) {
        Lot lot = lots.get(id);
        if (lot == null) {
            throw new IllegalArgumentException("lot " + id + " is not in the book");
        }
        return lot;
    }

    /** Whether the lot is in the book. */
    public boolean has(String id) {
        return lots.containsKey(id);
    }

    /** All lots in the book, in the order they were read or issued. */
    public List<Lot> lots() {
        return List.copyOf(lots.values());
    }

    /**
     * Credits of the account's lots at the book's time, not expired then, and neither spent nor held by a booking:
     * what the member sees as the account's balance.
     */
    public int balance(String account) {
        int sum = 0;
        for (Lot lot : lots.values()) {
            if (lot.account().equals(account) && !lot.isExpiredAt(now) && !lot.acquiredAt().isAfter(now)) {
                sum += lot.countedCredits();
            }
        }
        return sum;
    }

    /** Adds a new lot whose remaining equals its quantity, and returns the entry that issues those credits. */
    public EntryDraft issue(Lot lot, EntryType type, String description) {
        if (lots.containsKey(lot.id())) {
            throw new IllegalArgumentException("lot " + lot.id() + " exists already");
        }
        if (lot.quantity() <= 0 || lot.remaining() != lot.quantity()) {
            throw new IllegalArgumentException("a new lot starts with remaining = quantity > 0");
        }
        lots.put(lot.id(), lot);
        created.add(lot.id());
        return new EntryDraft(type, lot.id(), lot.account(), lot.quantity(), balance(lot.account()), description);
    }

    /**
     * Changes a lot's remaining credits by {@code delta} and returns the entry that records it. Held credits are not
     * the change's to take: a lot keeps at least its held credits.
     *
     * @throws IllegalStateException when the change would leave the lot below zero or below its held credits:
     *                               callers check first, so this is a bug, never an answer to a request
     */
    public EntryDraft change(String lotId, int delta, EntryType type, String description) {
        if (delta == 0) {
            throw new IllegalArgumentException("a journal entry changes something");
        }
        return move(lotId, delta, 0, type, description);
    }

    /** Holds {@code credits} of the lot's free credits for a booking: its remaining stays, its balance drops. */
    public EntryDraft hold(String lotId, int credits, String description) {
        requirePositive(credits);
        return move(lotId, 0, credits, EntryType.HELD, description);
    }

    /** Frees {@code credits} the lot held: a booking cancelled in its window. */
    public EntryDraft release(String lotId, int credits, String description) {
        requirePositive(credits);
        return move(lotId, 0, -credits, EntryType.RELEASED, description);
    }

    /** Posts {@code credits} the lot held: they leave it, redeemed, and the balance the member sees stays. */
    public EntryDraft post(String lotId, int credits, String description) {
        requirePositive(credits);
        return move(lotId, -credits, -credits, EntryType.REDEEMED, description);
    }

    private static void requirePositive(int credits) {
        if (credits <= 0) {
            throw new IllegalArgumentException("a hold, release or post is of at least one credit, not " + credits);
        }
    }

    /**
     * Changes a lot's remaining and held credits together ({@code delta} and {@code heldDelta}) and returns the entry
     * that records it: what {@link #change}, {@link #hold}, {@link #release} and {@link #post} do, and a merge, which
     * moves a whole lot, held credits with it, out of one book and into another.
     *
     * @throws IllegalStateException when the lot would hold fewer than zero credits or more held than remaining
     */
    public EntryDraft move(String lotId, int delta, int heldDelta, EntryType type, String description) {
        Lot lot = lot(lotId);
        long after = (long) lot.remaining() + delta;
        long heldAfter = (long) lot.held() + heldDelta;
        if (after < 0 || after > Integer.MAX_VALUE || heldAfter < 0 || heldAfter > after) {
            throw new IllegalStateException("lot " + lotId + " would hold " + after + " credits, " + heldAfter
                    + " of them held");
        }
        put(lot.withCredits((int) after, (int) heldAfter));
        return new EntryDraft(type, lotId, lot.account(), delta, balance(lot.account()), description, heldDelta);
    }

    /**
     * Records a use of an unlimited lot (a booking, or its return): an entry of delta 0, since the period's one credit
     * stands for any number of bookings, so that the credit log shows every booking the period paid for.
     */
    public EntryDraft use(String lotId, EntryType type, String description) {
        Lot lot = lot(lotId);
        if (!lot.unlimited()) {
            throw new IllegalArgumentException("lot " + lotId + " is not unlimited; its uses change its credits");
        }
        return new EntryDraft(type, lotId, lot.account(), 0, balance(lot.account()), description);
    }

    /** Takes in a lot that exists elsewhere (another member's, in a merge); it is written back as changed. */
    public void admit(Lot lot) {
        if (lots.containsKey(lot.id())) {
            throw new IllegalArgumentException("lot " + lot.id() + " is in the book already");
        }
        lots.put(lot.id(), lot);
        changed.add(lot.id());
    }

    /** Replaces a lot's state without a journal entry (expiry set at first use, new owner after a merge). */
    public void update(Lot lot) {
        lot(lot.id());
        Lot before = lots.get(lot.id());
        if (lot.remaining() != before.remaining() || lot.held() != before.held()) {
            throw new IllegalArgumentException("remaining and held credits change only through entries");
        }
        put(lot);
    }

    private void put(Lot lot) {
        lots.put(lot.id(), lot);
        if (!created.contains(lot.id())) {
            changed.add(lot.id());
        }
    }

    /** Lots issued by this book: to insert. */
    public List<Lot> created() {
        return select(created);
    }

    /** Lots read and then changed: to update. */
    public List<Lot> changed() {
        return select(changed);
    }

    private List<Lot> select(Set<String> ids) {
        List<Lot> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            out.add(lots.get(id));
        }
        return out;
    }
}
