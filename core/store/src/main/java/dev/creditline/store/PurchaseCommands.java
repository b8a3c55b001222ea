package dev.creditline.store;

import dev.creditline.api.Accounts;
import dev.creditline.api.EntryType;
import dev.creditline.api.Lot;
import dev.creditline.api.LotCategory;
import dev.creditline.api.Money;
import dev.creditline.api.ProductKind;
import dev.creditline.api.ValidityStart;
import dev.creditline.api.spi.PaymentProvider;
import dev.creditline.api.spi.RefundPolicy;
import dev.creditline.ledger.CostBasis;
import dev.creditline.ledger.Descriptions;
import dev.creditline.ledger.EntryDraft;
import dev.creditline.ledger.LotBook;
import dev.creditline.ledger.Removal;
import dev.creditline.ledger.Validity;
import dev.creditline.store.CatalogueRepository.Product;
import dev.creditline.store.PurchaseRepository.Purchase;
import dev.creditline.store.PurchaseRepository.Status;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Purchases in the ledger: adding a product (with a voucher, without payment or through a payment provider),
 * completing a payment, voiding, and refunding money or store credit. Each runs in the caller's transaction.
 */
public final class PurchaseCommands {

    /** Added without charging: nobody paid, the lots are promotional. */
    public static final String NONE = "none";
    /** Paid outside Creditline (cash, bank transfer, another terminal): a sale at the amount the studio took. */
    public static final String OUTSIDE = "outside";

    /**
     * A purchase request.
     *
     * @param payment     {@link #NONE}, {@link #OUTSIDE}, or a payment provider's id
     * @param amountPaid  the money taken outside Creditline (required for {@link #OUTSIDE} only), or null
     * @param voucherCode a voucher code, or null
     */
    public record Request(String memberId, String productId, String payment, Money amountPaid, String voucherCode) {
    }

    /**
     * A purchase to carry out in the write pipeline: the request with its studio (and time), actor and key. One paid at
     * a provider goes in a batch of its own: the provider's answer is not for the other requests to wait for.
     */
    public record Order(CallContext call, Request request) implements Batch.Command {
        @Override
        public boolean alone() {
            return atProvider(request.payment());
        }
    }

    /** A void of a purchase to carry out in the write pipeline. */
    public record VoidOrder(CallContext call, String purchaseId, String reason) implements Batch.Command {
    }

    /**
     * A refund of a purchase to carry out in the write pipeline; one of money goes in a batch of its own (the payment
     * provider may be asked to pay it back).
     */
    public record RefundOrder(CallContext call, String purchaseId, RefundMode mode, String reason)
            implements Batch.Command {
        @Override
        public boolean alone() {
            return mode == RefundMode.MONEY;
        }
    }

    /** Whether a purchase of this payment was paid at a provider (not added free, nor paid outside Creditline). */
    public static boolean atProvider(String payment) {
        return !payment.equals(NONE) && !payment.equals(OUTSIDE);
    }

    /** A purchase and the lots it issued (none while pending). */
    public record Result(Purchase purchase, List<Lot> lots) {
    }

    /** A voided purchase and how many unused credits it took back. */
    public record VoidResult(Purchase purchase, int voided) {
    }

    /** How a refund is given. */
    public enum RefundMode { MONEY, CREDITS }

    /**
     * A refunded purchase.
     *
     * @param credits     credits refunded: the unused ones taken back now, and those taken back before without a
     *                    refund (a trainer left)
     * @param amount      money paid back (money mode), or null
     * @param storeCredit the master lot given instead (credits mode), or null
     * @param explanation why this amount
     */
    public record RefundResult(Purchase purchase, RefundMode mode, int credits, Money amount, Lot storeCredit,
                               String explanation) {
    }

    private final LedgerWrites writes;
    private final LotRepository lots;
    private final CatalogueRepository catalogue;
    private final PurchaseRepository purchases;
    private final VoucherPort vouchers;
    private final PaymentPort payments;
    private final RefundPolicyPort refundPolicy;
    private final SubscriptionCommands subscriptions;

