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
 * {@link #issue} or {@link #change}, which keep {@code remaining} and the journal in step: each returns the entry
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
     * Credits of the account's lots held at the book's time and not expired then: what the member sees as the
     * account's balance.
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
     * Changes a lot's remaining credits by {@code delta} and returns the entry that records it.
     *
     * @throws IllegalStateException when the change would leave the lot below zero: callers check first, so this
     *                               is a bug, never an answer to a request
     */
    public EntryDraft change(String lotId, int delta, EntryType type, String description) {
        Lot lot = lot(lotId);
        if (delta == 0) {
            throw new IllegalArgumentException("a journal entry changes something");
        }
        long after = (long) lot.remaining() + delta;
        if (after < 0 || after > Integer.MAX_VALUE) {
            throw new IllegalStateException("lot " + lotId + " would hold " + after + " credits");
        }
        put(lot.withRemaining((int) after));
        return new EntryDraft(type, lotId, lot.account(), delta, balance(lot.account()), description);
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
        if (lot.remaining() != lots.get(lot.id()).remaining()) {
            throw new IllegalArgumentException("remaining changes only through change()");
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
