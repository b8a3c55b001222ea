package dev.creditline.api.spi;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * A kind of event that starts an automation ("member tagged", "lot expiring within N days"). The automation engine
 * (a plugin) finds triggers through {@link Extensions} and asks them whether an event fires an automation.
 */
public interface AutomationTrigger extends ExtensionPoint {

    /** The trigger's type, as automations name it, e.g. {@code "member_tagged"}. */
    String type();

    /**
     * Problems with an automation's parameters for this trigger, each as {@code "<parameter>: <what is wrong>"};
     * empty when they are fine.
     */
    default List<String> validate(JsonObject parameters) {
        return List.of();
    }

    /** Whether the event fires an automation with these parameters. Only reads. */
    Future<Boolean> fires(Event event, JsonObject parameters);

    /**
     * Something that happened in a studio.
     *
     * @param type     e.g. {@code member_tagged}, {@code purchase_completed}, {@code schedule}
     * @param memberId the member concerned, or null
     * @param data     the event's details
     * @param at       the studio's time
     */
    record Event(String studioId, String type, String memberId, JsonObject data, Instant at) {
    }
}