    @Inject
    public PurchaseCommands(LedgerWrites writes, LotRepository lots, CatalogueRepository catalogue,
                            PurchaseRepository purchases, VoucherPort vouchers, PaymentPort payments,
                            RefundPolicyPort refundPolicy, SubscriptionCommands subscriptions) {
        this.subscriptions = subscriptions;
        this.writes = writes;
        this.lots = lots;
        this.catalogue = catalogue;
        this.purchases = purchases;
        this.vouchers = vouchers;
        this.payments = payments;
        this.refundPolicy = refundPolicy;
    }

    /**
     * Buys a product. Added without charging ({@code none}) it costs nothing and its credits are promotional; paid
     * outside Creditline ({@code outside}) it is a sale at the amount taken; both are live at once. Through a payment
     * provider the purchase is pending with a checkout URL until the provider confirms the payment
     * ({@link #complete}). A voucher lowers the price, and the lots' cost basis with it (outside, the amount taken
     * already says what was paid).
     */
    public Future<Result> purchase(SqlConnection c, StudioContext s, Actor actor, Request request,
                                   String idempotencyKey) {
        boolean paid = atProvider(request.payment());
        if (request.payment().equals(OUTSIDE) && request.amountPaid() == null) {
            return Future.failedFuture(Rejection.invalid("amountPaid", "is required for payment \"outside\": the"
                    + " money taken, such as {\"amount\":\"135.00\",\"currency\":\"" + s.currency().getCurrencyCode()
                    + "\"}"));
        }
        if (!request.payment().equals(OUTSIDE) && request.amountPaid() != null) {
            return Future.failedFuture(Rejection.invalid("amountPaid", "is for payment \"outside\" only: \"none\""
                    + " costs nothing and a payment provider reports what it took"));
        }
        if (request.amountPaid() != null && !request.amountPaid().currency().equals(s.currency())) {
            return Future.failedFuture(Rejection.invalid("amountPaid", "must be in the studio's currency, "
                    + s.currency().getCurrencyCode()));
        }
        if (paid && !payments.offers(s, request.payment())) {
            return Future.failedFuture(Rejection.invalid("payment", "no payment provider \"" + request.payment()
                    + "\" is enabled for this studio; use \"none\" to add the product without charging or"
                    + " \"outside\" with amountPaid to record money taken outside Creditline"));
        }
        return writes.lockActive(c, s, request.memberId(), "memberId")
                .compose(member -> purchaseId(c, s, idempotencyKey))
                .compose(purchaseId -> purchase(c, s, actor, request, idempotencyKey, paid, purchaseId));
    }

    /**
     * Retried with its idempotency key, a purchase has the same id: a provider's checkout for it is the same one. A
     * key used again once its first use was forgotten (after the retention) names a new purchase.
     */
    private Future<String> purchaseId(SqlConnection c, StudioContext s, String idempotencyKey) {
        if (idempotencyKey == null) {
            return Future.succeededFuture(Ids.next("pur"));
        }
        String derived = Ids.derived("pur", s.id() + "\u0000" + idempotencyKey);
        return purchases.find(c, s.id(), derived, false).map(earlier -> earlier == null ? derived : Ids.next("pur"));
    }

    private Future<Result> purchase(SqlConnection c, StudioContext s, Actor actor, Request request,
                                    String idempotencyKey, boolean paid, String purchaseId) {
        return sellable(c, s, request.productId())
                .compose(product -> (request.voucherCode() == null
                        ? Future.succeededFuture(product.price())
                        : vouchers.apply(c, s, request.memberId(), product.id(), purchaseId, product.price(),
                                request.voucherCode()))
                        .compose(price -> {
                            if (paid) {
                                return checkout(c, s, actor, request, product, purchaseId, price, idempotencyKey);
                            }
                            Money taken = request.payment().equals(OUTSIDE) ? request.amountPaid()
                                    : Money.zero(product.price().currency());
                            if (!taken.currency().equals(product.price().currency())) {
                                throw Rejection.invalid("amountPaid", "must be in the product's currency, "
                                        + product.price().currency().getCurrencyCode());
                            }
                            return complete(c, s, actor, Purchase.create(purchaseId, request.memberId(), product.id(),
                                    product.version(), Status.COMPLETED, request.payment(), product.price(), taken,
                                    request.voucherCode(), s.now()), product, taken, null, idempotencyKey, true);
                        }));
    }

