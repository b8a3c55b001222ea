package dev.creditline.kernel.jobs;

import io.vertx.sqlclient.Tuple;
import dev.creditline.store.citus.MultiShard;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
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

    /**
     * Runs {@link #runDue} at the server's time for every studio on the server's clock (not in test mode), one
     * studio after the other; {@code runDue} passes over a studio with nothing of its kind.
     */
    static Future<Void> forLiveStudios(Pool pool, Clock clock, DueWork work) {
        return MultiShard.query(pool, "SELECT id FROM studios WHERE NOT test_mode", Tuple.tuple())
                .compose(rows -> {
                    Future<Void> done = Future.succeededFuture();
                    for (var row : rows) {
                        String studioId = row.getString("id");
                        done = done.compose(ok -> work.runDue(studioId, clock.instant()));
                    }
                    return done;
                });
    }
}
