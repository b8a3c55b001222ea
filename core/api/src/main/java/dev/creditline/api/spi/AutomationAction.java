package dev.creditline.api.spi;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * What an automation does ("grant credits", "add tag", "notify"). The automation engine (a plugin) finds actions
 * through {@link Extensions} and runs them; an action changes the ledger only through {@link LedgerService}.
 */
public interface AutomationAction extends ExtensionPoint {

    /** The action's type, as automations name it, e.g. {@code "grant_credits"}. */
    String type();

    /**
     * Problems with an automation's parameters for this action, each as {@code "<parameter>: <what is wrong>"};
     * empty when they are fine.
     */
    default List<String> validate(JsonObject parameters) {
        return List.of();
    }

    /** Runs the action for one member; the idempotency key is the same when the same run is retried. */
    Future<Result> run(Run run);

    /**
     * One run of the action.
     *
     * @param automationId   the automation that runs it
     * @param automationName its name, for the credit log and messages
     * @param parameters     the automation's parameters for the action
     * @param at             the studio's time the automation fired for (the same when the run is retried)
     * @param idempotencyKey the same for a retry of the same run
     */
    record Run(String studioId, String automationId, String automationName, String memberId, JsonObject parameters,
               Instant at, String idempotencyKey) {
    }

    /**
     * What the action did.
     *
     * @param summary a line for the automation's run log
     */
    record Result(String summary) {
    }
}