    /** Gives a product for free (a free-package voucher): a completed purchase that cost nothing. */
    public Future<Result> give(SqlConnection c, StudioContext s, Actor actor, String memberId, String productId,
                               String reason, String idempotencyKey) {
        String purchaseId = Ids.next("pur");
        return writes.lockActive(c, s, memberId, "memberId")
                .compose(member -> sellable(c, s, productId))
                .compose(product -> {
                    Money free = Money.zero(product.price().currency());
                    return complete(c, s, actor, Purchase.create(purchaseId, memberId, productId, product.version(),
                            Status.COMPLETED, NONE, product.price(), free, null, s.now()), product, free, reason,
                            idempotencyKey, true);
                });
    }

    private Future<Product> sellable(SqlConnection c, StudioContext s, String productId) {
        return catalogue.product(c, s.id(), productId).map(product -> {
            if (product == null) {
                throw Rejection.notFound("productId", "product", productId);
            }
            if (!product.active()) {
                throw Rejection.conflict("product_inactive",
                        "product " + productId + " is deactivated and can no longer be purchased");
            }
            return product;
        });
    }

    private Future<Result> checkout(SqlConnection c, StudioContext s, Actor actor, Request request, Product product,
                                    String purchaseId, Money price, String idempotencyKey) {
        Purchase pending = Purchase.create(purchaseId, request.memberId(), product.id(), product.version(),
                Status.PENDING, request.payment(), product.price(), null, request.voucherCode(), s.now());
        var checkout = new PaymentProvider.CheckoutRequest(s.id(), purchaseId, request.memberId(), product.id(),
                product.name(), price, product.billingInterval(), PaymentPort.idempotencyKey(purchaseId, "checkout"));
        return purchases.insert(c, s.id(), pending, actor.name())
                .compose(done -> product.kind() == ProductKind.SUBSCRIPTION
                        ? subscriptions.startPending(c, s, pending, product).mapEmpty() : Future.succeededFuture())
                .compose(done -> payments.checkout(s, request.payment(), checkout))
                .compose(started -> {
                    Purchase withCheckout = pending.withCheckout(started.checkoutUrl(), started.reference());
                    return purchases.update(c, s.id(), withCheckout).map(new Result(withCheckout, List.of()));
                });
    }

    /**
     * Completes a pending purchase whose payment the provider confirmed. Completing it again changes nothing and
     * answers the same.
     */
    public Future<Result> complete(SqlConnection c, StudioContext s, String purchaseId, Money amountPaid,
                                   String reference) {
        return purchases.find(c, s.id(), purchaseId, false).compose(unlocked -> {
            if (unlocked == null) {
                throw Rejection.notFound("purchaseId", "purchase", purchaseId);
            }
            return writes.lockActive(c, s, unlocked.memberId(), "memberId")
                    .compose(member -> purchases.find(c, s.id(), purchaseId, true))
                    .compose(purchase -> {
                        if (purchase.status() == Status.COMPLETED) {
                            return lots.ofPurchase(c, s.id(), purchaseId).map(issued -> new Result(purchase, issued));
                        }
                        if (purchase.status() != Status.PENDING) {
                            throw Rejection.conflict("purchase_not_pending", "purchase " + purchaseId + " is "
                                    + purchase.status().name().toLowerCase(Locale.ROOT));
                        }
                        if (!amountPaid.currency().equals(purchase.price().currency()) || amountPaid.minor() < 0) {
                            throw Rejection.invalid("amountPaid", "must be a non-negative amount in "
                                    + purchase.price().currency().getCurrencyCode());
                        }
                        return catalogue.productVersion(c, s.id(), purchase.productId(), purchase.productVersion())
                                .compose(product -> {
                                    if (product.kind() == ProductKind.SUBSCRIPTION) {
                                        throw Rejection.conflict("purchase_is_subscription", "purchase " + purchaseId
                                                + " starts a subscription: report its paid periods instead");
                                    }
                                    return complete(c, s, Actor.SYSTEM, purchase.completed(amountPaid, reference),
                                            product, amountPaid, null, null, false);
                                });
                    });
        });
    }

