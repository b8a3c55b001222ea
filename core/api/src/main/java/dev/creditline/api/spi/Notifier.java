package dev.creditline.api.spi;

import io.vertx.core.Future;
import org.pf4j.ExtensionPoint;

/**
 * Delivers notifications to members (email over SMTP by default). Called through {@link Notifications} after the
 * change that caused the notification committed; delivery must not change the ledger.
 */
public interface Notifier extends ExtensionPoint {

    /** Delivers the notification, or fails so that the caller can retry it. */
    Future<Void> send(Notification notification);
}
