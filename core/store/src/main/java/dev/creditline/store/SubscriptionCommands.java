package dev.creditline.store;

import dev.creditline.api.EntryType;
import dev.creditline.api.Lot;
import dev.creditline.api.LotCategory;
import dev.creditline.api.Money;
import dev.creditline.api.SubscriptionStatus;
import dev.creditline.api.ValidityStart;
import dev.creditline.api.spi.PaymentProvider;
import dev.creditline.ledger.Descriptions;
import dev.creditline.ledger.EntryDraft;
import dev.creditline.ledger.LotBook;
import dev.creditline.ledger.Validity;
import dev.creditline.store.CatalogueRepository.Product;
import dev.creditline.store.PurchaseRepository.Purchase;
import dev.creditline.store.PurchaseRepository.Status;
import dev.creditline.store.SubscriptionRepository.Subscription;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Subscriptions in the ledger: each billing period that is paid issues its credits once (a top-up of the product's
 * credits, or one unlimited lot valid for the period), with a purchase of its own; the subscription's status decides
 * whether its lots may pay. A payment provider reports payments and status changes; a subscription added without
 * payment is renewed here at the end of each period. Every command runs in the caller's transaction with the member
 * locked.
 */
public final class SubscriptionCommands {
    /**
     * A billing period paid at the provider.
     *
     * @param subscriptionId the subscription, or null to find it by the purchase that started it
     * @param purchaseId     the purchase that started it, or null
     * @param reference      the provider's id of the subscription, recorded when first learned; or null
     * @param amountPaid     what the period cost, after discounts: the cost basis of its credits
     * @param paymentRef     the provider's id of the payment (an invoice), or null
     */
    public record PeriodPaid(String subscriptionId, String purchaseId, String reference, Instant periodStart,
                             Instant periodEnd, Money amountPaid, String paymentRef) {
    }

    /**
     * A subscription after a paid period.
     *
     * @param purchaseId the purchase that paid the period
     */
    public record Paid(Subscription subscription, String purchaseId) {
    }

    /**
     * The provider's view of a subscription.
     *
     * @param status      its status, or null to keep the recorded one
     * @param periodStart the current period's start, or null to keep the recorded one
     */
    public record Update(String subscriptionId, String purchaseId, String reference, SubscriptionStatus status,
                         Instant periodStart, Instant periodEnd, Boolean cancelAtPeriodEnd) {
    }

    private final LedgerWrites writes;
    private final LotRepository lots;
    private final CatalogueRepository catalogue;
    private final PurchaseRepository purchases;
    private final SubscriptionRepository subscriptions;
    private final PaymentPort payments;

    @Inject
    public SubscriptionCommands(LedgerWrites writes, LotRepository lots, CatalogueRepository catalogue,
                                PurchaseRepository purchases, SubscriptionRepository subscriptions,
                                PaymentPort payments) {
        this.writes = writes;
        this.lots = lots;
        this.catalogue = catalogue;
        this.purchases = purchases;
        this.subscriptions = subscriptions;
        this.payments = payments;
    }

    /**
     * Starts the subscription that a completed purchase added without charging or paid outside Creditline bought:
     * active at once, its first period from now, that period's credits issued. The kernel renews it (see
     * {@link #renew}). The member is locked and the purchase written already.
     */
    public Future<List<Lot>> startUnpaid(SqlConnection c, StudioContext s, Actor actor, Purchase purchase,
                                         Product product, Money cost, String idempotencyKey) {
        Instant start = s.now();
        Instant end = Validity.end(start, product.billingInterval(), s.zone());
        Subscription sub = new Subscription(Ids.next("sub"), purchase.memberId(), product.id(), product.version(),
                purchase.id(), purchase.payment(), null, SubscriptionStatus.ACTIVE, start, end, false, null, s.now(),
                s.now());
        return subscriptions.insert(c, s.id(), sub)
                .compose(done -> issuePeriod(c, s, actor, sub, product, purchase, start, end, cost, idempotencyKey));
    }

