package dev.creditline.api.spi;

import io.vertx.core.Future;

/** Sends notifications through the {@link Notifier}s a studio enabled. */
public interface Notifications {

    /**
     * Hands the notification to every enabled notifier of its studio.
     *
     * @return how many notifiers accepted it; fails when one of them fails
     */
    Future<Integer> send(Notification notification);
}
