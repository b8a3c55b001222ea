package dev.creditline.kernel.http;

import dev.creditline.api.Role;
import dev.creditline.store.Actor;
import dev.creditline.store.CallContext;
import dev.creditline.store.StudioContext;

/**
 * Who is calling: the studio their key belongs to (with its time for this request), their role, and for athletes the
 * member they are.
 *
 * @param studio   the studio and its current time
 * @param role     the key's role
 * @param memberId the member of an athlete key, else null
 * @param actor    the name written into journal entries
 * @param keyId    the key's id
 */
public record Caller(StudioContext studio, Role role, String memberId, Actor actor, String keyId) {
    /** The call of a ledger command by this caller, under the request's idempotency key (or none). */
    public CallContext call(String idempotencyKey) {
        return new CallContext(studio, actor, idempotencyKey);
    }
}
