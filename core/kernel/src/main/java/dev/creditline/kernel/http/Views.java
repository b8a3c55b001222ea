package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.api.EntryType;
import dev.creditline.api.Accounts;
import dev.creditline.api.Lot;
import dev.creditline.api.Money;
import dev.creditline.api.Scheduler;
import dev.creditline.ledger.Allocation;
import dev.creditline.ledger.Balance;
import dev.creditline.ledger.EligibilityReport;
import dev.creditline.ledger.LotEligibility;
import dev.creditline.ledger.PenaltyRule;
import dev.creditline.store.AccountRepository.Session;
import dev.creditline.store.AccountRepository.StaffAccount;
import dev.creditline.store.BookingRepository.Booking;
import dev.creditline.store.CatalogueRepository.Product;
import dev.creditline.store.CatalogueRepository.Trainer;
import dev.creditline.store.CreditLog;
import dev.creditline.store.CreditView;
import dev.creditline.store.JournalEntry;
import dev.creditline.store.MemberRepository.Member;
import dev.creditline.store.OpaqueIds;
import dev.creditline.store.Names;
import dev.creditline.store.StudioRepository.ApiKey;
import dev.creditline.store.StudioRepository.Studio;
import dev.creditline.store.PurchaseRepository.Purchase;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.threeten.extra.PeriodDuration;

/** The JSON shapes of API.md, in one place: every resource is rendered here and only here. */
public final class Views {

    private Views() {
    }

    public static ObjectNode money(Money money) {
        return Json.object().put("amount", money.amount()).put("currency", money.currency().getCurrencyCode());
    }

    static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    static String period(PeriodDuration period) {
        return period == null ? null : period.toString();
    }

    static ArrayNode strings(List<String> values) {
        if (values == null) {
            return null;
        }
        ArrayNode array = Json.array();
        values.forEach(array::add);
        return array;
    }

    /** A list page: {@code {"items":[...],"next":cursor|null}}. */
    public static ObjectNode page(ArrayNode items, String next) {
        ObjectNode page = Json.object();
        page.set("items", items);
        page.put("next", next);
        return page;
    }

    public static ObjectNode trainer(Trainer trainer) {
        return Json.object().put("id", trainer.id()).put("name", trainer.name()).put("active", trainer.active())
                .put("createdAt", time(trainer.createdAt()));
    }

    public static ObjectNode scheduler(Scheduler s) {
        ObjectNode node = Json.object().put("id", s.id()).put("name", s.name()).put("creditCost", s.creditCost())
                .put("paymentMode", s.paymentMode().wireName()).put("trainerId", s.trainerId())
                .put("cancellationWindow", period(s.cancellationWindow()));
        node.set("price", s.price() == null ? null : money(s.price()));
        return node;
    }

    public static ObjectNode product(Product p) {
        ObjectNode node = Json.object().put("id", p.id()).put("version", p.version()).put("active", p.active())
                .put("name", p.name()).put("kind", p.kind().wireName());
        if (p.unlimited()) {
            node.put("credits", "unlimited");
        } else {
            node.put("credits", p.credits());
        }
        node.set("price", money(p.price()));
        node.put("validity", period(p.validity()))
                .put("validityStart", p.validityStart().wireName())
                .put("billingInterval", period(p.billingInterval()));
        node.set("redeemableSchedulerIds", strings(p.redeemableSchedulerIds()));
        node.put("trainerId", p.trainerId());
        node.set("usageLimits", Json.tree(p.usageLimits().encode()));
        if (p.rolloverMax() != null) {
            node.put("rolloverMax", p.rolloverMax());
        }
        node.put("createdAt", time(p.createdAt()));
        return node;
    }

    public static ObjectNode member(Member m) {
        ObjectNode node = Json.object().put("id", m.id()).put("name", m.name()).put("email", m.email())
                .put("externalId", m.externalId());
        node.set("tags", strings(m.tags()));
        node.put("createdAt", time(m.createdAt())).put("updatedAt", time(m.updatedAt()));
        if (m.mergedInto() != null) {
            node.put("mergedInto", m.mergedInto());
        }
        return node;
    }

