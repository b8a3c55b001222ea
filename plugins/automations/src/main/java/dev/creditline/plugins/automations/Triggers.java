package dev.creditline.plugins.automations;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.creditline.api.Accounts;
import dev.creditline.api.spi.AutomationTrigger;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * The bundled triggers. Each answers for the events the engine makes of what happens in a studio: member events
 * ({@code member_created}, {@code member_tagged}, {@code member_untagged}), journal entries ({@code
 * purchase_completed}, {@code balance_changed}), and time ({@code schedule}, {@code lot_expiring}).
 */
final class Triggers {
    static final String SCHEDULE = "schedule";
    static final String LOT_EXPIRING = "lot_expiring";

    private Triggers() {
    }

    /** {@code member_created}: a member joins the studio. */
    @Extension
    public static final class MemberCreated implements AutomationTrigger {
        @Inject
        MemberCreated() {
        }

        @Override
        public String type() {
            return "member_created";
        }

        @Override
        public List<String> validate(JsonObject parameters) {
            return new Params(parameters).problems();
        }

        @Override
        public Future<Boolean> fires(Event event, JsonObject parameters) {
            return Future.succeededFuture(event.type().equals("member_created"));
        }
    }

    /** {@code member_tagged {tag}} and {@code member_untagged {tag}}: the tag is added to or removed from a member. */
    abstract static class TagTrigger implements AutomationTrigger {
        private final String type;

        TagTrigger(String type) {
            this.type = type;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public List<String> validate(JsonObject parameters) {
            return Params.tagOnly(parameters);
        }

        @Override
        public Future<Boolean> fires(Event event, JsonObject parameters) {
            return Future.succeededFuture(event.type().equals(type)
                    && parameters.getString("tag").equals(event.data().getString("tag")));
        }
    }

    /** A member gets the tag (also when created with it). */
    @Extension
    public static final class MemberTagged extends TagTrigger {
        @Inject
        MemberTagged() {
            super("member_tagged");
        }
    }

    @Extension
    public static final class MemberUntagged extends TagTrigger {
        @Inject
        MemberUntagged() {
            super("member_untagged");
        }
    }

    /** {@code purchase_completed {productId?}}: a purchase's credits arrive (of the product, when given). */
    @Extension
    public static final class PurchaseCompleted implements AutomationTrigger {
        @Inject
        PurchaseCompleted() {
        }

        @Override
        public String type() {
            return "purchase_completed";
        }

        @Override
        public List<String> validate(JsonObject parameters) {
            Params p = new Params(parameters, "productId");
            p.text("productId", false, 64);
            return p.problems();
        }

        @Override
        public Future<Boolean> fires(Event event, JsonObject parameters) {
            String product = parameters.getString("productId");
            return Future.succeededFuture(event.type().equals("purchase_completed")
                    && (product == null || product.equals(event.data().getString("productId"))));
        }
    }

    /**
     * {@code balance_below {threshold, account?}}: an account's balance falls below the threshold (it was at or above
     * it before the entry), so a member running low hears of it once per fall, not at every booking after.
     */
    @Extension
    public static final class BalanceBelow implements AutomationTrigger {
        @Inject
        BalanceBelow() {
        }

        @Override
        public String type() {
            return "balance_below";
        }

        @Override
        public List<String> validate(JsonObject parameters) {
            Params p = new Params(parameters, "threshold", "account");
            p.integer("threshold", true, 1, 1_000_000);
            p.text("account", false, 64);
            return p.problems();
        }

        @Override
        public Future<Boolean> fires(Event event, JsonObject parameters) {
            if (!event.type().equals("balance_changed")) {
                return Future.succeededFuture(false);
            }
            int threshold = parameters.getInteger("threshold");
            String account = parameters.getString("account", Accounts.MASTER);
            JsonObject d = event.data();
            return Future.succeededFuture(account.equals(d.getString("account"))
                    && d.getInteger("balanceBefore") >= threshold && d.getInteger("balanceAfter") < threshold);
        }
    }