    /**
     * Issues a completed purchase's lot and writes the purchase (inserted when new, updated when pending). A
     * subscription's purchase starts the subscription, which issues its first period's credits.
     */
    private Future<Result> complete(SqlConnection c, StudioContext s, Actor actor, Purchase purchase, Product product,
                                    Money cost, String reason, String idempotencyKey, boolean insert) {
        if (product.kind() == ProductKind.SUBSCRIPTION) {
            return (insert ? purchases.insert(c, s.id(), purchase, actor.name())
                    : purchases.update(c, s.id(), purchase))
                    .compose(done -> subscriptions.startUnpaid(c, s, actor, purchase, product, cost, idempotencyKey))
                    .map(issued -> new Result(purchase, issued));
        }
        return lots.live(c, s.id(), purchase.memberId()).compose(live -> {
            Lot lot = purchasedLot(s, purchase.memberId(), product, purchase.id(), cost);
            LotBook book = new LotBook(live, s.now());
            LedgerWrites.requireRoom(book, lot.account(), lot.quantity());
            EntryDraft entry = book.issue(lot, EntryType.PURCHASED, Descriptions.purchased(product.name()));
            JournalEntry.Context context = new JournalEntry.Context(purchase.memberId(), actor, reason, null,
                    purchase.id(), idempotencyKey, s.now());
            return (insert ? purchases.insert(c, s.id(), purchase, actor.name())
                    : purchases.update(c, s.id(), purchase))
                    .compose(done -> writes.after("purchase", c))
                    .compose(done -> writes.write(c, s, book, List.of(entry), context))
                    .map(done -> new Result(purchase, book.created()));
        });
    }

    private static Lot purchasedLot(StudioContext s, String memberId, Product product, String purchaseId,
                                    Money cost) {
        Instant expiresAt = product.validity() != null && product.validityStart() == ValidityStart.PURCHASE
                ? Validity.end(s.now(), product.validity(), s.zone())
                : null;
        LotCategory category = cost.minor() > 0 ? LotCategory.PAID : LotCategory.PROMOTIONAL;
        return new Lot(Ids.next("lot"), memberId, product.id(), product.id(), product.version(), purchaseId,
                product.credits(), product.credits(), false, s.now(), s.now(), expiresAt, product.validity(),
                product.validityStart(), cost, category, product.redeemableSchedulerIds(), product.trainerId(),
                false, null, false, product.limits(), Long.MAX_VALUE);
    }

    /** Takes back a purchase's unused credits ({@code voided} entries); credits already used stay used. */
    public Future<VoidResult> voidPurchase(SqlConnection c, StudioContext s, Actor actor, String purchaseId,
                                           String reason, String idempotencyKey) {
        return lockedPurchase(c, s, purchaseId).compose(purchase -> {
            if (purchase.status() != Status.COMPLETED) {
                throw Rejection.conflict("purchase_not_completed", "purchase " + purchaseId + " is "
                        + purchase.status().name().toLowerCase(Locale.ROOT));
            }
            return catalogue.product(c, s.id(), purchase.productId()).compose(product ->
                    purchaseBook(c, s, purchase).compose(held -> {
                        List<EntryDraft> entries = Removal.drain(held.book(), held.purchaseLots(), EntryType.VOIDED,
                                Descriptions.voided(product.name(), actor.name()));
                        int voided = -entries.stream().mapToInt(EntryDraft::delta).sum();
                        Purchase done = purchase.voided(s.now());
                        JournalEntry.Context context = new JournalEntry.Context(purchase.memberId(), actor, reason,
                                null, purchaseId, idempotencyKey, s.now());
                        return writes.write(c, s, held.book(), entries, context)
                                .compose(written -> lots.markVoided(c, s.id(), purchaseId, s.now()))
                                .compose(marked -> purchases.update(c, s.id(), done))
                                .map(new VoidResult(done, voided));
                    }));
        });
    }