    /** Records a pending subscription for a purchase through a payment provider; its first payment starts it. */
    public Future<Subscription> startPending(SqlConnection c, StudioContext s, Purchase purchase, Product product) {
        Subscription sub = new Subscription(Ids.next("sub"), purchase.memberId(), product.id(), product.version(),
                purchase.id(), purchase.payment(), null, SubscriptionStatus.PENDING, null, null, false, null, s.now(),
                s.now());
        return subscriptions.insert(c, s.id(), sub).map(sub);
    }

    /**
     * A period paid at the provider: its credits arrive once (a second report of the same period changes nothing);
     * the first period completes the purchase that started the subscription, later ones are purchases of their own.
     * A paid period makes a pending or past-due subscription active.
     */
    public Future<Paid> periodPaid(SqlConnection c, StudioContext s, String payment, PeriodPaid paid) {
        if (!paid.periodEnd().isAfter(paid.periodStart())) {
            return Future.failedFuture(Rejection.invalid("periodEnd", "must be after periodStart"));
        }
        return locked(c, s, payment, paid.subscriptionId(), paid.purchaseId(), paid.reference()).compose(sub ->
                purchases.ofPeriod(c, s.id(), sub.id(), paid.periodStart()).compose(earlier -> {
                    if (earlier != null) {
                        return Future.succeededFuture(new Paid(sub, earlier.id()));
                    }
                    return catalogue.productVersion(c, s.id(), sub.productId(), sub.productVersion())
                            .compose(product -> {
                                requireCurrency(paid.amountPaid(), product.price());
                                SubscriptionStatus status = sub.status() == SubscriptionStatus.PENDING
                                        || sub.status() == SubscriptionStatus.PAST_DUE
                                        ? SubscriptionStatus.ACTIVE : sub.status();
                                boolean newer = sub.periodEnd() == null || paid.periodEnd().isAfter(sub.periodEnd());
                                Subscription next = withReference(sub, paid.reference()).with(status,
                                        newer ? paid.periodStart() : sub.periodStart(),
                                        newer ? paid.periodEnd() : sub.periodEnd(), sub.cancelAtPeriodEnd(), s.now());
                                return periodPurchase(c, s, sub, product, paid)
                                        .compose(purchase -> subscriptions.update(c, s.id(), next)
                                                .compose(done -> issuePeriod(c, s, Actor.SYSTEM, next, product,
                                                        purchase, paid.periodStart(), paid.periodEnd(),
                                                        paid.amountPaid(), null))
                                                .compose(issued -> applyStatus(c, s, next))
                                                .map(new Paid(next, purchase.id())));
                            });
                }));
    }

    /** The provider's view of a subscription: status, current period and cancellation at its end. */
    public Future<Subscription> update(SqlConnection c, StudioContext s, String payment, Update update) {
        return locked(c, s, payment, update.subscriptionId(), update.purchaseId(), update.reference())
                .compose(sub -> {
                    // A period reported late (an older event) never moves the current period back.
                    boolean newer = update.periodEnd() != null
                            && (sub.periodEnd() == null || update.periodEnd().isAfter(sub.periodEnd()));
                    Subscription next = withReference(sub, update.reference()).with(
                            update.status() != null ? update.status() : sub.status(),
                            newer && update.periodStart() != null ? update.periodStart() : sub.periodStart(),
                            newer ? update.periodEnd() : sub.periodEnd(),
                            update.cancelAtPeriodEnd() != null ? update.cancelAtPeriodEnd() : sub.cancelAtPeriodEnd(),
                            s.now());
                    return subscriptions.update(c, s.id(), next).compose(done -> applyStatus(c, s, next)).map(next);
                });
    }

