package dev.creditline.ledger;

import dev.creditline.api.EntryType;
import dev.creditline.api.Lot;
import java.util.List;
import java.util.function.IntFunction;

/** Manual changes of an account by a coach or owner: add credits, or set a new total. */
public final class Adjustment {

    private Adjustment() {
    }

    /** What a set did. */
    public sealed interface SetOutcome permits Applied, BalanceChanged {
    }

    /**
     * The account holds the new total.
     *
     * @param entries the journal entries to write (none when it already held it)
     */
    public record Applied(List<EntryDraft> entries) implements SetOutcome {
    }

    /**
     * The balance is not the one the coach saw; nothing changed.
     *
     * @param actual the account's balance now
     */
    public record BalanceChanged(int actual) implements SetOutcome {
    }

    /** Adds a new lot of credits to an account. */
    public static EntryDraft add(LotBook book, Lot newLot, String actor) {
        return book.issue(newLot, EntryType.GRANTED, Descriptions.added(actor));
    }

    /**
     * Sets the account's balance to {@code target}, if it still is {@code expected}. A higher total issues a new lot
     * for the difference; a lower one takes the difference from the account's unexpired lots in spending order.
     *
     * @param newLot makes the lot for an increase, given its quantity
     */
    public static SetOutcome set(LotBook book, String account, int target, int expected, IntFunction<Lot> newLot,
                                 ConsumptionOrder order, String actor) {
        int current = book.balance(account);
        if (target == current) {
            return new Applied(List.of());
        }
        if (expected != current) {
            return new BalanceChanged(current);
        }
        String description = Descriptions.set(actor);
        if (target > current) {
            return new Applied(List.of(book.issue(newLot.apply(target - current), EntryType.SET, description)));
        }
        List<Lot> lots = order.sort(book.lots().stream()
                .filter(lot -> lot.account().equals(account) && !lot.isExpiredAt(book.now()) && !lot.unlimited())
                .toList());
        return new Applied(Removal.take(book, lots, current - target, EntryType.SET, description));
    }
}
