package dev.creditline.ledger;

/**
 * Credits of one lot used by one booking; a refund returns exactly these.
 *
 * @param lotId   the lot
 * @param account the lot's account
 * @param credits how many of its credits the booking used
 */
public record Allocation(String lotId, String account, int credits) {
}