    /**
     * Refunds a purchase's unused credits, and those taken back from it earlier without paying for them (a trainer
     * left): as money (the amount by the studio's refund policy) through its payment provider, or paid back outside
     * Creditline for a purchase paid outside; or as store credit (a master lot of as many credits, at the same cost
     * basis). The unused credits are taken back with {@code refunded} entries in the same step; a failed provider
     * call changes nothing.
     */
    public Future<RefundResult> refund(SqlConnection c, StudioContext s, Actor actor, String purchaseId,
                                       RefundMode mode, String reason, String idempotencyKey) {
        return lockedPurchase(c, s, purchaseId).compose(purchase -> {
            requireRefundable(purchase);
            if (mode == RefundMode.MONEY && purchase.payment().equals(NONE)) {
                throw Rejection.conflict("not_paid", "purchase " + purchaseId + " was added without payment: "
                        + "refund it as store credit (mode credits) or void it");
            }
            Money paid = purchase.amountPaid();
            return unused(c, s, purchase).compose(u -> {
                // Credits taken back already are owed as much as the unused ones.
                int owed = u.credits() + purchase.refundDueCredits();
                return mode == RefundMode.MONEY
                        ? refundMoney(c, s, actor, purchase, u.product(), u.book(), u.lots(), owed, paid, reason,
                                idempotencyKey)
                        : refundAsCredit(c, s, actor, purchase, u.product(), u.book(), u.lots(), owed, paid, reason,
                                idempotencyKey);
            });
        });
    }

    private Future<RefundResult> refundMoney(SqlConnection c, StudioContext s, Actor actor, Purchase purchase,
                                             Product product, LotBook book, List<Lot> unused, int credits, Money paid,
                                             String reason, String idempotencyKey) {
        int issued = product.credits() == null ? 0 : product.credits();
        var asked = new RefundPolicy.Purchase(s.id(), purchase.id(), purchase.memberId(), paid, purchase.createdAt(),
                issued, credits, s.now());
        return refundPolicy.quote(s, asked).compose(quote -> {
            if (purchase.payment().equals(OUTSIDE)) {
                // Taken outside Creditline, paid back there too: the refund is recorded as the policy says.
                return recordMoneyRefund(c, s, actor, purchase, product, book, unused, credits, quote.amount(), reason,
                        idempotencyKey, quote.explanation() + "; paid back outside Creditline");
            }
            return payments.refund(s, purchase.payment(), new PaymentProvider.MoneyRefundRequest(s.id(),
                            purchase.id(), quote.amount(), reason, PaymentPort.idempotencyKey(purchase.id(), "refund")))
                    // What the provider paid back is what happened; it is recorded as it is.
                    .compose(refunded -> recordMoneyRefund(c, s, actor, purchase, product, book, unused, credits,
                            refunded.amount(), reason, idempotencyKey, quote.explanation()));
        });
    }

    /** Takes the unused credits back for money paid back, and marks the purchase refunded. */
    private Future<RefundResult> recordMoneyRefund(SqlConnection c, StudioContext s, Actor actor, Purchase purchase,
                                                   Product product, LotBook book, List<Lot> unused, int credits,
                                                   Money amount, String reason, String idempotencyKey,
                                                   String explanation) {
        List<EntryDraft> entries = Removal.drain(book, unused, EntryType.REFUNDED,
                "Refunded " + product.name() + " (" + amount + " back)");
        Purchase done = purchase.refunded(amount, s.now());
        JournalEntry.Context context = new JournalEntry.Context(purchase.memberId(), actor, reason, null,
                purchase.id(), idempotencyKey, s.now());
        return writes.write(c, s, book, entries, context)
                .compose(written -> purchases.update(c, s.id(), done))
                .map(new RefundResult(done, RefundMode.MONEY, credits, amount, null, explanation));
    }

    /**
     * Records money the payment provider paid back outside Creditline (a refund made in its dashboard): the
     * purchase's unused credits are taken back, once. A purchase refunded already changes nothing.
     */
    public Future<RefundResult> refundedAtProvider(SqlConnection c, StudioContext s, String purchaseId, Money amount,
                                                   String reference) {
        return lockedPurchase(c, s, purchaseId).compose(purchase -> {
            if (purchase.status() == Status.REFUNDED) {
                return Future.succeededFuture(new RefundResult(purchase, RefundMode.MONEY, 0,
                        purchase.refundAmount(), null, "refunded before"));
            }
            requireRefundable(purchase);
            if (!amount.currency().equals(purchase.price().currency())) {
                throw Rejection.invalid("amount", "must be in " + purchase.price().currency().getCurrencyCode());
            }
            return unused(c, s, purchase).compose(u -> recordMoneyRefund(c, s, Actor.SYSTEM, purchase, u.product(),
                    u.book(), u.lots(), u.credits() + purchase.refundDueCredits(), amount, "refunded at " + purchase.payment() + " (" + reference
                            + ")", null, "refunded at the payment provider"));
        });
    }

