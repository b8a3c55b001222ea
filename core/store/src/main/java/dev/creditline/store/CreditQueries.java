package dev.creditline.store;

import dev.creditline.api.Accounts;
import dev.creditline.api.Lot;
import dev.creditline.api.Scheduler;
import dev.creditline.ledger.Balance;
import dev.creditline.ledger.Eligibility;
import dev.creditline.ledger.EligibilityReport;
import dev.creditline.ledger.LotBook;
import dev.creditline.store.CatalogueRepository.Product;
import dev.creditline.store.MemberRepository.Member;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads of a member's credits: the credit view, the eligibility explanation and the credit log. */
public final class CreditQueries {
    /** How far back the credit view lists expirations. */
    static final Duration EXPIRATIONS_SHOWN = Duration.ofDays(366);

    private final MemberRepository members;
    private final LotRepository lots;
    private final JournalRepository journal;
    private final CatalogueRepository catalogue;
    private final BookingRepository bookings;
    private final RedemptionPolicyPort policies;
    private final SubscriptionRepository subscriptions;
    private final UsageLimits usage;

    @Inject
    public CreditQueries(MemberRepository members, LotRepository lots, JournalRepository journal,
                         CatalogueRepository catalogue, BookingRepository bookings, RedemptionPolicyPort policies,
                         SubscriptionRepository subscriptions, UsageLimits usage) {
        this.subscriptions = subscriptions;
        this.usage = usage;
        this.members = members;
        this.lots = lots;
        this.journal = journal;
        this.catalogue = catalogue;
        this.bookings = bookings;
        this.policies = policies;
    }

    /** The member, unless unknown or erased. */
    public Future<Member> member(SqlClient client, StudioContext s, String memberId) {
        return members.find(client, s.id(), memberId).map(member -> {
            if (member == null || member.deletedAt() != null) {
                throw Rejection.notFound("memberId", "member", memberId);
            }
            return member;
        });
    }