    /**
     * Cancels at the end of the current period: the credits keep working until then. Through a payment provider the
     * provider is told first; a failure there changes nothing here.
     */
    public Future<Subscription> cancel(SqlConnection c, StudioContext s, String subscriptionId) {
        return subscriptions.find(c, s.id(), subscriptionId).compose(found -> {
            if (found == null) {
                throw Rejection.notFound("id", "subscription", subscriptionId);
            }
            return writes.lockActive(c, s, found.memberId(), "memberId")
                    .compose(member -> subscriptions.find(c, s.id(), subscriptionId))
                    .compose(sub -> {
                        if (sub.status() == SubscriptionStatus.CANCELED || sub.cancelAtPeriodEnd()) {
                            return Future.succeededFuture(sub);
                        }
                        if (sub.status() == SubscriptionStatus.PENDING) {
                            // Never paid: nothing runs to a period's end.
                            Subscription ended = sub.with(SubscriptionStatus.CANCELED, sub.periodStart(),
                                    sub.periodEnd(), false, s.now());
                            return subscriptions.update(c, s.id(), ended).map(ended);
                        }
                        Future<Void> told = !PurchaseCommands.atProvider(sub.payment()) ? Future.succeededFuture()
                                : payments.cancelAtPeriodEnd(s, sub.payment(),
                                        new PaymentProvider.SubscriptionCancel(s.id(), sub.id(),
                                                sub.providerReference(),
                                                PaymentPort.idempotencyKey(sub.id(), "cancel")));
                        Subscription next = sub.with(sub.status(), sub.periodStart(), sub.periodEnd(), true,
                                s.now());
                        return told.compose(done -> subscriptions.update(c, s.id(), next)).map(next);
                    });
        });
    }

    /** The studio's subscriptions without payment whose period ended by the studio's time: due for renewal. */
    public Future<List<String>> due(SqlClient client, StudioContext s, int limit) {
        return subscriptions.due(client, s.id(), s.now(), limit)
                .map(due -> due.stream().map(Subscription::id).toList());
    }

    /**
     * Renews a subscription the kernel bills, period by period, until its period reaches the studio's time: each new
     * period with its credits, or the end of one cancelled at its period's end. Added without charging, each period
     * costs nothing; paid outside Creditline, the studio collects each period as a standing order at the amount of
     * the first one. Answers how many periods it renewed or ended (none when nothing was due).
     */
    public Future<Integer> renew(SqlConnection c, StudioContext s, String subscriptionId) {
        return renewUpTo(c, s, subscriptionId);
    }

    /** Renews one subscription until its period reaches {@code s.now()} (or it ends). */
    private Future<Integer> renewUpTo(SqlConnection c, StudioContext s, String subscriptionId) {
        return subscriptions.find(c, s.id(), subscriptionId).compose(unlocked -> writes.lockActive(c, s,
                        unlocked.memberId(), "memberId")
                .compose(member -> subscriptions.find(c, s.id(), subscriptionId))
                .compose(sub -> {
                    if (sub.status() != SubscriptionStatus.ACTIVE || sub.periodEnd().isAfter(s.now())
                            || PurchaseCommands.atProvider(sub.payment())) {
                        return Future.succeededFuture(0);
                    }
                    if (sub.cancelAtPeriodEnd()) {
                        return end(c, s, sub).map(1);
                    }
                    Future<Product> product = catalogue.productVersion(c, s.id(), sub.productId(),
                            sub.productVersion());
                    Future<Purchase> first = purchases.find(c, s.id(), sub.purchaseId(), false);
                    return Future.all(product, first).compose(read -> {
                        if (first.result().status() != PurchaseRepository.Status.COMPLETED) {
                            // Its first purchase was voided or refunded: the studio took it back, so it renews no
                            // more (a standing order paid outside would otherwise go on counting as sales).
                            return end(c, s, sub).map(1);
                        }
                        Instant start = sub.periodEnd();
                        Instant end = Validity.end(start, product.result().billingInterval(), s.zone());
                        // What each period costs: nothing added free, the first period's amount outside.
                        Money amount = first.result().amountPaid();
                        // Renewed as of when the period began, however late this runs.
                        return periodPaid(c, s.at(start), sub.payment(), new PeriodPaid(sub.id(), null, null,
                                start, end, amount, null))
                                .compose(renewed -> renewUpTo(c, s, subscriptionId).map(more -> more + 1));
                    });
                }, refused -> {
                    // The member was erased: the subscription ends with the period that was paid.
                    return end(c, s, unlocked).map(1);
                }));
    }

