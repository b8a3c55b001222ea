package dev.creditline.plugins.automations;

import dev.creditline.api.Lot;
import dev.creditline.api.spi.ApiProblem;
import dev.creditline.api.spi.AutomationAction;
import dev.creditline.api.spi.AutomationTrigger;
import dev.creditline.api.spi.Extensions;
import dev.creditline.api.spi.LedgerEntry;
import dev.creditline.api.spi.LedgerService;
import dev.creditline.api.spi.MemberEvent;
import dev.creditline.api.spi.PluginHost;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires a studio's automations: turns member events, journal entries and time into trigger events, asks each active
 * automation's trigger whether it fires, claims the run for the event's fire key (so it fires once, however many
 * nodes or redeliveries see the event) and runs the action for each member of the run's audience once. Triggers and
 * actions are found among the extensions of the studio's plugins, so third-party plugins can add their own.
 */
@Singleton
final class AutomationEngine {
    private static final Logger LOG = LoggerFactory.getLogger(AutomationEngine.class);
    /** Members per page of a tag's audience, and how many of them run at once. */
    private static final int PAGE = 200;
    private static final int PARALLEL = 8;
    /** How often a lot_expiring automation looks for lots (on the studio's clock). */
    private static final Duration SCAN_EVERY = Duration.ofMinutes(15);
    /** How often a running run tells it is alive; well inside {@link AutomationStore#STALE}. */
    private static final long HEARTBEAT_MILLIS = 30_000;
    /** Attempts of an action for a member that failed for a passing reason before it counts as failed. */
    private static final int MAX_ATTEMPTS = 5;
    /**
     * Runs of a tag automation for one member per hour beyond which it stops firing: automations that tag and untag
     * each other would otherwise go round for ever.
     */
    private static final int TAG_RUNS_PER_HOUR = 10;

    private final PluginHost host;
    private final LedgerService ledger;
    private final AutomationStore store;

    @Inject
    AutomationEngine(PluginHost host, AutomationStore store) {
        this.host = host;
        this.ledger = host.ledger();
        this.store = store;
    }

    /** An event with the fire key that makes its runs unique, and whom they are for. */
    private record Firing(AutomationTrigger.Event event, String fireKey, String reason, JsonObject audience) {
    }

    // ---- events

    Future<Void> onMemberEvents(List<MemberEvent> events) {
        List<Firing> firings = new ArrayList<>();
        for (MemberEvent e : events) {
            String type = "member_" + e.type();
            JsonObject data = new JsonObject().put("tag", e.tag());
            firings.add(new Firing(new AutomationTrigger.Event(e.studioId(), type, e.memberId(), data, e.at()),
                    "member:" + e.id(), e.tag() == null ? "member created" : "member " + e.type() + " " + e.tag(),
                    members(e.memberId())));
        }
        return events.isEmpty() ? Future.succeededFuture() : fireAll(events.get(0).studioId(), firings);
    }

    Future<Void> onEntries(List<LedgerEntry> entries) {
        List<Firing> firings = new ArrayList<>();
        for (LedgerEntry e : entries) {
            if (e.type() == dev.creditline.api.EntryType.PURCHASED && e.purchaseId() != null) {
                JsonObject data = new JsonObject().put("purchaseId", e.purchaseId()).put("account", e.account())
                        .put("productId", dev.creditline.api.Accounts.MASTER.equals(e.account()) ? null : e.account());
                firings.add(new Firing(new AutomationTrigger.Event(e.studioId(), "purchase_completed", e.memberId(),
                        data, e.at()), "purchase:" + e.purchaseId(), "purchase " + e.purchaseId(),
                        members(e.memberId())));
            }
            // The end of an unlimited period changes no balance a member counts (its credits were never finite);
            // a hold lowers the balance at booking, so its post changes nothing the member can spend.
            if (e.balanceChange() != 0 && e.type() != dev.creditline.api.EntryType.PERIOD_ENDED) {
                JsonObject data = new JsonObject().put("account", e.account()).put("entryType", e.type().wireName())
                        .put("delta", e.balanceChange()).put("balanceBefore", e.balanceAfter() - e.balanceChange())
                        .put("balanceAfter", e.balanceAfter());
                firings.add(new Firing(new AutomationTrigger.Event(e.studioId(), "balance_changed", e.memberId(),
                        data, e.at()), "entry:" + e.id(), "balance " + e.balanceAfter() + " after " + e.type().wireName(),
                        members(e.memberId())));
            }
        }
        return entries.isEmpty() ? Future.succeededFuture() : fireAll(entries.get(0).studioId(), firings);
    }

