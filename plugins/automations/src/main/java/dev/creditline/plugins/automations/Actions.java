package dev.creditline.plugins.automations;

import dev.creditline.api.Accounts;
import dev.creditline.api.spi.ApiProblem;
import dev.creditline.api.spi.AutomationAction;
import dev.creditline.api.spi.LedgerService;
import dev.creditline.api.spi.Notification;
import dev.creditline.api.spi.PluginHost;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.Period;
import java.util.List;
import org.pf4j.Extension;

/** The bundled actions: grant credits, add or remove a tag, notify. Each is safe to repeat with the same run. */
final class Actions {

    private Actions() {
    }

    /**
     * {@code grant_credits {account?, amount, expiresAt? | validity?, reason}}: a grant into master credits or a
     * product's account, expiring at a time or a period after the automation fired. The run's idempotency key makes
     * it one grant however often the run is retried.
     */
    @Extension
    public static final class GrantCredits implements AutomationAction {
        private final LedgerService ledger;

        @Inject
        GrantCredits(PluginHost host) {
            this.ledger = host.ledger();
        }

        @Override
        public String type() {
            return "grant_credits";
        }

        @Override
        public List<String> validate(JsonObject parameters) {
            Params p = new Params(parameters, "account", "amount", "expiresAt", "validity", "reason");
            p.text("account", false, 64);
            p.integer("amount", true, 1, 10_000);
            Instant expiresAt = p.instant("expiresAt", false);
            if (expiresAt != null && (expiresAt.isBefore(Instant.parse("2000-01-01T00:00:00Z"))
                    || expiresAt.isAfter(Instant.parse("2200-01-01T00:00:00Z")))) {
                p.problem("expiresAt", "must be a time from 2000 to 2200");
            }
            Period validity = p.period("validity", false);
            if (validity != null && validity.toTotalMonths() * 31 + validity.getDays() > 100 * 366) {
                p.problem("validity", "must be at most a hundred years");
            }
            if (p.has("expiresAt") && p.has("validity")) {
                p.problem("validity", "give either expiresAt or validity");
            }
            p.text("reason", true, 500);
            return p.problems();
        }

        @Override
        public Future<Result> run(Run run) {
            JsonObject p = run.parameters();
            return expiry(run).compose(expiresAt -> ledger.grant(new LedgerService.Grant(run.studioId(),
                            run.memberId(), p.getString("account", Accounts.MASTER), p.getInteger("amount"), expiresAt,
                            "automation:" + run.automationName(), p.getString("reason"), run.idempotencyKey())))
                    .map(lot -> new Result("granted " + lot.quantity() + (lot.quantity() == 1 ? " credit" : " credits")
                            + (lot.expiresAt() == null ? "" : " expiring " + lot.expiresAt())));
        }

        private Future<Instant> expiry(Run run) {
            String fixed = run.parameters().getString("expiresAt");
            String validity = run.parameters().getString("validity");
            if (fixed != null) {
                Instant at = java.time.OffsetDateTime.parse(fixed).toInstant();
                return at.isAfter(run.at()) ? Future.succeededFuture(at)
                        : Future.failedFuture(ApiProblem.invalid("expiresAt", "passed at " + at
                                + ": the automation grants credits that have expired already"));
            }
            if (validity == null) {
                return Future.succeededFuture(null);
            }
            // A period of months ends on the same day of the month in the studio's zone.
            return ledger.studio(run.studioId()).map(studio -> run.at().atZone(studio.zone())
                    .plus(Period.parse(validity)).toInstant());
        }
    }

    /** {@code add_tag {tag}} and {@code remove_tag {tag}}. */
    abstract static class TagAction implements AutomationAction {
        private final LedgerService ledger;
        private final boolean add;

        TagAction(PluginHost host, boolean add) {
            this.ledger = host.ledger();
            this.add = add;
        }

        @Override
        public String type() {
            return add ? "add_tag" : "remove_tag";
        }

        @Override
        public List<String> validate(JsonObject parameters) {
            return Params.tagOnly(parameters);
        }

        @Override
        public Future<Result> run(Run run) {
            String tag = run.parameters().getString("tag");
            return ledger.tagMember(run.studioId(), run.memberId(), tag, add)
                    .map(m -> new Result((add ? "tagged " : "untagged ") + tag));
        }
    }

    @Extension
    public static final class AddTag extends TagAction {
        @Inject
        AddTag(PluginHost host) {
            super(host, true);
        }
    }

    @Extension
    public static final class RemoveTag extends TagAction {
        @Inject
        RemoveTag(PluginHost host) {
            super(host, false);
        }
    }

    /**
     * {@code notify {subject, text}}: a message to the member through the studio's notifiers (email by default);
     * {@code {name}} in either is the member's name. The notification's key is the run's, so a retried run is the
     * same notification.
     */
    @Extension
    public static final class NotifyMember implements AutomationAction {
        private final PluginHost host;

        @Inject
        NotifyMember(PluginHost host) {
            this.host = host;
        }

        @Override
        public String type() {
            return "notify";
        }

        @Override
        public List<String> validate(JsonObject parameters) {
            Params p = new Params(parameters, "subject", "text");
            p.text("subject", true, 200);
            p.text("text", true, 10_000);
            return p.problems();
        }

        @Override
        public Future<Result> run(Run run) {
            return host.ledger().member(run.studioId(), run.memberId()).compose(member -> {
                if (member == null || !member.active()) {
                    return Future.failedFuture(ApiProblem.notFound("memberId", "the member is not active"));
                }
                String name = member.name() == null ? "" : member.name();
                JsonObject data = new JsonObject().put("email", member.email()).put("name", member.name())
                        .put("automationId", run.automationId());
                return host.notifications().send(new Notification(run.studioId(), run.memberId(), "automation",
                                run.parameters().getString("subject").replace("{name}", name),
                                run.parameters().getString("text").replace("{name}", name), data,
                                run.idempotencyKey()))
                        .compose(sent -> sent == 0
                                ? Future.failedFuture(ApiProblem.conflict("no_notifier",
                                        "no notifier is enabled for the studio"))
                                : Future.succeededFuture(new Result(member.email() == null
                                        ? "notified (the member has no email address)" : "notified")));
            });
        }
    }
}