    private Future<RefundResult> refundAsCredit(SqlConnection c, StudioContext s, Actor actor, Purchase purchase,
                                                Product product, LotBook book, List<Lot> unused, int credits,
                                                Money paid, String reason, String idempotencyKey) {
        List<EntryDraft> entries = new ArrayList<>(Removal.drain(book, unused, EntryType.REFUNDED,
                "Exchanged " + product.name() + " for store credit"));
        Lot storeCredit = null;
        if (credits > 0) {
            Money cost = CostBasis.prorated(paid, credits, product.credits() == null ? credits
                    : product.credits());
            storeCredit = new Lot(Ids.next("lot"), purchase.memberId(), Accounts.MASTER, null, null, null, credits,
                    credits, false, s.now(), s.now(), null, null, ValidityStart.PURCHASE, cost,
                    cost.minor() > 0 ? LotCategory.PAID : LotCategory.PROMOTIONAL, null, null, false, Long.MAX_VALUE);
            entries.add(book.issue(storeCredit, EntryType.GRANTED, "Store credit for " + product.name()));
        }
        Purchase done = purchase.refunded(null, s.now());
        JournalEntry.Context context = new JournalEntry.Context(purchase.memberId(), actor, reason, null,
                purchase.id(), idempotencyKey, s.now());
        Lot issued = storeCredit;
        return writes.write(c, s, book, entries, context)
                .compose(written -> purchases.update(c, s.id(), done))
                .map(new RefundResult(done, RefundMode.CREDITS, credits, null, issued,
                        credits + " unused credits as store credit"));
    }

    /** The purchase, with its member and then itself locked. */
    private Future<Purchase> lockedPurchase(SqlConnection c, StudioContext s, String purchaseId) {
        return purchases.find(c, s.id(), purchaseId, false).compose(unlocked -> {
            if (unlocked == null) {
                throw Rejection.notFound("purchaseId", "purchase", purchaseId);
            }
            return writes.lockActive(c, s, unlocked.memberId(), "memberId")
                    .compose(member -> purchases.find(c, s.id(), purchaseId, true));
        });
    }

    /** A purchase's lots and a book of its member's lots with them. */
    private static void requireRefundable(Purchase purchase) {
        if (purchase.status() != Status.COMPLETED) {
            throw Rejection.conflict("purchase_not_refundable", "purchase " + purchase.id() + " is "
                    + purchase.status().name().toLowerCase(Locale.ROOT));
        }
    }

    /** What a refund takes back: the purchase's unused lots and their credits, with the product and the book. */
    private record Unused(Product product, LotBook book, List<Lot> lots, int credits) {
    }

    private Future<Unused> unused(SqlConnection c, StudioContext s, Purchase purchase) {
        return catalogue.productVersion(c, s.id(), purchase.productId(), purchase.productVersion())
                .compose(product -> purchaseBook(c, s, purchase).map(held -> {
                    List<Lot> unused = held.purchaseLots().stream()
                            .filter(lot -> !lot.isExpiredAt(s.now()) && lot.free() > 0).toList();
                    return new Unused(product, held.book(), unused,
                            unused.stream().mapToInt(Lot::countedCredits).sum());
                }));
    }

    private record Held(List<Lot> purchaseLots, LotBook book) {
    }

    private Future<Held> purchaseBook(SqlConnection c, StudioContext s, Purchase purchase) {
        return lots.ofPurchase(c, s.id(), purchase.id()).compose(purchaseLots -> lots.liveAnd(c, s.id(),
                        purchase.memberId(), purchaseLots.stream().map(Lot::id).toList())
                .map(live -> new Held(purchaseLots, new LotBook(live, s.now()))));
    }
}
