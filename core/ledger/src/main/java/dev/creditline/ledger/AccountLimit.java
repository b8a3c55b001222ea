package dev.creditline.ledger;

/**
 * The most credits one account holds: past it, a sale, a grant or a transfer is refused, so a typo ("1000000" for
 * "10") never becomes a liability.
 */
public final class AccountLimit {
    /** The most credits an account holds. */
    public static final int MAX_BALANCE = 1_000_000;

    private AccountLimit() {
    }

    /** Whether the account can take the increase without going past {@link #MAX_BALANCE}. */
    public static boolean hasRoom(LotBook book, String account, int increase) {
        return increase <= 0 || after(book, account, increase) <= MAX_BALANCE;
    }

    /** What the account would hold after the increase. */
    public static long after(LotBook book, String account, int increase) {
        return (long) book.balance(account) + increase;
    }
}
