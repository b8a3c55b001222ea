package dev.creditline.ledger;

import dev.creditline.api.EntryType;
import dev.creditline.api.Lot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Takes credits out of lots without a booking: a lower set, a void, a forfeit, an expiry. Only free credits: those a
 * booking holds post or are released first (a released credit of a lot past its expiry expires then).
 */
public final class Removal {

    private Removal() {
    }

    /**
     * Takes {@code amount} credits from the given lots in the given order.
     *
     * @throws IllegalArgumentException when the lots hold fewer credits: callers check the balance first
     */
    public static List<EntryDraft> take(LotBook book, List<Lot> fromLots, int amount, EntryType type,
                                        String description) {
        List<EntryDraft> entries = new ArrayList<>();
        int due = amount;
        for (Lot candidate : fromLots) {
            if (due == 0) {
                break;
            }
            int take = Math.min(due, book.lot(candidate.id()).free());
            if (take > 0) {
                entries.add(book.change(candidate.id(), -take, type, description));
                due -= take;
            }
        }
        if (due > 0) {
            throw new IllegalArgumentException("the lots hold " + (amount - due) + " of " + amount + " credits");
        }
        return entries;
    }

    /** Takes every free credit left in the given lots. */
    public static List<EntryDraft> drain(LotBook book, List<Lot> lots, EntryType type, String description) {
        List<EntryDraft> entries = new ArrayList<>();
        for (Lot lot : lots) {
            int free = book.lot(lot.id()).free();
            if (free > 0) {
                entries.add(book.change(lot.id(), -free, type, description));
            }
        }
        return entries;
    }

    /**
     * Expires the credits of every lot in the book whose expiry has passed, in order of expiry; an unlimited lot's
     * period ends instead ({@code period_ended}: nothing unused expired). Each entry's balance is the one at that
     * lot's expiry, however late the sweep runs. Running it twice changes nothing.
     */
    public static List<EntryDraft> expireDue(LotBook book) {
        Instant now = book.now();
        List<Lot> due = book.lots().stream()
                .filter(lot -> lot.free() > 0 && lot.isExpiredAt(now))
                .sorted(Comparator.comparing(Lot::expiresAt).thenComparingLong(Lot::seq))
                .toList();
        List<EntryDraft> entries = new ArrayList<>();
        for (Lot lot : due) {
            book.asOf(lot.expiresAt());
            entries.add(lot.unlimited()
                    ? book.change(lot.id(), -lot.free(), EntryType.PERIOD_ENDED, Descriptions.periodEnded())
                    : book.change(lot.id(), -lot.free(), EntryType.EXPIRED, Descriptions.expired()));
        }
        book.asOf(now);
        return entries;
    }
}