    /**
     * A member as the members list shows it: with {@code credits}, the {@code total}, {@code available} and
     * {@code unlimitedUntil} of the member's credit view.
     */
    public static ObjectNode listedMember(Member m, Balance balance) {
        ObjectNode node = member(m);
        node.putObject("credits").put("total", balance.total()).put("available", balance.available())
                .put("unlimitedUntil", time(balance.unlimitedUntil()));
        return node;
    }

    public static ObjectNode lot(Lot lot) {
        return lot(lot, null);
    }

    /** A lot with the name of the product it holds credits of ({@code productName}; null for master credits). */
    public static ObjectNode lot(Lot lot, String productName) {
        ObjectNode node = Json.object().put("id", lot.id()).put("account", lot.account())
                .put("productName", productName);
        if (lot.unlimited()) {
            node.put("remaining", "unlimited").put("quantity", "unlimited").put("held", 0)
                    .put("available", "unlimited");
        } else {
            node.put("remaining", lot.remaining()).put("quantity", lot.quantity()).put("held", lot.held())
                    .put("available", lot.free());
        }
        return node.put("acquiredAt", time(lot.acquiredAt()))
                .put("validFrom", time(lot.validFrom()))
                .put("expiresAt", time(lot.expiresAt()))
                .put("validity", period(lot.validity()))
                .put("validityStart", lot.validityStart().wireName())
                .put("paused", lot.paused())
                .put("category", lot.category().wireName())
                .put("purchaseId", lot.purchaseId())
                .put("trainerId", lot.trainerId());
    }

    private static ArrayNode lots(List<Lot> lots, String productName) {
        ArrayNode array = Json.array();
        lots.forEach(lot -> array.add(lot(lot, productName)));
        return array;
    }

    public static ObjectNode credits(CreditView view) {
        ObjectNode node = Json.object().put("memberId", view.memberId()).put("total", view.total())
                .put("available", view.available()).put("unlimitedUntil", time(view.unlimitedUntil()));
        ArrayNode accounts = node.putArray("accounts");
        view.accounts().forEach(account -> accounts.add(account(view, account)));
        ArrayNode soon = node.putArray("expiringSoon");
        view.expiringSoon().forEach(s -> soon.add(Json.object().put("date", s.date().toString())
                .put("credits", s.credits()).put("expiresAt", time(s.firstExpiresAt()))));
        return node;
    }

