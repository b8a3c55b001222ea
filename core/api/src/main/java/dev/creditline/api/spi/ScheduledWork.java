package dev.creditline.api.spi;

import io.vertx.core.Future;
import java.time.Instant;
import org.pf4j.ExtensionPoint;

/**
 * Time-driven work of a plugin (an automation's schedule, say). The kernel calls it for each studio that enabled the
 * plugin: as often as the expiry sweep ({@code ledger.expirySweepInterval}, 30 s by default) on the server's clock,
 * and, for a test-mode studio, whenever its clock moves (before the move answers), with the studio's time. Several
 * kernel nodes may call it for the same studio at the same time, and a call may be repeated after a failure: do what
 * is due at or before {@code now} exactly once (claim it in a table).
 */
public interface ScheduledWork extends ExtensionPoint {

    /** Does everything due in the studio at or before {@code now}. */
    Future<Void> runDue(String studioId, Instant now);
}