    /** Ends a subscription at the end of its period. */
    private Future<Subscription> end(SqlConnection c, StudioContext s, Subscription sub) {
        Subscription ended = sub.with(SubscriptionStatus.CANCELED, sub.periodStart(), sub.periodEnd(), false,
                sub.periodEnd());
        return subscriptions.update(c, s.id(), ended).compose(done -> applyStatus(c, s, ended)).map(ended);
    }

    /** Finds the subscription (by id, by the purchase that started it, or by the provider's reference), locked. */
    private Future<Subscription> locked(SqlConnection c, StudioContext s, String payment, String subscriptionId,
                                        String purchaseId, String reference) {
        Future<Subscription> found = subscriptionId != null ? subscriptions.find(c, s.id(), subscriptionId)
                : purchaseId != null ? subscriptions.ofPurchase(c, s.id(), purchaseId)
                : reference != null ? subscriptions.byReference(c, s.id(), payment, reference)
                : Future.failedFuture(Rejection.invalid("subscriptionId", "name the subscription, its purchase or"
                        + " the provider's reference"));
        return found.compose(unlocked -> {
            if (unlocked == null || !unlocked.payment().equals(payment)) {
                throw Rejection.notFound("subscriptionId", "subscription",
                        subscriptionId != null ? subscriptionId : purchaseId != null ? purchaseId : reference);
            }
            return writes.lockActive(c, s, unlocked.memberId(), "memberId")
                    .compose(member -> subscriptions.find(c, s.id(), unlocked.id()));
        });
    }

    private static Subscription withReference(Subscription sub, String reference) {
        return reference == null || reference.equals(sub.providerReference()) ? sub : sub.withReference(reference);
    }

    private static void requireCurrency(Money paid, Money price) {
        if (!paid.currency().equals(price.currency()) || paid.minor() < 0) {
            throw Rejection.invalid("amountPaid", "must be a non-negative amount in "
                    + price.currency().getCurrencyCode());
        }
    }

    /** The purchase that pays for the period: the pending first purchase, or a new one (a renewal). */
    private Future<Purchase> periodPurchase(SqlConnection c, StudioContext s, Subscription sub, Product product,
                                            PeriodPaid paid) {
        return purchases.find(c, s.id(), sub.purchaseId(), true).compose(first -> {
            Future<Purchase> purchase;
            if (first.status() == Status.PENDING) {
                Purchase completed = first.completed(paid.amountPaid(), paid.paymentRef());
                purchase = purchases.update(c, s.id(), completed).map(completed);
            } else {
                Purchase renewal = Purchase.create(Ids.next("pur"), sub.memberId(), product.id(), product.version(),
                        Status.COMPLETED, sub.payment(), product.price(), paid.amountPaid(), null, s.now())
                        .completed(paid.amountPaid(), paid.paymentRef());
                purchase = purchases.insert(c, s.id(), renewal, Actor.SYSTEM.name())
                        .compose(done -> purchases.update(c, s.id(), renewal)).map(renewal);
            }
            return purchase.compose(p -> purchases.linkPeriod(c, s.id(), p.id(), sub.id(), paid.periodStart(),
                    paid.periodEnd()).map(p));
        });
    }

