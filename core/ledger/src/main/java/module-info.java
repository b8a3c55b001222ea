/**
 * The ledger's domain: which lots may pay, in which order they are spent, how balances and expiries follow.
 * Pure and synchronous: no I/O, no framework.
 */
module dev.creditline.ledger {
    requires transitive dev.creditline.api;

    exports dev.creditline.ledger;
}
