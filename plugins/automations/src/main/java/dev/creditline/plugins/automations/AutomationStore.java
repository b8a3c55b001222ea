package dev.creditline.plugins.automations;

import dev.creditline.api.spi.PluginDatabase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The plugin's tables: automations, their runs, and the members each run did its action for. A run is claimed by
 * inserting it (one node wins); a run whose node stopped sending heartbeats for {@link #STALE} is taken over.
 */
@Singleton
final class AutomationStore {
    /** How long a run may go without a heartbeat before another node takes it over. */
    static final String STALE = "2 minutes";

    /** Where a page of a list ended: the time and id of its last item. */
    record Position(Instant at, String id) {
        /** As a cursor's text. */
        String text() {
            return at + "|" + id;
        }

        /** The position of a cursor's text, or null when it is none. */
        static Position parse(String text) {
            int bar = text == null ? -1 : text.indexOf('|');
            if (bar < 0) {
                return null;
            }
            try {
                Instant at = Instant.parse(text.substring(0, bar));
                return at.isBefore(Instant.EPOCH) || at.isAfter(Instant.parse("3000-01-01T00:00:00Z")) ? null
                        : new Position(at, text.substring(bar + 1));
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }
    }

    /** A run, as the log shows it. */
    record Run(String automationId, String fireKey, String reason, JsonObject audience, Instant at, Instant startedAt,
               Instant finishedAt, int members, int failures, String summary) {
        JsonObject toJson() {
            return new JsonObject().put("automationId", automationId).put("fireKey", fireKey).put("reason", reason)
                    .put("at", at.toString()).put("startedAt", startedAt.toString())
                    .put("finishedAt", finishedAt == null ? null : finishedAt.toString())
                    .put("status", finishedAt == null ? "running" : "finished")
                    .put("members", members).put("failures", failures).put("summary", summary);
        }
    }

    private final Pool pool;
    private final String schema;

    @Inject
    AutomationStore(PluginDatabase database) {
        this.pool = database.pool();
        this.schema = database.schema();
    }

    Future<Void> insert(SqlClient client, String studioId, Automation a) {
        return client.preparedQuery(sql("INSERT INTO %s.automations (studio_id, id, name, trigger_type, trigger,"
                        + " action_type, action, paused, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"))
                .execute(Tuple.of(studioId, a.id(), a.name(), a.triggerType(), a.trigger(), a.actionType())
                        .addValue(a.action()).addValue(a.paused()).addValue(at(a.createdAt())))
                .mapEmpty();
    }

    /** The studio's automations, oldest first; only those not paused when {@code activeOnly}. */
    Future<List<Automation>> list(String studioId, boolean activeOnly) {
        return pool.preparedQuery(sql("SELECT * FROM %s.automations WHERE studio_id = $1 AND (NOT $2 OR NOT paused)"
                        + " ORDER BY created_at, id"))
                .execute(Tuple.of(studioId, activeOnly))
                .map(rows -> all(rows, AutomationStore::automation));
    }

    /** A page of the studio's automations, oldest first, after a position; one more than {@code limit} if there are. */
    Future<List<Automation>> page(String studioId, Position after, int limit) {
        return pool.preparedQuery(sql("SELECT * FROM %s.automations WHERE studio_id = $1"
                        + " AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3)) ORDER BY created_at, id"
                        + " LIMIT $4"))
                .execute(Tuple.of(studioId, after == null ? null : at(after.at()), after == null ? null : after.id(),
                        limit + 1))
                .map(rows -> all(rows, AutomationStore::automation));
    }

    Future<Automation> find(String studioId, String id) {
        return pool.preparedQuery(sql("SELECT * FROM %s.automations WHERE studio_id = $1 AND id = $2"))
                .execute(Tuple.of(studioId, id))
                .map(rows -> rows.size() == 0 ? null : automation(rows.iterator().next()));
    }

    /** Pauses or resumes; the automation as it is now, or null when there is none. */
    Future<Automation> setPaused(String studioId, String id, boolean paused) {
        return pool.preparedQuery(sql("UPDATE %s.automations SET paused = $3 WHERE studio_id = $1 AND id = $2"
                        + " RETURNING *"))
                .execute(Tuple.of(studioId, id, paused))
                .map(rows -> rows.size() == 0 ? null : automation(rows.iterator().next()));
    }

    /** Records the studio's time of a look for expiring lots. */
    Future<Void> scanned(String studioId, String id, Instant at) {
        return pool.preparedQuery(sql("UPDATE %s.automations SET scanned_at = $3 WHERE studio_id = $1 AND id = $2"))
                .execute(Tuple.of(studioId, id, at(at))).mapEmpty();
    }

    /**
     * Claims the run of an automation for a fire key for {@code owner}: the run when this call inserted it, or took
     * over one whose worker stopped (no heartbeat for {@link #STALE}); null when it finished or another worker runs
     * it.
     *
     * @param memberId the member an event fired it for, else null
     */
    Future<Run> claimRun(SqlClient client, String studioId, String automationId, String fireKey, String reason,
                         JsonObject audience, String memberId, Instant at, UUID owner) {
        // Two statements, not ON CONFLICT DO UPDATE ... WHERE heartbeat_at < now() - ...: Citus takes only immutable
        // functions there. The update rechecks its condition on the row it locked, so one worker takes a run over.
        return client.preparedQuery(sql("INSERT INTO %s.runs (studio_id, automation_id, fire_key, reason,"
                        + " audience, member_id, at, owner) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                        + " ON CONFLICT (studio_id, automation_id, fire_key) DO NOTHING RETURNING *"))
                .execute(Tuple.of(studioId, automationId, fireKey, reason, audience, memberId).addValue(at(at))
                        .addValue(owner))
                .compose(inserted -> inserted.size() > 0 ? Future.succeededFuture(inserted)
                        : client.preparedQuery(sql("UPDATE %s.runs SET heartbeat_at = now(), owner = $4"
                                        + " WHERE studio_id = $1 AND automation_id = $2 AND fire_key = $3"
                                        + " AND finished_at IS NULL AND heartbeat_at < now() - interval '" + STALE + "'"
                                        + " RETURNING *"))
                                .execute(Tuple.of(studioId, automationId, fireKey, owner)))
                .map(rows -> rows.size() == 0 ? null : run(rows.iterator().next()));
    }

    /** {@link #claimRun(SqlClient, String, String, String, String, JsonObject, String, Instant, UUID)} on its own. */
    Future<Run> claimRun(String studioId, String automationId, String fireKey, String reason, JsonObject audience,
                         String memberId, Instant at, UUID owner) {
        return claimRun(pool, studioId, automationId, fireKey, reason, audience, memberId, at, owner);
    }

    /** Runs of the studio whose worker stopped before they finished. */
    Future<List<Run>> stale(String studioId) {
        return pool.preparedQuery(sql("SELECT * FROM %s.runs WHERE studio_id = $1 AND finished_at IS NULL"
                        + " AND heartbeat_at < now() - interval '" + STALE + "' ORDER BY started_at LIMIT 20"))
                .execute(Tuple.of(studioId))
                .map(rows -> all(rows, AutomationStore::run));
    }

    /** Takes over a stale run for {@code owner}; false when another worker did first. */
    Future<Boolean> takeOver(String studioId, String automationId, String fireKey, UUID owner) {
        return pool.preparedQuery(sql("UPDATE %s.runs SET heartbeat_at = now(), owner = $4 WHERE studio_id = $1"
                        + " AND automation_id = $2 AND fire_key = $3 AND finished_at IS NULL"
                        + " AND heartbeat_at < now() - interval '" + STALE + "'"))
                .execute(Tuple.of(studioId, automationId, fireKey, owner)).map(rows -> rows.rowCount() == 1);
    }

    /** Tells that {@code owner} still runs the run; false when it is no longer its own (it was taken over). */
    Future<Boolean> heartbeat(String studioId, String automationId, String fireKey, UUID owner) {
        return pool.preparedQuery(sql("UPDATE %s.runs SET heartbeat_at = now() WHERE studio_id = $1"
                        + " AND automation_id = $2 AND fire_key = $3 AND owner = $4 AND finished_at IS NULL"))
                .execute(Tuple.of(studioId, automationId, fireKey, owner)).map(rows -> rows.rowCount() == 1);
    }

    /**
     * Claims members of a run for its owner: those whose action was not done (or failed for good) yet, none when the
     * run is no longer {@code owner}'s.
     */
    Future<List<String>> claimMembers(String studioId, String automationId, String fireKey, List<String> memberIds,
                                      UUID owner) {
        return pool.preparedQuery(sql("INSERT INTO %s.run_members AS m (studio_id, automation_id, fire_key, member_id)"
                        + " SELECT $1, $2, $3, member FROM unnest($4::text[]) AS member WHERE EXISTS (SELECT 1"
                        + " FROM %s.runs WHERE studio_id = $1 AND automation_id = $2 AND fire_key = $3"
                        + " AND owner = $5 AND finished_at IS NULL)"
                        + " ON CONFLICT (studio_id, automation_id, fire_key, member_id)"
                        + " DO UPDATE SET result = NULL WHERE m.result IS NULL RETURNING member_id"))
                .execute(Tuple.of(studioId, automationId, fireKey, memberIds.toArray(String[]::new), owner))
                .map(rows -> all(rows, row -> row.getString("member_id")));
    }

    /** The members of a run whose action has not finished: cut off by a stop, or waiting to be retried. */
    Future<List<String>> pendingMembers(String studioId, String automationId, String fireKey) {
        return pool.preparedQuery(sql("SELECT member_id FROM %s.run_members WHERE studio_id = $1"
                        + " AND automation_id = $2 AND fire_key = $3 AND result IS NULL ORDER BY member_id"))
                .execute(Tuple.of(studioId, automationId, fireKey))
                .map(rows -> all(rows, row -> row.getString("member_id")));
    }

    /** What a run's action did for a member, or why it failed for good. */
    record Outcome(String memberId, String result, boolean failed) {
    }

    /** Records outcomes; a worker that lost the run and answers late does not overwrite what the new owner wrote. */
    Future<Void> membersDone(String studioId, String automationId, String fireKey, List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return Future.succeededFuture();
        }
        return pool.preparedQuery(sql("UPDATE %s.run_members AS m SET result = o.result, failed = o.failed"
                        + " FROM unnest($4::text[], $5::text[], $6::boolean[]) AS o (member_id, result, failed)"
                        + " WHERE m.studio_id = $1 AND m.automation_id = $2 AND m.fire_key = $3"
                        + " AND m.member_id = o.member_id AND m.result IS NULL"))
                .execute(Tuple.of(studioId, automationId, fireKey,
                        outcomes.stream().map(Outcome::memberId).toArray(String[]::new),
                        outcomes.stream().map(Outcome::result).toArray(String[]::new),
                        outcomes.stream().map(Outcome::failed).toArray(Boolean[]::new)))
                .mapEmpty();
    }

    /**
     * Records a failed attempt that may succeed later: the member stays pending for a retry, or fails for good at
     * the {@code maxAttempts}th attempt.
     */
    Future<Void> memberAttemptFailed(String studioId, String automationId, String fireKey, String memberId,
                                        String reason, int maxAttempts) {
        return pool.preparedQuery(sql("UPDATE %s.run_members SET attempts = attempts + 1,"
                        + " result = CASE WHEN attempts + 1 >= $6 THEN $5 END, failed = attempts + 1 >= $6"
                        + " WHERE studio_id = $1 AND automation_id = $2 AND fire_key = $3 AND member_id = $4"
                        + " AND result IS NULL"))
                .execute(Tuple.of(studioId, automationId, fireKey, memberId, reason, maxAttempts))
                .mapEmpty();
    }

    /** How many runs an event fired for the member since {@code since} (database time). */
    Future<Integer> runsForMemberSince(String studioId, String automationId, String memberId, Duration since) {
        return pool.preparedQuery(sql("SELECT count(*) AS n FROM %s.runs WHERE studio_id = $1 AND automation_id = $2"
                        + " AND member_id = $3 AND started_at > now() - make_interval(secs => $4)"))
                .execute(Tuple.of(studioId, automationId, memberId, (double) since.toSeconds()))
                .map(rows -> rows.iterator().next().getInteger("n"));
    }

    /**
     * Finishes {@code owner}'s run: its counts over every member it did (also before a takeover) and a summary of
     * the results. It stays open when members wait for a retry (the run goes stale and is resumed) or the run is no
     * longer {@code owner}'s.
     */
    Future<Void> finish(String studioId, String automationId, String fireKey, UUID owner) {
        Tuple key = Tuple.of(studioId, automationId, fireKey);
        return pool.preparedQuery(sql("SELECT result, failed, count(*) AS n FROM %s.run_members WHERE studio_id = $1"
                        + " AND automation_id = $2 AND fire_key = $3 GROUP BY result, failed"
                        + " ORDER BY n DESC, result"))
                .execute(key)
                .compose(groups -> {
                    int members = 0;
                    int failures = 0;
                    List<String> parts = new ArrayList<>();
                    for (Row g : groups) {
                        int n = g.getInteger("n");
                        if (g.getString("result") == null) {
                            return Future.<Void>succeededFuture();
                        }
                        if (g.getBoolean("failed")) {
                            failures += n;
                        } else {
                            members += n;
                        }
                        if (parts.size() < 3) {
                            parts.add((g.getBoolean("failed") ? "failed: " : "") + g.getString("result")
                                    + " (" + n + (n == 1 ? " member)" : " members)"));
                        }
                    }
                    if (groups.size() > 3) {
                        parts.add("...");
                    }
                    String summary = parts.isEmpty() ? "no members" : String.join("; ", parts);
                    return pool.preparedQuery(sql("UPDATE %s.runs SET finished_at = now(), members = $4,"
                                    + " failures = $5, summary = $6 WHERE studio_id = $1 AND automation_id = $2"
                                    + " AND fire_key = $3 AND owner = $7 AND finished_at IS NULL"))
                            .execute(key.addValue(members).addValue(failures).addValue(summary).addValue(owner))
                            .<Void>mapEmpty();
                });
    }

    /**
     * A page of the automation's runs, newest first, after the position a previous page ended at (null: from the
     * newest); one more than {@code limit} when there are more.
     */
    Future<List<Run>> runs(String studioId, String automationId, Position after, int limit) {
        return pool.preparedQuery(sql("SELECT * FROM %s.runs WHERE studio_id = $1 AND automation_id = $2"
                        + " AND ($3::timestamptz IS NULL OR (started_at, fire_key) < ($3, $4))"
                        + " ORDER BY started_at DESC, fire_key DESC LIMIT $5"))
                .execute(Tuple.of(studioId, automationId, after == null ? null : at(after.at()),
                        after == null ? null : after.id(), limit + 1))
                .map(rows -> all(rows, AutomationStore::run));
    }

    Future<Run> run(String studioId, String automationId, String fireKey) {
        return pool.preparedQuery(sql("SELECT * FROM %s.runs WHERE studio_id = $1 AND automation_id = $2"
                        + " AND fire_key = $3"))
                .execute(Tuple.of(studioId, automationId, fireKey))
                .map(rows -> rows.size() == 0 ? null : run(rows.iterator().next()));
    }

    /**
     * What a run did for each member, by member id, a page at a time after {@code after} (null: from the start);
     * one more than {@code limit} when there are more.
     */
    Future<List<JsonObject>> runMembers(String studioId, String automationId, String fireKey, String after,
                                        int limit) {
        return pool.preparedQuery(sql("SELECT member_id, result, failed, attempts FROM %s.run_members"
                        + " WHERE studio_id = $1 AND automation_id = $2 AND fire_key = $3"
                        + " AND ($4::text IS NULL OR member_id > $4) ORDER BY member_id LIMIT $5"))
                .execute(Tuple.of(studioId, automationId, fireKey, after, limit + 1))
                .map(rows -> all(rows, r -> new JsonObject().put("memberId", r.getString("member_id"))
                        .put("result", r.getString("result"))
                        .put("status", r.getValue("result") != null ? (r.getBoolean("failed") ? "failed" : "done")
                                : r.getInteger("attempts") > 0 ? "retrying" : "running")));
    }

    /** Which of the fire keys the automation has a run for. */
    Future<Set<String>> fired(String studioId, String automationId, List<String> fireKeys) {
        return pool.preparedQuery(sql("SELECT fire_key FROM %s.runs WHERE studio_id = $1 AND automation_id = $2"
                        + " AND fire_key = ANY($3)"))
                .execute(Tuple.of(studioId, automationId, fireKeys.toArray(String[]::new)))
                .map(rows -> {
                    Set<String> keys = new HashSet<>();
                    rows.forEach(r -> keys.add(r.getString("fire_key")));
                    return keys;
                });
    }

    private String sql(String template) {
        return template.replace("%s", schema);
    }

    private static <T> List<T> all(RowSet<Row> rows, Function<Row, T> map) {
        List<T> out = new ArrayList<>();
        rows.forEach(row -> out.add(map.apply(row)));
        return out;
    }

    private static Automation automation(Row row) {
        OffsetDateTime scanned = row.getOffsetDateTime("scanned_at");
        return new Automation(row.getString("id"), row.getString("name"), row.getString("trigger_type"),
                (JsonObject) row.getJson("trigger"), row.getString("action_type"), (JsonObject) row.getJson("action"),
                row.getBoolean("paused"), row.getOffsetDateTime("created_at").toInstant(),
                scanned == null ? null : scanned.toInstant());
    }

    private static Run run(Row row) {
        OffsetDateTime finished = row.getOffsetDateTime("finished_at");
        return new Run(row.getString("automation_id"), row.getString("fire_key"), row.getString("reason"),
                (JsonObject) row.getJson("audience"), row.getOffsetDateTime("at").toInstant(),
                row.getOffsetDateTime("started_at").toInstant(), finished == null ? null : finished.toInstant(),
                row.getInteger("members"), row.getInteger("failures"), row.getString("summary"));
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