    /** One account of a view (the view knows the names of the schedulers it counts). */
    public static ObjectNode account(CreditView view, CreditView.Account account) {
        ObjectNode node = Json.object().put("account", account.account()).put("name", account.name());
        if (account.unlimited()) {
            node.put("balance", "unlimited");
        } else {
            node.put("balance", account.balance());
        }
        if (account.availableUnlimited()) {
            node.put("available", "unlimited");
        } else {
            node.put("available", account.available());
        }
        // Credits bookings hold: out of the balance until their classes are certain.
        node.put("held", account.lots().stream().mapToInt(Lot::held).sum());
        node.set("redeemableSchedulerIds", strings(account.redeemableSchedulerIds()));
        // The same schedulers with their names, for a reader who cannot list schedulers (an athlete).
        if (account.redeemableSchedulerIds() == null) {
            node.putNull("redeemableSchedulers");
        } else {
            ArrayNode redeemable = node.putArray("redeemableSchedulers");
            account.redeemableSchedulerIds().forEach(id -> redeemable.add(Json.object().put("id", id)
                    .put("name", view.schedulerName(id))));
        }
        if (account.subscription() != null) {
            var sub = account.subscription();
            node.put("subscriptionId", sub.id()).put("subscriptionStatus", sub.status().wireName())
                    .put("periodEndsAt", time(sub.periodEnd())).put("cancelAtPeriodEnd", sub.cancelAtPeriodEnd());
            ArrayNode usage = node.putArray("usage");
            for (CreditView.Usage u : account.usage()) {
                ObjectNode row = Json.object().put("schedulerId", u.schedulerId())
                        .put("schedulerName", view.schedulerName(u.schedulerId())).put("used", u.used());
                if (u.limit() == null) {
                    row.put("limit", "unlimited");
                } else {
                    row.put("limit", u.limit());
                }
                usage.add(row);
            }
        }
        node.set("lots", lots(account.lots(), Accounts.isMaster(account.account()) ? null : account.name()));
        if (!account.usageLimits().isEmpty()) {
            ArrayNode limits = node.putArray("usageLimits");
            for (var counted : account.usageLimits()) {
                limits.add(Json.object().put("schedulerId", counted.limit().schedulerId())
                        .put("schedulerName", view.schedulerName(counted.limit().schedulerId()))
                        .put("max", counted.limit().max()).put("per", counted.limit().per().toString())
                        .put("used", counted.used()).put("periodStart", time(counted.window().from()))
                        .put("periodEnd", time(counted.window().to())));
            }
        }
        ArrayNode expirations = node.putArray("expirations");
        account.expirations().forEach(e -> expirations.add(Json.object().put("date", e.date().toString())
                .put("expired", e.expired()).put("issued", e.issued())));
        return node;
    }

    /** A purchase; {@code names} gives {@code memberName} and {@code productName} (its lots' too). */
    public static ObjectNode purchase(Purchase p, List<Lot> lots, Names.Found names) {
        ObjectNode node = Json.object().put("id", p.id()).put("memberId", p.memberId())
                .put("memberName", names.member(p.memberId()))
                .put("productId", p.productId()).put("productName", names.product(p.productId()))
                .put("productVersion", p.productVersion())
                .put("status", p.status().name().toLowerCase(Locale.ROOT)).put("payment", p.payment());
        node.set("price", money(p.price()));
        node.set("amountPaid", p.amountPaid() == null ? null : money(p.amountPaid()));
        node.put("voucherCode", p.voucherCode()).put("createdAt", time(p.createdAt()));
        if (p.checkoutUrl() != null) {
            node.put("checkoutUrl", p.checkoutUrl());
        }
        node.put("refundDue", p.refundDue());
        if (p.refundedAt() != null) {
            node.put("refundedAt", time(p.refundedAt()));
            node.set("refundAmount", p.refundAmount() == null ? null : money(p.refundAmount()));
        }
        if (lots != null) {
            node.set("lots", lots(lots, names.product(p.productId())));
        }
        return node;
    }

    /**
     * A booking with {@code memberName} (from {@code names}) and {@code schedulerName} (the scheduler's name when
     * it was booked), also on each allocation.
     */
    public static ObjectNode booking(Booking b, Names.Found names) {
        ObjectNode node = Json.object().put("id", b.id()).put("memberId", b.memberId())
                .put("memberName", names.member(b.memberId()))
                .put("schedulerId", b.schedulerId()).put("schedulerName", b.schedulerName())
                .put("startsAt", time(b.startsAt()))
                .put("status", b.status().name().toLowerCase(Locale.ROOT)).put("payWith", b.payWith())
                .put("cost", b.cost()).put("cancelBy", time(b.cancelBy())).put("createdAt", time(b.createdAt()));
        ArrayNode allocations = node.putArray("allocations");
        for (Allocation a : b.allocations()) {
            allocations.add(Json.object().put("lotId", a.lotId()).put("account", a.account())
                    .put("credits", a.credits()).put("held", b.holding() && a.credits() > 0)
                    .put("schedulerId", b.schedulerId()).put("schedulerName", b.schedulerName()));
        }
        node.put("postedAt", time(b.postedAt())).put("checkedInAt", time(b.checkedInAt()));
        if (b.status() != dev.creditline.store.BookingRepository.Status.BOOKED) {
            node.put("refunded", b.refunded());
        }
        if (b.cancelledAt() != null) {
            node.put("cancelledAt", time(b.cancelledAt()));
        }
        var penalty = b.penalty();
        if (penalty != null) {
            ObjectNode p = node.putObject("penalty").put("kind", penalty.kind() == PenaltyRule.Kind.NO_SHOW
                            ? "no_show" : "late_cancel")
                    .put("outcome", penalty.outcome().name().toLowerCase(Locale.ROOT))
                    .put("forfeited", penalty.credits()).put("at", time(penalty.at()));
            if (penalty.waived()) {
                p.putObject("waived").put("at", time(penalty.waivedAt())).put("by", penalty.waivedBy())
                        .put("reason", penalty.waiveReason());
            } else {
                p.putNull("waived");
            }
        }
        return node;
    }

