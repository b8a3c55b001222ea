package dev.creditline.api.spi;

import io.vertx.core.Future;
import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Receives committed journal entries after their transaction commits, in order per member, at least once: the kernel
 * delivers from a transactional outbox, so a crash between commit and delivery loses nothing, and a failed or timed
 * out delivery is retried (deduplicate on {@link LedgerEntry#id()}). A listener must not block; it is for side effects
 * (sync to a CRM, analytics), never for changing the same entries. Entries are queued for a studio while at least
 * one of its enabled plugins has a listener: entries written before a listener was enabled, or left when the last
 * one is disabled, are not delivered.
 */
public interface LedgerListener extends ExtensionPoint {

    /** Handles a batch of entries of one studio, oldest first. */
    Future<Void> onEntries(List<LedgerEntry> entries);
}
