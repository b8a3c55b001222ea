package dev.creditline.kernel.jobs;

import dev.creditline.store.citus.MultiShard;
import dev.creditline.api.spi.LedgerEntry;
import dev.creditline.api.spi.LedgerListener;
import dev.creditline.api.spi.MemberEvent;
import dev.creditline.api.spi.MemberListener;
import dev.creditline.kernel.plugins.PluginEnablement;
import dev.creditline.kernel.plugins.PluginRuntime;
import dev.creditline.store.ReportQueries;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers outbox entries to the studio's {@link LedgerListener}s, oldest first, and deletes them once every listener
 * took them: at least once, in order per member. One node at a time delivers a studio's entries (an advisory lock),
 * so two kernels never deliver out of order. A failing listener holds its studio's entries back and is retried with
 * a growing pause, or at once when the studio changes its plugin settings (it may have fixed the listener).
 */
@Singleton
public final class OutboxDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);
    private static final int BATCH = 500;
    private static final Duration POLL = Duration.ofMillis(250);

    private final Vertx vertx;
    private final Pool pool;
    private final PluginRuntime plugins;
    private final PluginEnablement enablement;
    private final Clock clock;
    private final Periodic<Integer> periodic = new Periodic<>(this::pass);
    private final Map<String, Backoff> backoff = new ConcurrentHashMap<>();

    /** A studio whose listeners failed: when to try again, unless its plugin settings change before. */
    private record Backoff(int failures, Instant until, Object settings) {
    }

    @Inject
    public OutboxDispatcher(Vertx vertx, Pool pool, PluginRuntime plugins, PluginEnablement enablement, Clock clock) {
        this.vertx = vertx;
        this.pool = pool;
        this.plugins = plugins;
        this.enablement = enablement;
        this.clock = clock;
    }

    public void start() {
        periodic.start(vertx, POLL.toMillis(), POLL.toMillis());
    }

    public void stop() {
        periodic.stop();
    }

    /** One round over the studios with waiting entries; returns how many entries were delivered. */
    public Future<Integer> runOnce() {
        return periodic.run();
    }

    private Future<Integer> pass() {
        return MultiShard.query(pool, "SELECT DISTINCT studio_id FROM outbox LIMIT 100", Tuple.tuple())
                .compose(rows -> {
                    Future<Integer> delivered = Future.succeededFuture(0);
                    for (Row row : rows) {
                        String studioId = row.getString("studio_id");
                        Backoff pause = backoff.get(studioId);
                        if (pause != null && clock.instant().isBefore(pause.until())
                                && pause.settings().equals(enablement.revision(studioId))) {
                            continue;
                        }
                        delivered = delivered.compose(sum -> deliver(studioId).map(n -> sum + n));
                    }
                    return delivered;
                })
                .onFailure(e -> LOG.warn("Outbox delivery failed; retrying: {}", e.toString()));
    }

    private Future<Integer> deliver(String studioId) {
        // Read before delivering: a change made while a delivery fails still ends the pause.
        Object settings = enablement.revision(studioId);
        return pool.<Integer>withTransaction(c -> c.preparedQuery(
                                "SELECT pg_try_advisory_xact_lock(hashtext('creditline-outbox'), hashtext($1)) AS mine")
                        .execute(Tuple.of(studioId))
                        .compose(lock -> lock.iterator().next().getBoolean("mine")
                                ? deliverLocked(c, studioId) : Future.succeededFuture(0)))
                .onSuccess(n -> backoff.remove(studioId))
                .recover(failure -> {
                    Backoff last = backoff.get(studioId);
                    int failures = last == null ? 1 : last.failures() + 1;
                    Duration pause = Duration.ofMillis(Math.min(30_000, 250L << Math.min(failures, 7)));
                    backoff.put(studioId, new Backoff(failures, clock.instant().plus(pause), settings));
                    LOG.warn("Ledger listeners of studio {} failed ({} in a row); retrying in {} ms: {}", studioId,
                            failures, pause.toMillis(), failure.getMessage());
                    return Future.succeededFuture(0);
                });
    }

    private Future<Integer> deliverLocked(SqlConnection c, String studioId) {
        return c.preparedQuery("""
                        SELECT o.id AS outbox_id, o.member_event, j.seq, j.member_id, j.account, j.lot_id, j.type,
                               j.delta, j.held, j.balance_after, j.description, j.reason, j.actor, j.booking_id, j.purchase_id,
                               j.at
                        FROM outbox o LEFT JOIN journal j ON j.studio_id = o.studio_id AND j.seq = o.journal_seq
                        WHERE o.studio_id = $1 ORDER BY o.id LIMIT $2 FOR UPDATE OF o""")
                .execute(Tuple.of(studioId, BATCH))
                .compose(rows -> {
                    List<Long> ids = new ArrayList<>();
                    List<LedgerEntry> entries = new ArrayList<>();
                    List<MemberEvent> memberEvents = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getLong("outbox_id"));
                        if (row.getValue("seq") != null) {
                            entries.add(ReportQueries.entry(studioId, row));
                        } else {
                            memberEvents.add(memberEvent(studioId, row));
                        }
                    }
                    if (ids.isEmpty()) {
                        return Future.succeededFuture(0);
                    }
                    Future<Void> delivered = Future.succeededFuture();
                    if (!entries.isEmpty()) {
                        for (var listener : plugins.forStudio(studioId, LedgerListener.class)) {
                            delivered = delivered.compose(done -> listener.call("onEntries",
                                    l -> l.onEntries(entries)));
                        }
                    }
                    if (!memberEvents.isEmpty()) {
                        for (var listener : plugins.forStudio(studioId, MemberListener.class)) {
                            delivered = delivered.compose(done -> listener.call("onMemberEvents",
                                    l -> l.onMemberEvents(memberEvents)));
                        }
                    }
                    return delivered
                            .compose(done -> c.preparedQuery("DELETE FROM outbox WHERE studio_id = $1 AND id = ANY($2)")
                                    // Not Tuple.of(a, array): it would spread the array as varargs.
                                    .execute(Tuple.tuple().addValue(studioId).addValue(ids.toArray(Long[]::new))))
                            .map(done -> ids.size());
                });
    }

    private static MemberEvent memberEvent(String studioId, Row row) {
        io.vertx.core.json.JsonObject event = (io.vertx.core.json.JsonObject) row.getJson("member_event");
        return new MemberEvent(row.getLong("outbox_id"), studioId, event.getString("memberId"),
                event.getString("type"), event.getString("tag"), Instant.parse(event.getString("at")));
    }
}
