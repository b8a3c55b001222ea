package dev.creditline.store;

/** Whether a studio's journal entries go to the outbox: only when a ledger listener will take them. */
@FunctionalInterface
public interface OutboxPolicy {
    /** No listeners anywhere. */
    OutboxPolicy NONE = studioId -> false;

    boolean wanted(String studioId);

    /** Whether a studio's member events go to the outbox: only when a member listener will take them. */
    default boolean wantsMemberEvents(String studioId) {
        return false;
    }
}