    /** Fires the event-driven automations of the studio that the firings' events fire. */
    private Future<Void> fireAll(String studioId, List<Firing> firings) {
        return store.list(studioId, true).compose(automations -> {
            List<Automation> eventDriven = automations.stream()
                    .filter(a -> !Triggers.isTimeDriven(a.triggerType())).toList();
            if (eventDriven.isEmpty()) {
                return Future.succeededFuture();
            }
            return triggers(studioId).compose(triggers -> {
                Future<Void> done = Future.succeededFuture();
                for (Firing firing : firings) {
                    for (Automation a : eventDriven) {
                        done = done.compose(ok -> fireIf(triggers.get(a.triggerType()), a, firing));
                    }
                }
                return done;
            });
        });
    }

    private Future<Void> fireIf(Extensions.Contained<AutomationTrigger> trigger, Automation a, Firing firing) {
        if (trigger == null || trigger.pluginId().equals(host.pluginId())
                && !Triggers.mayFire(a.triggerType(), firing.event().type())) {
            return Future.succeededFuture();
        }
        // A trigger that fails is logged (and counted as a plugin failure) and does not fire: retrying would hold
        // back every event of the studio behind one broken trigger.
        return trigger.<Boolean>call("fires", t -> t.fires(firing.event(), a.trigger()))
                .otherwise(failure -> {
                    LOG.warn("Trigger {} of automation {} failed on {}: {}", a.triggerType(), a.id(),
                            firing.fireKey(), failure.toString());
                    return false;
                })
                .compose(fires -> Boolean.TRUE.equals(fires) ? fire(a, firing) : Future.succeededFuture());
    }

    // ---- time

    /** Fires the schedules and expiring lots that are due, and resumes runs whose node stopped. */
    Future<Void> runDue(String studioId, Instant now) {
        return store.list(studioId, true).compose(automations -> {
            List<Automation> timed = automations.stream().filter(a -> Triggers.isTimeDriven(a.triggerType())).toList();
            Future<Void> done = Future.succeededFuture();
            if (!timed.isEmpty()) {
                done = ledger.studio(studioId).compose(studio -> triggers(studioId).compose(triggers -> {
                    Future<Void> each = Future.succeededFuture();
                    for (Automation a : timed) {
                        var trigger = triggers.get(a.triggerType());
                        // One automation that fails (its plugin, its parameters) does not hold back the others.
                        each = each.compose(ok -> Future.<Void>succeededFuture()
                                .compose(x -> a.triggerType().equals(Triggers.SCHEDULE)
                                        ? schedule(studioId, trigger, a, studio.zone(), now)
                                        : expiring(studioId, trigger, a, now))
                                .recover(failure -> {
                                    LOG.warn("Automation {} of studio {} failed to look for due work: {}", a.id(),
                                            studioId, failure.toString());
                                    return Future.succeededFuture();
                                }));
                    }
                    return each;
                }));
            }
            return done.compose(ok -> resumeStale(studioId));
        });
    }