    /**
     * The balances of several members (a page of the members list) in one read: for each, the {@code total},
     * {@code available} and {@code unlimitedUntil} its credit view shows.
     */
    public Future<Map<String, Balance>> balances(SqlClient client, StudioContext s, Collection<String> memberIds) {
        if (memberIds.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        return lots.liveOfMembers(client, s.id(), memberIds).map(live -> {
            Map<String, List<Lot>> byMember = new java.util.HashMap<>();
            live.forEach(lot -> byMember.computeIfAbsent(lot.memberId(), m -> new ArrayList<>()).add(lot));
            Map<String, Balance> balances = new java.util.HashMap<>();
            memberIds.forEach(member -> balances.put(member, Balance.of(byMember.getOrDefault(member, List.of()),
                    s.now())));
            return balances;
        });
    }

    /** The member's credit view. */
    public Future<CreditView> credits(SqlClient client, StudioContext s, String memberId) {
        return credits(client, s, memberId, null);
    }

    /**
     * The member's credit view, listing the given account even when the member holds nothing in it (the answer to
     * an adjustment that emptied it).
     */
    public Future<CreditView> credits(SqlClient client, StudioContext s, String memberId, String shownAccount) {
        // Each step's reads go out together (on a connection: one round trip each).
        Instant since = s.now().minus(EXPIRATIONS_SHOWN);
        Future<Member> found = member(client, s, memberId);
        Future<List<Lot>> shown = lots.liveOrExpiredSince(client, s.id(), memberId, since);
        Future<List<String>> usedUp = lots.usedUpProducts(client, s.id(), memberId, s.now());
        return Future.all(found, shown, usedUp).compose(read -> {
            List<Lot> live = shown.result().stream().filter(lot -> lot.remaining() > 0).toList();
            List<Lot> expiring = shown.result().stream()
                    .filter(lot -> lot.expiresAt() != null && !lot.expiresAt().isBefore(since)).toList();
            Set<String> productIds = new LinkedHashSet<>();
            if (shownAccount != null && !Accounts.isMaster(shownAccount)) {
                productIds.add(shownAccount);
            }
            live.forEach(lot -> addProduct(productIds, lot));
            expiring.forEach(lot -> addProduct(productIds, lot));
            productIds.addAll(usedUp.result());
            List<String> expiringIds = expiring.stream().map(Lot::id).toList();
            List<String> unlimitedIds = live.stream().filter(lot -> lot.unlimited() && usable(lot, s.now()))
                    .map(Lot::id).toList();
            Set<String> subscriptionIds = new LinkedHashSet<>();
            live.stream().map(Lot::subscriptionId).filter(java.util.Objects::nonNull).forEach(subscriptionIds::add);
            Future<List<Product>> products = catalogue.products(client, s.id(), productIds);
            Future<Map<String, Integer>> expired = journal.expiredPerLot(client, s.id(), expiringIds);
            Future<Map<String, Map<String, Integer>>> usage = bookings.usageOfLots(client, s.id(), unlimitedIds);

            Future<List<SubscriptionRepository.Subscription>> subs =
                    subscriptions.all(client, s.id(), subscriptionIds);
            Future<List<UsageLimits.Counted>> limits = this.usage.current(client, s, memberId,
                    live.stream().filter(lot -> usable(lot, s.now())).toList(), s.now());
            return Future.all(List.of(products, expired, usage, subs, limits))
                    .compose(all -> schedulerNames(client, s, usage.result(), limits.result(), products.result()))
                    .map(names -> view(s, memberId, live, expiring, expired.result(), products.result(),
                            usage.result(), subs.result(), limits.result()).withSchedulerNames(names));
        });
    }

    /**
     * The names of the schedulers the view names (its usage and usage limits count them, its accounts' credits pay
     * for them), for the person reading them: one read for the whole view.
     */
    private Future<Map<String, String>> schedulerNames(SqlClient client, StudioContext s,
                                                       Map<String, Map<String, Integer>> usage,
                                                       List<UsageLimits.Counted> limits, List<Product> products) {
        Set<String> ids = new LinkedHashSet<>();
        usage.values().forEach(perScheduler -> ids.addAll(perScheduler.keySet()));
        limits.stream().map(l -> l.limit().schedulerId()).filter(java.util.Objects::nonNull).forEach(ids::add);
        products.stream().map(Product::redeemableSchedulerIds).filter(java.util.Objects::nonNull)
                .forEach(ids::addAll);
        if (ids.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        return catalogue.schedulers(client, s.id(), ids).map(found -> {
            Map<String, String> names = new java.util.HashMap<>();
            found.forEach(scheduler -> names.put(scheduler.id(), scheduler.name()));
            return names;
        });
    }

    /**
     * The member's credit view as it stood at {@code asOf}, rebuilt from the journal: balances, lots and expirations
     * then. Usage counts are left out (they count bookings, not entries); subscriptions show their current status.
     */
    public Future<CreditView> creditsAsOf(SqlClient client, StudioContext now, String memberId, Instant asOf) {
        if (asOf.isAfter(now.now())) {
            return Future.failedFuture(Rejection.invalid("asOf", "must not be after the studio's time " + now.now()));
        }
        StudioContext s = now.at(asOf);
        Instant since = asOf.minus(EXPIRATIONS_SHOWN);
        return member(client, s, memberId).compose(member -> {
            if (member.createdAt().isAfter(asOf)) {
                throw Rejection.notFound("asOf", "member", memberId + " at " + asOf + " (created "
                        + member.createdAt() + ")");
            }
            return lots.asOf(client, s.id(), memberId, asOf);
        }).compose(then -> {
            List<Lot> live = then.lots().stream().filter(lot -> lot.remaining() > 0).toList();
            List<Lot> expiring = then.lots().stream().filter(lot -> lot.expiresAt() != null
                    && !lot.expiresAt().isBefore(since)
                    && (lot.remaining() > 0 || then.expired().getOrDefault(lot.id(), 0) > 0)).toList();
            Set<String> productIds = new LinkedHashSet<>();
            // Accounts shown then: those with credits, and those used up by then whose lots had not expired.
            then.lots().stream()
                    .filter(lot -> lot.remaining() > 0 || !then.voided().contains(lot.id()) && !lot.isExpiredAt(asOf))
                    .forEach(lot -> addProduct(productIds, lot));
            expiring.forEach(lot -> addProduct(productIds, lot));
            Set<String> subscriptionIds = new LinkedHashSet<>();
            live.stream().map(Lot::subscriptionId).filter(java.util.Objects::nonNull).forEach(subscriptionIds::add);
            Future<List<Product>> products = catalogue.products(client, s.id(), productIds);
            Future<List<SubscriptionRepository.Subscription>> subs =
                    subscriptions.all(client, s.id(), subscriptionIds);
            return Future.all(products, subs)
                    .compose(all -> schedulerNames(client, s, Map.of(), List.of(), products.result()))
                    .map(names -> view(s, memberId, live, expiring, then.expired(), products.result(), Map.of(),
                            subs.result(), List.of()).withSchedulerNames(names));
        });
    }

    /** Whether a lot pays at this instant by time alone (started, not expired). */
    private static boolean usable(Lot lot, Instant now) {
        return lot.hasStartedAt(now) && !lot.isExpiredAt(now);
    }

    private static void addProduct(Set<String> productIds, Lot lot) {
        if (lot.productId() != null) {
            productIds.add(lot.productId());
        }
    }

    private static CreditView view(StudioContext s, String memberId, List<Lot> live, List<Lot> expiring,
                                   Map<String, Integer> expiredPerLot, List<Product> products,
                                   Map<String, Map<String, Integer>> usage,
                                   List<SubscriptionRepository.Subscription> subs, List<UsageLimits.Counted> limits) {
        List<CreditView.Account> accounts = new ArrayList<>();
        accounts.add(account(s, Accounts.MASTER, "Master Credits", null, live, expiring, expiredPerLot, usage, subs,
                limits));
        products.stream()
                .sorted(Comparator.comparing(Product::name).thenComparing(Product::id))
                .forEach(product -> accounts.add(account(s, product.id(), product.name(),
                        product.redeemableSchedulerIds(), live, expiring, expiredPerLot, usage, subs, limits)));
        // Every lot is in one of the accounts (a product's lots in its product's), so this is their sum.
        Balance all = Balance.of(live, s.now());
        Instant horizon = s.now().plus(java.time.Duration.ofDays(s.warningDays()));
        Map<LocalDate, CreditView.Soon> soon = new TreeMap<>();
        live.stream().filter(lot -> !lot.unlimited() && lot.expiresAt() != null && lot.expiresAt().isAfter(s.now())
                        && !lot.expiresAt().isAfter(horizon))
                .sorted(Comparator.comparing(Lot::expiresAt))
                .forEach(lot -> soon.merge(lot.expiresAt().atZone(s.zone()).toLocalDate(),
                        new CreditView.Soon(lot.expiresAt().atZone(s.zone()).toLocalDate(), lot.free(),
                                lot.expiresAt()),
                        (a, b) -> new CreditView.Soon(a.date(), a.credits() + b.credits(), a.firstExpiresAt())));
        return new CreditView(memberId, all.total(), all.available(), all.unlimitedUntil(), accounts,
                List.copyOf(soon.values()), Map.of());
    }

    private static CreditView.Account account(StudioContext s, String account, String name,
                                              List<String> redeemableSchedulerIds, List<Lot> live,
                                              List<Lot> expiring, Map<String, Integer> expiredPerLot,
                                              Map<String, Map<String, Integer>> usage,
                                              List<SubscriptionRepository.Subscription> subs,
                                              List<UsageLimits.Counted> limits) {
        List<Lot> usable = live.stream()
                .filter(lot -> lot.account().equals(account) && !lot.isExpiredAt(s.now()))
                .sorted(Comparator.comparing(Lot::acquiredAt).thenComparingLong(Lot::seq))
                .toList();
        Balance balance = Balance.of(usable, s.now());
        Map<LocalDate, int[]> byDate = new TreeMap<>();
        for (Lot lot : expiring) {
            if (lot.account().equals(account) && !lot.unlimited()) {
                int[] counts = byDate.computeIfAbsent(lot.expiresAt().atZone(s.zone()).toLocalDate(), d -> new int[2]);
                counts[0] += lot.quantity();
                counts[1] += expiredPerLot.getOrDefault(lot.id(), 0);
            }
        }
        List<CreditView.Expiration> expirations = byDate.entrySet().stream()
                .map(e -> new CreditView.Expiration(e.getKey(), e.getValue()[0], e.getValue()[1]))
                .toList();
        List<Lot> unlimited = usable.stream().filter(lot -> lot.unlimited() && usable(lot, s.now())).toList();
        Map<String, Integer> used = new TreeMap<>();
        unlimited.forEach(lot -> usage.getOrDefault(lot.id(), Map.of()).forEach((scheduler, n) ->
                used.merge(scheduler, n, Integer::sum)));
        List<UsageLimits.Counted> accountLimits = limits.stream().filter(l -> l.productId().equals(account)).toList();
        List<CreditView.Usage> usageRows = used.entrySet().stream()
                .map(e -> new CreditView.Usage(e.getKey(), e.getValue(), accountLimits.stream()
                        .filter(l -> l.limit().counts(e.getKey())).map(l -> l.limit().max())
                        .min(Integer::compare).orElse(null))).toList();
        // The account's subscription: the newest of those its lots came from.
        SubscriptionRepository.Subscription subscription = subs.stream()
                .filter(sub -> sub.productId().equals(account))
                .max(Comparator.comparing(SubscriptionRepository.Subscription::createdAt)).orElse(null);
        return new CreditView.Account(account, name, balance.total(), balance.available(), redeemableSchedulerIds,
                usable, expirations,
                unlimited.stream().anyMatch(lot -> !lot.suspended()),
                unlimited.stream().anyMatch(lot -> !lot.suspended() && !lot.paused()), subscription, usageRows,
                accountLimits);
    }

    /**
     * Why the member can or cannot book the scheduler, lot by lot, for a class that starts at {@code startsAt} (its
     * usage limits count in that class's period; null: now).
     */
    public Future<EligibilityReport> eligibility(SqlClient client, StudioContext s, String memberId,
                                                 Scheduler scheduler, Instant startsAt) {
        Instant classStart = startsAt != null ? startsAt : s.now();
        return member(client, s, memberId)
                .compose(member -> lots.live(client, s.id(), memberId))
                .compose(live -> usage.forBooking(client, s, memberId, live, scheduler.id(), classStart)
                        .compose(counts -> policies.apply(client, s, memberId, scheduler, startsAt,
                                Eligibility.explain(live, scheduler, LotBook.timeOf(s.now(), live), s.order(),
                                        counts))));
    }

    /** Lots with credits left bound to a trainer. */
    public Future<List<Lot>> lotsOfTrainer(SqlClient client, StudioContext s, String trainerId) {
        return lots.ofTrainer(client, s.id(), trainerId);
    }

    /** How many bookings the member holds that are not cancelled. */
    public Future<Long> activeBookings(SqlClient client, StudioContext s, String memberId) {
        return bookings.activeCount(client, s.id(), memberId);
    }

    /**
     * A page of the member's credit log (with the logs of members merged into it), newest first: one item per
     * action.
     */
    public Future<CreditLog.Page> log(SqlClient client, StudioContext s, String memberId, String account,
                                      Instant from, Instant to, JournalRepository.Position below, int limit) {
        return member(client, s, memberId)
                .compose(member -> members.withMerged(client, s.id(), memberId))
                .compose(ids -> journal.actions(client, s.id(), ids, account, from, to, below, limit))
                .compose(page -> withProductNames(client, s, page));
    }

    /** The page with the names of its accounts' products, read in one query. */
    private Future<CreditLog.Page> withProductNames(SqlClient client, StudioContext s, CreditLog.Page page) {
        Set<String> productIds = new LinkedHashSet<>();
        page.items().stream().map(item -> item.last().account()).filter(a -> !Accounts.isMaster(a))
                .forEach(productIds::add);
        return catalogue.products(client, s.id(), productIds).map(found -> {
            Map<String, String> names = new java.util.HashMap<>();
            found.forEach(product -> names.put(product.id(), product.name()));
            return new CreditLog.Page(page.items().stream()
                    .map(item -> item.withProductName(names.get(item.last().account()))).toList(), page.next());
        });
    }

    /** A page of the member's journal entries (with those of members merged into it), newest first: one per lot. */
    public Future<JournalRepository.Page> journal(SqlClient client, StudioContext s, String memberId, String account,
                                                  Instant from, Instant to, JournalRepository.Position below,
                                                  int limit) {
        return member(client, s, memberId)
                .compose(member -> members.withMerged(client, s.id(), memberId))
                .compose(ids -> journal.log(client, s.id(), ids, account, from, to, below, limit));
    }
}
