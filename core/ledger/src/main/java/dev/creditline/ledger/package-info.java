/**
 * The credit ledger's rules as pure functions over a member's lots: eligibility, consumption order, redemption,
 * refunds, removals and expiry. Each operation works on a {@link dev.creditline.ledger.LotBook} and returns the
 * journal entries to write; the store does the I/O around it.
 */
package dev.creditline.ledger;
