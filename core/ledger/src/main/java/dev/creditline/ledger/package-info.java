/**
 * The credit ledger's rules as pure functions over a member's lots: eligibility, consumption order, redemption,
 * cancellation, adjustment, removals and expiry, erasure, transfers and merges, cost basis and the account limit. Each operation works on a {@link dev.creditline.ledger.LotBook} and returns the
 * journal entries to write, or a refusal as a value; the store does the I/O around it.
 */
package dev.creditline.ledger;
