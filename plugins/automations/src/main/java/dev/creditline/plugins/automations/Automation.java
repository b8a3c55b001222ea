package dev.creditline.plugins.automations;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A studio's automation: when its trigger fires, its action runs for the members concerned.
 *
 * @param trigger   its trigger's parameters (with {@code type})
 * @param action    its action's parameters (with {@code type})
 * @param createdAt the studio's time it was created (it does not fire for due times before)
 * @param scannedAt the studio's time it last looked for expiring lots, or null
 */
record Automation(String id, String name, String triggerType, JsonObject trigger, String actionType,
                  JsonObject action, boolean paused, Instant createdAt, Instant scannedAt) {

    JsonObject toJson() {
        return new JsonObject().put("id", id).put("name", name).put("trigger", trigger.copy())
                .put("action", action.copy()).put("paused", paused).put("createdAt", createdAt.toString());
    }
}