    public static ObjectNode eligibility(EligibilityReport report) {
        ObjectNode node = Json.object().put("schedulerId", report.schedulerId())
                .put("schedulerName", report.schedulerName()).put("canBook", report.canBook())
                .put("cost", report.cost()).put("creditsAccepted", report.creditsAccepted())
                .put("available", report.available());
        ArrayNode lots = node.putArray("lots");
        for (LotEligibility e : report.lots()) {
            ObjectNode lot = Json.object().put("lotId", e.lot().id()).put("account", e.lot().account())
                    .put("eligible", e.eligible());
            if (e.lot().unlimited()) {
                lot.put("remaining", "unlimited");
            } else {
                lot.put("remaining", e.lot().remaining()).put("held", e.lot().held());
            }
            lot.put("expiresAt", time(e.lot().expiresAt()));
            ArrayNode reasons = lot.putArray("reasons");
            e.codes().forEach(reasons::add);
            lots.add(lot);
        }
        node.put("shortBy", report.shortBy());
        return node;
    }

    /**
     * A journal entry for auditors, one per lot changed; one of an unlimited lot shows its delta as
     * {@code +unlimited} or {@code -unlimited} (a booking it paid: {@code 0}).
     */
    public static ObjectNode journalEntry(String studioId, JournalEntry e, boolean unlimited) {
        String amount = unlimited && e.delta() != 0 ? "unlimited" : Integer.toString(Math.abs(e.delta()));
        return Json.object().put("id", OpaqueIds.entryId(studioId, e.seq())).put("at", time(e.at()))
                .put("delta", (e.delta() > 0 ? "+" : e.delta() < 0 ? "-" : "") + amount)
                .put("type", e.type().wireName()).put("description", e.description()).put("reason", e.reason())
                .put("actor", e.actor()).put("account", e.account()).put("lotId", e.lotId())
                .put("balanceAfter", e.balanceAfter()).put("held", e.held()).put("memberId", e.memberId())
                .put("bookingId", e.bookingId()).put("purchaseId", e.purchaseId())
                .put("idempotencyKey", e.idempotencyKey());
    }