    /**
     * Issues a period's credits: the product's credits (finite credits carried from earlier periods capped at the
     * product's {@code rolloverMax} first), or one unlimited lot valid for the period.
     */
    private Future<List<Lot>> issuePeriod(SqlConnection c, StudioContext s, Actor actor, Subscription sub,
                                          Product product, Purchase purchase, Instant start, Instant end, Money cost,
                                          String idempotencyKey) {
        return lots.live(c, s.id(), sub.memberId()).compose(live -> {
            LotBook book = new LotBook(live, s.now());
            List<EntryDraft> entries = new ArrayList<>();
            if (product.rolloverMax() != null && !product.unlimited()) {
                entries.addAll(capRollover(book, sub, product.rolloverMax()));
            }
            Lot lot = periodLot(s, sub, product, purchase.id(), start, end, cost, book.now());
            LedgerWrites.requireRoom(book, lot.account(), lot.countedCredits());
            boolean first = sub.purchaseId().equals(purchase.id());
            entries.add(book.issue(lot, EntryType.PURCHASED, first ? Descriptions.purchased(product.name())
                    : "Renewed " + product.name()));
            JournalEntry.Context context = new JournalEntry.Context(sub.memberId(), actor, null, null, purchase.id(),
                    idempotencyKey, s.now());
            return writes.write(c, s, book, entries, context).map(done -> book.created());
        });
    }

    /** Takes the credits of earlier periods past the cap out ("not carried over"), oldest first. */
    private static List<EntryDraft> capRollover(LotBook book, Subscription sub, int rolloverMax) {
        List<Lot> carried = book.lots().stream()
                .filter(lot -> sub.id().equals(lot.subscriptionId()) && !lot.unlimited() && lot.free() > 0
                        && !lot.isExpiredAt(book.now()))
                .sorted(Comparator.comparing(Lot::acquiredAt).thenComparingLong(Lot::seq))
                .toList();
        int excess = carried.stream().mapToInt(Lot::free).sum() - rolloverMax;
        List<EntryDraft> entries = new ArrayList<>();
        for (Lot lot : carried) {
            if (excess <= 0) {
                break;
            }
            int take = Math.min(excess, lot.free());
            entries.add(book.change(lot.id(), -take, EntryType.EXPIRED,
                    "Not carried over (at most " + rolloverMax + " credits roll over)"));
            excess -= take;
        }
        return entries;
    }

    private static Lot periodLot(StudioContext s, Subscription sub, Product product, String purchaseId, Instant start,
                                 Instant end, Money cost, Instant now) {
        LotCategory category = cost.minor() > 0 ? LotCategory.PAID : LotCategory.PROMOTIONAL;
        // Acquired when the period started, or now when a provider reports a period that starts later.
        Instant acquired = start.isAfter(now) ? now : start;
        boolean suspended = suspended(sub.status(), product.unlimited());
        if (product.unlimited()) {
            return new Lot(Ids.next("lot"), sub.memberId(), product.id(), product.id(), product.version(), purchaseId,
                    1, 1, true, acquired, start, end, null, ValidityStart.PURCHASE, cost, category,
                    product.redeemableSchedulerIds(), product.trainerId(), false, sub.id(), suspended,
                    product.limits(), Long.MAX_VALUE);
        }
        Instant expiresAt = product.validity() != null && product.validityStart() == ValidityStart.PURCHASE
                ? Validity.end(start, product.validity(), s.zone()) : null;
        return new Lot(Ids.next("lot"), sub.memberId(), product.id(), product.id(), product.version(), purchaseId,
                product.credits(), product.credits(), false, acquired, start, expiresAt, product.validity(),
                product.validityStart(), cost, category, product.redeemableSchedulerIds(), product.trainerId(), false,
                sub.id(), suspended, product.limits(), Long.MAX_VALUE);
    }

    /**
     * Whether a subscription's lot cannot pay in this status: none pay while a payment is due or the subscription is
     * paused; once it ended, credits of paid periods stay until they expire, and an unlimited period ends with it.
     */
    static boolean suspended(SubscriptionStatus status, boolean unlimited) {
        return switch (status) {
            case ACTIVE -> false;
            case CANCELED -> unlimited;
            case PENDING, PAST_DUE, PAUSED -> true;
        };
    }

    /** Sets the live lots' suspension to what the subscription's status says. */
    private Future<Void> applyStatus(SqlConnection c, StudioContext s, Subscription sub) {
        return lots.suspend(c, s.id(), sub.id(), suspended(sub.status(), false), suspended(sub.status(), true));
    }
}
