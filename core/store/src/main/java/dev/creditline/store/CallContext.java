package dev.creditline.store;

/**
 * One call of a ledger command: for which studio (with the call's own time), by whom, and under which idempotency
 * key. Every command of the write pipeline carries one; the journal entries it writes name its actor and key.
 *
 * @param studio         the studio, at the time of the call
 * @param actor          who calls, as the journal names them
 * @param idempotencyKey the call's key, or null
 */
public record CallContext(StudioContext studio, Actor actor, String idempotencyKey) {
}