    /**
     * A credit log item: one action on one account as a coach reads it ("-3 Credits | Redeemed for Workshop"), with
     * the lots it touched and the account's balance after it ({@code unlimited} while an unlimited period pays), and
     * the names and ids a client words it from in its own language ({@code type}, {@code productName},
     * {@code schedulerName}, {@code counterpartMemberId}) instead of the English {@code description}.
     */
    public static ObjectNode logItem(String studioId, CreditLog.Item item) {
        JournalEntry last = item.last();
        List<JournalEntry> entries = item.inOrder();
        ObjectNode node = Json.object().put("id", OpaqueIds.entryId(studioId, last.seq()))
                .put("at", time(last.at()))
                .put("delta", item.amount()).put("type", last.type().wireName())
                .put("description", last.description()).put("reason", last.reason()).put("actor", last.actor())
                .put("account", last.account()).put("lotId", entries.get(0).lotId());
        // While an unlimited period pays, its account's balance reads "unlimited"; its end is a number again.
        boolean periodOver = last.type() == EntryType.PERIOD_ENDED || last.type() == EntryType.EXPIRED;
        if (item.unlimited() && item.unlimitedLots().contains(last.lotId()) && !periodOver) {
            node.put("balanceAfter", "unlimited").put("unlimited", true);
        } else {
            node.put("balanceAfter", last.balanceAfter());
            if (item.unlimited()) {
                node.put("unlimited", true);
            }
        }
        node.put("memberId", last.memberId()).put("bookingId", last.bookingId())
                .put("purchaseId", last.purchaseId()).put("schedulerName", item.schedulerName())
                .put("productName", item.productName()).put("counterpartMemberId", item.counterpartMemberId());
        ArrayNode lots = node.putArray("lots");
        for (JournalEntry e : entries) {
            lots.add(Json.object().put("lotId", e.lotId()).put("delta", item.amount(e)));
        }
        return node;
    }

    /** The caller's studio as {@code GET /v1/studio} shows it (with its effective consumption order). */
    public static ObjectNode studio(Studio studio) {
        return Json.object().put("id", studio.id()).put("name", studio.name())
                .put("timezone", studio.zone().getId()).put("currency", studio.currency().getCurrencyCode())
                .put("testMode", studio.testMode())
                .put("consumptionOrder", studio.order().name().toLowerCase(Locale.ROOT));
    }

    /**
     * A view with its {@code penalty} setting: a studio's spelled out (the default without one), a scheduler's own or
     * null (the studio's applies).
     */
    public static ObjectNode withPenalty(ObjectNode view, String json, boolean orDefault) {
        String shown = json != null ? json : orDefault
                ? dev.creditline.store.PenaltySettings.json(PenaltyRule.DEFAULT).encode() : null;
        view.set("penalty", shown == null ? null : Json.tree(shown));
        return view;
    }

    /** The studio as its athletes see it ({@code GET /v1/me/studio}): what to show dates and money in. */
    public static ObjectNode studioForAthlete(Studio studio) {
        return Json.object().put("name", studio.name()).put("timezone", studio.zone().getId())
                .put("currency", studio.currency().getCurrencyCode());
    }

    /** An API key as its owner sees it: never the secret, only its start ({@code clk_std_5kq2….yOO9…}). */
    public static ObjectNode apiKey(ApiKey key) {
        return Json.object().put("id", key.id()).put("role", key.role().wireName()).put("name", key.name())
                .put("memberId", key.memberId())
                .put("prefix", key.prefix() == null ? null : key.prefix() + "…")
                .put("createdAt", time(key.createdAt())).put("lastUsedAt", time(key.lastUsedAt()))
                .put("revokedAt", time(key.revokedAt()));
    }

    /** A staff account as the owner sees it: never its password or its hash. */
    public static ObjectNode staffAccount(StaffAccount account) {
        return Json.object().put("id", account.id()).put("email", account.email()).put("name", account.name())
                .put("role", account.role().wireName())
                .put("status", account.status().name().toLowerCase(Locale.ROOT))
                .put("createdAt", time(account.createdAt())).put("activatedAt", time(account.activatedAt()))
                .put("disabledAt", time(account.disabledAt()));
    }

    /**
     * Who is signed in with a session: role, studio, name, the CSRF token writes send, and when the session ends
     * unless used again ({@code expiresAt}).
     */
    public static ObjectNode session(Session session, Studio studio, String csrfToken, Instant endsAt) {
        ObjectNode node = Json.object().put("role", session.role().wireName());
        node.set("studio", studio(studio));
        return node.put("name", session.name()).put("email", session.email())
                .put("accountId", session.accountId()).put("memberId", session.memberId())
                .put("csrfToken", csrfToken).put("expiresAt", time(endsAt));
    }
}
