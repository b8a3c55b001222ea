package dev.creditline.api.spi;

import io.vertx.core.Future;
import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Gets the member events of the studios that enabled its plugin (a member created, tagged, untagged) after they
 * committed: from the same transactional outbox as {@link LedgerListener}, in order, at least once (deduplicate on the
 * event's id). A failure holds the studio's events back and is retried.
 */
public interface MemberListener extends ExtensionPoint {

    /** Takes a batch of committed events; fail to have them delivered again. */
    Future<Void> onMemberEvents(List<MemberEvent> events);
}
