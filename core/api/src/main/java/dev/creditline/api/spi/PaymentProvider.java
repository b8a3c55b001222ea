package dev.creditline.api.spi;

import dev.creditline.api.Money;
import io.vertx.core.Future;
import org.pf4j.ExtensionPoint;
import org.threeten.extra.PeriodDuration;

/**
 * Takes payments for purchases and pays money back. A purchase with {@code "payment":"<id>"} creates a pending
 * purchase, then asks the provider with that {@link #id()} for a checkout; the credits arrive when the provider
 * confirms the payment through {@link LedgerService#completePurchase} (typically from its webhook route).
 *
 * <p>Called inside the purchase's (or refund's) transaction, with the member locked: a failure rolls the purchase back,
 * so a payment is never half recorded. Keep calls to the provider's service short (the kernel's time limit applies)
 * and idempotent: the idempotency key is derived from the purchase, so a retried request makes the same call.
 */
public interface PaymentProvider extends ExtensionPoint {

    /** The payment method name clients use, e.g. {@code "stripe"}: a constant, asked once. */
    String id();

    /** Starts a payment of a pending purchase. */
    Future<Checkout> checkout(CheckoutRequest request);

    /** Pays money back for a completed purchase. */
    Future<MoneyRefund> refund(MoneyRefundRequest request);

    /**
     * Cancels a subscription at the end of its current period (the member keeps its credits until then). A provider
     * that sells no subscriptions need not implement it.
     */
    default Future<Void> cancelAtPeriodEnd(SubscriptionCancel request) {
        return Future.failedFuture(ApiProblem.conflict("subscriptions_not_supported",
                "payment provider " + id() + " does not cancel subscriptions"));
    }

    /**
     * A payment to start.
     *
     * @param price           the amount to charge (after discounts); for a subscription, every period's
     * @param billingInterval for a subscription, its billing period (e.g. {@code P1M}); null for a one-time payment
     * @param idempotencyKey  a key derived from the purchase: the same purchase always gets the same key (a request
     *                        retried with its {@code Idempotency-Key} is the same purchase)
     */
    record CheckoutRequest(String studioId, String purchaseId, String memberId, String productId, String productName,
                           Money price, PeriodDuration billingInterval, String idempotencyKey) {

        /** Whether this starts a subscription rather than a one-time payment. */
        public boolean subscription() {
            return billingInterval != null;
        }
    }

    /**
     * A subscription to cancel at its period's end.
     *
     * @param subscriptionId    the ledger's id of it
     * @param providerReference the provider's id of it (as the provider reported it)
     * @param idempotencyKey    a key derived from the subscription
     */
    record SubscriptionCancel(String studioId, String subscriptionId, String providerReference,
                              String idempotencyKey) {
    }

    /**
     * A started payment.
     *
     * @param checkoutUrl where the member pays
     * @param reference   the provider's id of the payment session
     */
    record Checkout(String checkoutUrl, String reference) {
    }

    /** Money to pay back. */
    record MoneyRefundRequest(String studioId, String purchaseId, Money amount, String reason,
                              String idempotencyKey) {
    }

    /**
     * Money paid back.
     *
     * @param amount    what the provider paid back (recorded as the refund; normally the amount asked)
     * @param reference the provider's id of the refund
     */
    record MoneyRefund(Money amount, String reference) {
    }
}