    /** {@code lot_expiring {withinDays, account?}}: a lot with credits left expires within the days. */
    @Extension
    public static final class LotExpiring implements AutomationTrigger {
        @Inject
        LotExpiring() {
        }

        @Override
        public String type() {
            return LOT_EXPIRING;
        }

        @Override
        public List<String> validate(JsonObject parameters) {
            Params p = new Params(parameters, "withinDays", "account");
            p.integer("withinDays", true, 1, 366);
            p.text("account", false, 64);
            return p.problems();
        }

        @Override
        public Future<Boolean> fires(Event event, JsonObject parameters) {
            if (!event.type().equals(LOT_EXPIRING)) {
                return Future.succeededFuture(false);
            }
            String account = parameters.getString("account");
            Instant expiresAt = Instant.parse(event.data().getString("expiresAt"));
            return Future.succeededFuture((account == null || account.equals(event.data().getString("account")))
                    && expiresAt.isAfter(event.at())
                    && !expiresAt.isAfter(event.at().plus(Duration.ofDays(parameters.getInteger("withinDays")))));
        }
    }

    /**
     * {@code schedule}: at the due times of a Unix cron expression ({@code "cron":"0 9 * * MON"}) or of an ISO period
     * from a start ({@code "every":"P1W","at":"09:00","startsOn?":"2026-12-07"}), in the studio's time zone; for the
     * members with {@code tag}, or every active member. A due time fires once; after an outage only the latest
     * missed due time fires (a weekly promotion is not granted three times over).
     */
    @Extension
    public static final class Schedule implements AutomationTrigger {
        private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

        @Inject
        Schedule() {
        }

        @Override
        public String type() {
            return SCHEDULE;
        }

        @Override
        public List<String> validate(JsonObject parameters) {
            Params p = new Params(parameters, "cron", "every", "at", "startsOn", "tag");
            p.text("tag", false, 64);
            String cron = p.text("cron", false, 100);
            if (p.has("cron") == p.has("every")) {
                p.problem(p.has("cron") ? "every" : "cron", "give either cron or every");
            } else if (cron != null) {
                try {
                    ExecutionTime times = ExecutionTime.forCron(CRON.parse(cron).validate());
                    // An expression that never matches (0 0 30 2 *) would never fire: refuse it.
                    ZonedDateTime from = ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 0, java.time.ZoneOffset.UTC);
                    if (times.nextExecution(from).filter(next -> next.isBefore(from.plusYears(10))).isEmpty()) {
                        p.problem("cron", "never comes due");
                    }
                } catch (RuntimeException e) {
                    p.problem("cron", "is not a cron expression (minute hour day-of-month month day-of-week): "
                            + e.getMessage());
                }
            } else if (!p.has("cron")) {
                Period every = p.period("every", true);
                if (every != null && every.toTotalMonths() * 31 + every.getDays() > 10 * 366) {
                    p.problem("every", "must be at most ten years");
                }
                if (!p.has("at")) {
                    p.problem("at", "is required with every (a time of day, e.g. 09:00)");
                }
            }
            if (p.has("cron") && (p.has("at") || p.has("startsOn"))) {
                p.problem(p.has("at") ? "at" : "startsOn", "goes with every, not with cron");
            }
            p.time("at", false);
            LocalDate startsOn = p.date("startsOn", false);
            if (startsOn != null && (startsOn.getYear() < 2000 || startsOn.getYear() > 2100)) {
                p.problem("startsOn", "must be a date from 2000 to 2100");
            }
            return p.problems();
        }

        /** The event of a due time, made by the engine: it fires. */
        @Override
        public Future<Boolean> fires(Event event, JsonObject parameters) {
            return Future.succeededFuture(event.type().equals(SCHEDULE));
        }

