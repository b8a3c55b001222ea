package dev.creditline.api.spi;

import dev.creditline.api.EntryType;
import java.time.Instant;

/**
 * A committed journal entry, as {@link LedgerListener}s receive it.
 *
 * @param id           the entry's id, unique and increasing per studio: use it to ignore a redelivery
 * @param studioId     the studio
 * @param memberId     the member whose lot changed
 * @param account      "master" or a product id
 * @param lotId        the lot
 * @param type         what happened
 * @param delta        the signed change of the lot's credits
 * @param balanceAfter the account's balance after it
 * @param description  the credit log's text
 * @param reason       the reason given, or null
 * @param actor        who did it
 * @param bookingId    the booking, or null
 * @param purchaseId   the purchase, or null
 * @param at           the studio's time of the change
 * @param entryId      the id the HTTP API and exports show for it ({@code ent_...}): opaque, unlike {@code id}
 * @param held         the signed change of the lot's held credits: a booking's hold is {@code delta 0, held +n},
 *                     its release {@code 0, -n}, and its post (a {@code redeemed} entry) {@code -n, -n}
 */
public record LedgerEntry(long id, String studioId, String memberId, String account, String lotId, EntryType type,
                          int delta, int balanceAfter, String description, String reason, String actor,
                          String bookingId, String purchaseId, Instant at, String entryId, int held) {

    /** An entry that changes no held credits (every entry of plugins built before holds). */
    public LedgerEntry(long id, String studioId, String memberId, String account, String lotId, EntryType type,
                       int delta, int balanceAfter, String description, String reason, String actor,
                       String bookingId, String purchaseId, Instant at, String entryId) {
        this(id, studioId, memberId, account, lotId, type, delta, balanceAfter, description, reason, actor,
                bookingId, purchaseId, at, entryId, 0);
    }

    /**
     * The change of the credits the member can spend: a hold lowers it, a release raises it, a post leaves it
     * (the held credits were already counted out). {@code balanceAfter - balanceChange()} is the balance before.
     */
    public int balanceChange() {
        return delta - held;
    }
}
