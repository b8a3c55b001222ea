package dev.creditline.plugins.stripe;

import dev.creditline.api.spi.PluginDatabase;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** The plugin's tables (see {@code db/plugins/stripe}). */
@Singleton
final class StripeStore {
    /** Where a Stripe object belongs: its studio and the purchase it pays (or that started its subscription). */
    record Owner(String studioId, String purchaseId) {
    }

    private final Pool pool;
    private final String schema;

    @Inject
    StripeStore(PluginDatabase database) {
        this.pool = database.pool();
        this.schema = database.schema();
    }

    /** Records the payment (PaymentIntent) that paid a purchase. */
    Future<Void> recordPayment(String studioId, String purchaseId, String paymentIntent) {
        return pool.preparedQuery("INSERT INTO " + schema + ".payments (studio_id, purchase_id, payment_intent)"
                        + " VALUES ($1, $2, $3) ON CONFLICT (studio_id, purchase_id) DO NOTHING")
                .execute(Tuple.of(studioId, purchaseId, paymentIntent)).mapEmpty();
    }

    /** The PaymentIntent that paid a purchase, or null. */
    Future<String> paymentOf(String studioId, String purchaseId) {
        return pool.preparedQuery("SELECT payment_intent FROM " + schema + ".payments"
                        + " WHERE studio_id = $1 AND purchase_id = $2")
                .execute(Tuple.of(studioId, purchaseId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("payment_intent"));
    }

    /** The purchase a PaymentIntent paid, or null. */
    Future<Owner> ownerOfPayment(String paymentIntent) {
        return pool.preparedQuery("SELECT studio_id, purchase_id FROM " + schema + ".payments"
                        + " WHERE payment_intent = $1")
                .execute(Tuple.of(paymentIntent))
                .map(rows -> rows.size() == 0 ? null : owner(rows.iterator().next()));
    }

    /** Records which purchase started a Stripe subscription. */
    Future<Void> recordSubscription(String studioId, String subscriptionId, String purchaseId) {
        return pool.preparedQuery("INSERT INTO " + schema + ".subscriptions (subscription_id, studio_id, purchase_id)"
                        + " VALUES ($1, $2, $3) ON CONFLICT (subscription_id) DO NOTHING")
                .execute(Tuple.of(subscriptionId, studioId, purchaseId)).mapEmpty();
    }

    /** The studio and first purchase of a Stripe subscription, or null. */
    Future<Owner> ownerOfSubscription(String subscriptionId) {
        return pool.preparedQuery("SELECT studio_id, purchase_id FROM " + schema + ".subscriptions"
                        + " WHERE subscription_id = $1")
                .execute(Tuple.of(subscriptionId))
                .map(rows -> rows.size() == 0 ? null : owner(rows.iterator().next()));
    }

    /**
     * Claims the right to apply a subscription event created at {@code created}: true unless a newer one was applied
     * already (events arrive in any order).
     */
    Future<Boolean> newestEvent(String subscriptionId, long created) {
        return pool.preparedQuery("UPDATE " + schema + ".subscriptions SET last_event_at = $2"
                        + " WHERE subscription_id = $1 AND last_event_at <= $2")
                .execute(Tuple.of(subscriptionId, created)).map(rows -> rows.rowCount() == 1);
    }

    /** Records a refund this plugin made. */
    Future<Void> recordRefund(String studioId, String refundId, String purchaseId) {
        return pool.preparedQuery("INSERT INTO " + schema + ".refunds (refund_id, studio_id, purchase_id)"
                        + " VALUES ($1, $2, $3) ON CONFLICT (refund_id) DO NOTHING")
                .execute(Tuple.of(refundId, studioId, purchaseId)).mapEmpty();
    }

    /** Whether the event was handled before. */
    Future<Boolean> handled(String studioId, String eventId) {
        return pool.preparedQuery("SELECT 1 FROM " + schema + ".events WHERE studio_id = $1 AND event_id = $2")
                .execute(Tuple.of(studioId, eventId)).map(rows -> rows.size() > 0);
    }

    /** Records a handled event. */
    Future<Void> recordEvent(String studioId, String eventId, String type) {
        return pool.preparedQuery("INSERT INTO " + schema + ".events (studio_id, event_id, type) VALUES ($1, $2, $3)"
                        + " ON CONFLICT (studio_id, event_id) DO NOTHING")
                .execute(Tuple.of(studioId, eventId, type)).mapEmpty();
    }

    private static Owner owner(Row row) {
        return new Owner(row.getString("studio_id"), row.getString("purchase_id"));
    }
}