    private Future<Void> schedule(String studioId, Extensions.Contained<AutomationTrigger> trigger, Automation a,
                                  java.time.ZoneId zone, Instant now) {
        return Triggers.Schedule.lastDue(a.trigger(), zone, a.createdAt(), now)
                .map(due -> fireIf(trigger, a, new Firing(new AutomationTrigger.Event(studioId, Triggers.SCHEDULE,
                                null, new JsonObject().put("dueAt", due.toString()), due),
                        "due:" + due, "schedule, due " + due.atZone(zone).toOffsetDateTime(),
                        tagged(a.trigger().getString("tag")))))
                .orElse(Future.succeededFuture());
    }

    /** Looks for lots entering the automation's window; each lot (and expiry) fires once. */
    private Future<Void> expiring(String studioId, Extensions.Contained<AutomationTrigger> trigger, Automation a,
                                  Instant now) {
        if (a.scannedAt() != null && a.scannedAt().isBefore(now) && a.scannedAt().plus(SCAN_EVERY).isAfter(now)) {
            return Future.succeededFuture();
        }
        Instant until = now.plus(Duration.ofDays(a.trigger().getInteger("withinDays")));
        return ledger.lotsExpiring(studioId, now, until).compose(lots -> {
            Map<String, Lot> byKey = new HashMap<>();
            lots.forEach(lot -> byKey.put("lot:" + lot.id() + ":" + lot.expiresAt(), lot));
            return store.fired(studioId, a.id(), List.copyOf(byKey.keySet())).compose(fired -> {
                Future<Void> done = Future.succeededFuture();
                for (var e : byKey.entrySet()) {
                    if (fired.contains(e.getKey())) {
                        continue;
                    }
                    Lot lot = e.getValue();
                    JsonObject data = new JsonObject().put("lotId", lot.id()).put("account", lot.account())
                            .put("remaining", lot.remaining()).put("expiresAt", lot.expiresAt().toString());
                    done = done.compose(ok -> fireIf(trigger, a, new Firing(new AutomationTrigger.Event(studioId,
                            Triggers.LOT_EXPIRING, lot.memberId(), data, now), e.getKey(),
                            lot.remaining() + " credits of lot " + lot.id() + " expire at " + lot.expiresAt(),
                            members(lot.memberId()))));
                }
                return done;
            });
        }).compose(ok -> store.scanned(studioId, a.id(), now));
    }

    private Future<Void> resumeStale(String studioId) {
        return store.stale(studioId).compose(stale -> {
            Future<Void> done = Future.succeededFuture();
            for (AutomationStore.Run run : stale) {
                UUID owner = UUID.randomUUID();
                done = done.compose(ok -> store.takeOver(studioId, run.automationId(), run.fireKey(), owner))
                        .compose(mine -> !mine ? Future.succeededFuture()
                                : store.find(studioId, run.automationId()).compose(a -> {
                                    LOG.info("Resuming run {} of automation {} in studio {}", run.fireKey(),
                                            run.automationId(), studioId);
                                    return execute(studioId, a, run.fireKey(), run.audience(), run.at(), owner);
                                }))
                        .recover(failure -> {
                            LOG.warn("Run {} of automation {} in studio {} failed again; it resumes later: {}",
                                    run.fireKey(), run.automationId(), studioId, failure.toString());
                            return Future.succeededFuture();
                        });
            }
            return done;
        });
    }

    // ---- runs

    private Future<Void> fire(Automation a, Firing firing) {
        String studioId = firing.event().studioId();
        String memberId = firing.event().memberId();
        Future<Boolean> allowed = memberId != null && Triggers.isTagTrigger(a.triggerType())
                ? store.runsForMemberSince(studioId, a.id(), memberId, Duration.ofHours(1)).map(n -> {
                    if (n >= TAG_RUNS_PER_HOUR) {
                        LOG.warn("Automation {} of studio {} ran {} times for member {} within the hour; skipping {}"
                                + " (do automations tag and untag each other?)", a.id(), studioId, n, memberId,
                                firing.fireKey());
                        return false;
                    }
                    return true;
                })
                : Future.succeededFuture(true);
        UUID owner = UUID.randomUUID();
        return allowed.compose(go -> !go ? Future.succeededFuture()
                : store.claimRun(studioId, a.id(), firing.fireKey(), firing.reason(),
                                firing.audience(), memberId, firing.event().at(), owner)
                        .compose(run -> run == null ? Future.succeededFuture()
                                : execute(studioId, a, firing.fireKey(), firing.audience(), firing.event().at(),
                                        owner)));
    }

