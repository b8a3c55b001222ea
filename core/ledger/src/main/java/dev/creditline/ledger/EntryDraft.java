package dev.creditline.ledger;

import dev.creditline.api.EntryType;

/**
 * A journal entry the ledger decided to write, before the store adds who, when and why.
 *
 * @param type         what happened
 * @param lotId        the lot whose remaining changes
 * @param account      the lot's account
 * @param delta        the signed change of the lot's remaining credits
 * @param balanceAfter the account's balance (credits of unexpired lots) after this entry
 * @param description  the human text of the credit log, e.g. "Redeemed for Rising Stars Class"
 * @param held         the signed change of the lot's held credits (a hold, its release or its posting)
 */
public record EntryDraft(EntryType type, String lotId, String account, int delta, int balanceAfter,
                         String description, int held) {

    /** An entry that holds nothing and releases nothing. */
    public EntryDraft(EntryType type, String lotId, String account, int delta, int balanceAfter, String description) {
        this(type, lotId, account, delta, balanceAfter, description, 0);
    }

    /** The change of the balance the member sees (credits neither spent nor held): a hold lowers it, its post not. */
    public int balanceChange() {
        return delta - held;
    }
}
