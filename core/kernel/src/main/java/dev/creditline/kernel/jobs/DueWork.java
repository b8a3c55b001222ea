package dev.creditline.kernel.jobs;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * Time-driven work (expiry, later warnings, renewals, automations) for one studio up to a point in time. Moving a
 * test-mode studio's clock runs every bound {@code DueWork} before it answers.
 */
public interface DueWork {
    /** Does everything due in the studio at or before {@code now}; running it twice does it once. */
    Future<Void> runDue(String studioId, Instant now);

    /** When it runs among the others: lower first. */
    default int stage() {
        return 100;
    }
}
