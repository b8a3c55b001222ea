package dev.creditline.store;

import dev.creditline.api.spi.PaymentProvider;
import io.vertx.core.Future;

/** The studio's payment providers, as the ledger's transactions use them. The kernel implements it with plugins. */
public interface PaymentPort {
    /** No providers. */
    PaymentPort NONE = new PaymentPort() {
        @Override
        public boolean offers(StudioContext s, String provider) {
            return false;
        }

        @Override
        public Future<PaymentProvider.Checkout> checkout(StudioContext s, String provider,
                                                         PaymentProvider.CheckoutRequest request) {
            return Future.failedFuture(Rejection.invalid("payment", "no payment provider " + provider));
        }

        @Override
        public Future<PaymentProvider.MoneyRefund> refund(StudioContext s, String provider,
                                                          PaymentProvider.MoneyRefundRequest request) {
            return Future.failedFuture(Rejection.conflict("no_payment_provider", "no payment provider " + provider));
        }

        @Override
        public Future<Void> cancelAtPeriodEnd(StudioContext s, String provider,
                                              PaymentProvider.SubscriptionCancel request) {
            return Future.failedFuture(Rejection.conflict("no_payment_provider", "no payment provider " + provider));
        }
    };

    /** Whether the studio enabled a provider of this id. */
    boolean offers(StudioContext s, String provider);

    /** Starts a payment. */
    Future<PaymentProvider.Checkout> checkout(StudioContext s, String provider, PaymentProvider.CheckoutRequest request);

    /** Pays money back. */
    Future<PaymentProvider.MoneyRefund> refund(StudioContext s, String provider,
                                               PaymentProvider.MoneyRefundRequest request);

    /** Cancels a subscription at its period's end. */
    Future<Void> cancelAtPeriodEnd(StudioContext s, String provider, PaymentProvider.SubscriptionCancel request);

    /** The provider's idempotency key of an operation on a purchase: the same purchase, the same key. */
    static String idempotencyKey(String purchaseId, String operation) {
        return "creditline-" + operation + "-" + purchaseId;
    }
}