    /**
     * Runs the action for each member of the audience that it has not run for yet in this run, then finishes the
     * run; {@code owner} is the worker that claimed it. Safe to call again for the same run after a takeover:
     * members done are skipped, those cut off or waiting for a retry go first, and the action's idempotency key
     * is the same for a member as before. The run stays open when members wait for a retry or another worker took
     * it over.
     */
    Future<Void> execute(String studioId, Automation a, String fireKey, JsonObject audience,
                                        Instant at, UUID owner) {
        Execution run = new Execution(studioId, a, fireKey, at, owner);
        return action(studioId, a.actionType()).compose(action -> {
            if (action == null) {
                // Members left waiting would keep the run open for ever: they fail, saying why.
                String why = "no enabled plugin provides the action " + a.actionType();
                LOG.warn("Automation {} of studio {}: {}", a.id(), studioId, why);
                return store.pendingMembers(studioId, a.id(), fireKey)
                        .compose(left -> store.membersDone(studioId, a.id(), fireKey, left.stream()
                                .map(member -> new AutomationStore.Outcome(member, why, true)).toList()))
                        .compose(ok -> store.finish(studioId, a.id(), fireKey, owner));
            }
            run.action = action;
            long beats = host.vertx().setPeriodic(HEARTBEAT_MILLIS, id -> store.heartbeat(studioId, a.id(), fireKey,
                    owner).onSuccess(mine -> run.lost = !mine));
            Future<Void> left = store.pendingMembers(studioId, a.id(), fireKey).compose(run::runFor);
            return (audience.containsKey("memberIds")
                    ? left.compose(ok -> run.runFor(strings(audience.getJsonArray("memberIds"))))
                    : left.compose(ok -> run.page(audience.getString("tag"), null)))
                    .compose(done -> store.finish(studioId, a.id(), fireKey, owner))
                    .onComplete(done -> host.vertx().cancelTimer(beats));
        });
    }

    /** One worker's pass over a run. */
    private final class Execution {
        final String studioId;
        final Automation automation;
        final String fireKey;
        final Instant at;
        final UUID owner;
        Extensions.Contained<AutomationAction> action;
        /** Set when another worker took the run over: this one stops. */
        volatile boolean lost;
        /** Members tried in this pass: one attempt each per pass (a retry waits for the next pass). */
        private final java.util.Set<String> tried = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Execution(String studioId, Automation automation, String fireKey, Instant at, UUID owner) {
            this.studioId = studioId;
            this.automation = automation;
            this.fireKey = fireKey;
            this.at = at;
            this.owner = owner;
        }

        Future<Void> page(String tag, Long after) {
            return ledger.members(studioId, tag, after, PAGE).compose(page -> {
                List<String> ids = page.items().stream().map(LedgerService.MemberInfo::id).toList();
                return runFor(ids).compose(ok -> page.next() == null || lost ? Future.succeededFuture()
                        : page(tag, page.next()));
            });
        }

        /**
         * Runs the action for the members, {@link #PARALLEL} at a time: each slice is claimed in one statement, and
         * its results are recorded in one (a member's action is a transaction of its own either way).
         */
        Future<Void> runFor(List<String> memberIds) {
            Future<Void> done = Future.succeededFuture();
            for (int from = 0; from < memberIds.size(); from += PARALLEL) {
                List<String> slice = memberIds.subList(from, Math.min(memberIds.size(), from + PARALLEL)).stream()
                        .filter(tried::add).toList();
                done = done.compose(ok -> lost || slice.isEmpty() ? Future.succeededFuture()
                        : store.claimMembers(studioId, automation.id(), fireKey, slice, owner)
                                .compose(claimed -> Future.all(claimed.stream().map(this::runForMember).toList())
                                        .map(all -> all.<AutomationStore.Outcome>list().stream()
                                                .filter(java.util.Objects::nonNull).toList()))
                                .compose(outcomes -> store.membersDone(studioId, automation.id(), fireKey,
                                        outcomes)));
            }
            return done;
        }