        /**
         * The latest due time at or before {@code now} and after {@code createdAt} (an automation does not fire for
         * times before it existed), if there is one.
         */
        static Optional<Instant> lastDue(JsonObject parameters, ZoneId zone, Instant createdAt, Instant now) {
            Optional<Instant> due = parameters.getString("cron") != null
                    ? lastCron(parameters.getString("cron"), zone, now)
                    : lastOfPeriod(parameters, zone, createdAt, now);
            return due.filter(at -> at.isAfter(createdAt) && !at.isAfter(now));
        }

        private static Optional<Instant> lastCron(String expression, ZoneId zone, Instant now) {
            ExecutionTime times = ExecutionTime.forCron(CRON.parse(expression));
            // Cron due times are whole minutes: 09:00:30 is still the 09:00 due time (one fire key per due time).
            ZonedDateTime at = ZonedDateTime.ofInstant(now, zone).truncatedTo(ChronoUnit.MINUTES);
            // lastExecution is strictly before its argument; a due time of exactly this minute counts.
            return times.isMatch(at) ? Optional.of(at.toInstant())
                    : times.lastExecution(at).map(ZonedDateTime::toInstant);
        }

        /** The due times are start + k × every (k = 0, 1, ...): found by bisection, months and DST included. */
        private static Optional<Instant> lastOfPeriod(JsonObject parameters, ZoneId zone, Instant createdAt,
                                                      Instant now) {
            Period every = Period.parse(parameters.getString("every"));
            LocalTime at = LocalTime.parse(parameters.getString("at"));
            LocalDate startsOn = Optional.ofNullable(parameters.getString("startsOn")).map(LocalDate::parse)
                    .orElse(LocalDate.ofInstant(createdAt, zone));
            LocalDateTime start = LocalDateTime.of(startsOn, at);
            if (due(start, every, 0, zone).isAfter(now)) {
                return Optional.empty();
            }
            long low = 0;
            long high = 1;
            while (!due(start, every, high, zone).isAfter(now)) {
                low = high;
                high *= 2;
            }
            while (high - low > 1) {
                long mid = (low + high) >>> 1;
                if (due(start, every, mid, zone).isAfter(now)) {
                    high = mid;
                } else {
                    low = mid;
                }
            }
            return Optional.of(due(start, every, low, zone));
        }

        private static Instant due(LocalDateTime start, Period every, long k, ZoneId zone) {
            Period step = Period.of(Math.toIntExact(every.getYears() * k), Math.toIntExact(every.getMonths() * k),
                    Math.toIntExact(every.getDays() * k));
            return start.plus(step).atZone(zone).toInstant();
        }
    }

    /** Whom a trigger's automation runs for when it is run on demand without naming members: its tag, if any. */
    static String tagOf(String triggerType, JsonObject parameters) {
        // Not member_untagged: those with the tag are the members it is not for.
        return triggerType.equals("member_tagged") ? parameters.getString("tag") : null;
    }

    /** Triggers that actions can set off (an add_tag fires member_tagged), so automations could go round. */
    static boolean isTagTrigger(String triggerType) {
        return Objects.equals(triggerType, "member_tagged") || Objects.equals(triggerType, "member_untagged");
    }

    /** The events each bundled trigger fires on; asking it about any other would only cost a contained call. */
    private static final java.util.Map<String, String> EVENT_OF = java.util.Map.of("member_created", "member_created",
            "member_tagged", "member_tagged", "member_untagged", "member_untagged",
            "purchase_completed", "purchase_completed", "balance_below", "balance_changed",
            LOT_EXPIRING, LOT_EXPIRING, SCHEDULE, SCHEDULE);

    /** Whether a bundled trigger of the type could fire on an event of the type. */
    static boolean mayFire(String triggerType, String eventType) {
        String event = EVENT_OF.get(triggerType);
        return event == null || event.equals(eventType);
    }

    static boolean isTimeDriven(String triggerType) {
        return Objects.equals(triggerType, SCHEDULE) || Objects.equals(triggerType, LOT_EXPIRING);
    }
}
