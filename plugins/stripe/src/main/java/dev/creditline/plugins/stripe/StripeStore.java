package dev.creditline.plugins.stripe;

import dev.creditline.api.spi.PluginDatabase;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** The plugin's tables (see {@code db/plugins/stripe}). */
@Singleton
final class StripeStore {
    /** Where a Stripe object belongs: its studio and the purchase it pays (or that started its subscription). */
    record Owner(String studioId, String purchaseId) {
    }

    private final PluginDatabase database;
    private final Pool pool;
    private final String schema;

    @Inject
    StripeStore(PluginDatabase database) {
        this.database = database;
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

    /** The studio's purchase a PaymentIntent paid, or null. */
    Future<Owner> ownerOfPayment(String studioId, String paymentIntent) {
        return ownerIn(studioId, "payments", "payment_intent", paymentIntent);
    }

    /** The purchase a PaymentIntent paid, in whichever studio (an event without our metadata), or null. */
    Future<Owner> ownerOfPaymentInAnyStudio(String paymentIntent) {
        return ownerIn(null, "payments", "payment_intent", paymentIntent);
    }

    /** Records which purchase started a Stripe subscription. */
    Future<Void> recordSubscription(String studioId, String subscriptionId, String purchaseId) {
        return pool.preparedQuery("INSERT INTO " + schema + ".subscriptions (subscription_id, studio_id, purchase_id)"
                        + " VALUES ($1, $2, $3) ON CONFLICT (studio_id, subscription_id) DO NOTHING")
                .execute(Tuple.of(subscriptionId, studioId, purchaseId)).mapEmpty();
    }

    /** The studio's first purchase of a Stripe subscription, or null. */
    Future<Owner> ownerOfSubscription(String studioId, String subscriptionId) {
        return ownerIn(studioId, "subscriptions", "subscription_id", subscriptionId);
    }

    /** The studio and first purchase of a Stripe subscription, in whichever studio, or null. */
    Future<Owner> ownerOfSubscriptionInAnyStudio(String subscriptionId) {
        return ownerIn(null, "subscriptions", "subscription_id", subscriptionId);
    }

    /**
     * Claims the right to apply a subscription event created at {@code created}: true unless a newer one was applied
     * already (events arrive in any order).
     */
    Future<Boolean> newestEvent(String studioId, String subscriptionId, long created) {
        return pool.preparedQuery("UPDATE " + schema + ".subscriptions SET last_event_at = $3"
                        + " WHERE studio_id = $1 AND subscription_id = $2 AND last_event_at <= $3")
                .execute(Tuple.of(studioId, subscriptionId, created)).map(rows -> rows.rowCount() == 1);
    }

    /** Records a refund this plugin made. */
    Future<Void> recordRefund(String studioId, String refundId, String purchaseId) {
        return pool.preparedQuery("INSERT INTO " + schema + ".refunds (refund_id, studio_id, purchase_id)"
                        + " VALUES ($1, $2, $3) ON CONFLICT (studio_id, refund_id) DO NOTHING")
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

    /**
     * The owner of the row of {@code table} whose {@code column} is {@code value}: within the studio, or, when the
     * studio is not known yet (null), in whichever studio holds it (a query of every shard on Citus).
     */
    private Future<Owner> ownerIn(String studioId, String table, String column, String value) {
        String select = "SELECT studio_id, purchase_id FROM " + schema + "." + table + " WHERE ";
        Future<RowSet<Row>> rows = studioId != null
                ? pool.preparedQuery(select + "studio_id = $1 AND " + column + " = $2").execute(Tuple.of(studioId, value))
                : database.acrossStudios(select + column + " = $1", Tuple.of(value));
        return rows.map(StripeStore::owner);
    }

    private static Owner owner(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return null;
        }
        Row row = rows.iterator().next();
        return new Owner(row.getString("studio_id"), row.getString("purchase_id"));
    }
}