        /** The action for one member: its outcome, or null when it waits for a retry. */
        private Future<AutomationStore.Outcome> runForMember(String memberId) {
            String automationId = automation.id();
            var run = new AutomationAction.Run(studioId, automationId, automation.name(), memberId,
                    automation.action(), at, idempotencyKey(automationId, fireKey, memberId));
            return action.<AutomationAction.Result>call("run", x -> x.run(run)).transform(answer -> {
                if (answer.succeeded()) {
                    AutomationAction.Result result = answer.result();
                    return Future.succeededFuture(new AutomationStore.Outcome(memberId,
                            result == null || result.summary() == null ? "done" : result.summary(), false));
                }
                Throwable failure = answer.cause();
                if (failure instanceof ApiProblem) {
                    // A refusal (no such member, a bad product): trying again changes nothing.
                    return Future.succeededFuture(new AutomationStore.Outcome(memberId, reason(failure), true));
                }
                // The database or a plugin was down, or too slow: the same idempotency key later gives the one
                // result (a grant that did commit is not made twice).
                return store.memberAttemptFailed(studioId, automationId, fireKey, memberId, reason(failure),
                        MAX_ATTEMPTS).map((AutomationStore.Outcome) null);
            });
        }
    }

    // ---- extensions

    /** The studio's triggers by type (the first plugin to offer a type wins). */
    Future<Map<String, Extensions.Contained<AutomationTrigger>>> triggers(String studioId) {
        return byType(host.extensions().forStudio(studioId, AutomationTrigger.class), AutomationTrigger::type);
    }

    Future<Map<String, Extensions.Contained<AutomationAction>>> actions(String studioId) {
        return byType(host.extensions().forStudio(studioId, AutomationAction.class), AutomationAction::type);
    }

    private Future<Extensions.Contained<AutomationAction>> action(String studioId, String type) {
        return actions(studioId).map(actions -> actions.get(type));
    }

    private static <T> Future<Map<String, Extensions.Contained<T>>> byType(List<Extensions.Contained<T>> extensions,
                                                                           java.util.function.Function<T, String> type) {
        Map<String, Extensions.Contained<T>> byType = new java.util.LinkedHashMap<>();
        Future<Void> done = Future.succeededFuture();
        for (var extension : extensions) {
            done = done.compose(ok -> extension.<String>call("type", x -> Future.succeededFuture(type.apply(x)))
                    .map(name -> {
                        byType.putIfAbsent(name, extension);
                        return (Void) null;
                    })
                    .otherwise((Void) null));
        }
        return done.map(ok -> byType);
    }

    // ---- helpers

    /** The audience of the members with the tag, or of every active member when it is null. */
    static JsonObject tagged(String tag) {
        return new JsonObject().put("tag", tag);
    }

    static JsonObject members(String... memberIds) {
        return new JsonObject().put("memberIds", new JsonArray(List.of((Object[]) memberIds)));
    }

    private static List<String> strings(JsonArray array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add((String) v));
        return out;
    }

    private static String reason(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return message.length() > 500 ? message.substring(0, 500) : message;
    }

    /** The same for the same automation, run and member, short enough for any key column. */
    private static String idempotencyKey(String automationId, String fireKey, String memberId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((automationId + "\n" + fireKey + "\n" + memberId)
                    .getBytes(StandardCharsets.UTF_8));
            return "automations:" + java.util.HexFormat.of().formatHex(hash, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
