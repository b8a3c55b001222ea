package dev.creditline.store;

import dev.creditline.store.citus.MultiShard;
import dev.creditline.api.SubscriptionStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;

/** Subscriptions: a member's recurring purchase of a subscription product, period by period. */
public final class SubscriptionRepository {

    /**
     * A subscription.
     *
     * @param purchaseId         the purchase that started it (it pays for the first period)
     * @param payment            "none" or "outside" (the kernel renews it), or the payment provider's id
     * @param providerReference  the provider's id of it (e.g. Stripe's {@code sub_...}), or null
     * @param periodStart        the start of the current billing period, or null before the first is paid
     * @param periodEnd          its end
     * @param cancelAtPeriodEnd  whether it ends with the current period
     */
    public record Subscription(String id, String memberId, String productId, int productVersion, String purchaseId,
                               String payment, String providerReference, SubscriptionStatus status,
                               Instant periodStart, Instant periodEnd, boolean cancelAtPeriodEnd, Instant canceledAt,
                               Instant createdAt, Instant updatedAt) {

        public Subscription with(SubscriptionStatus newStatus, Instant start, Instant end, boolean cancelAtEnd,
                                 Instant at) {
            return new Subscription(id, memberId, productId, productVersion, purchaseId, payment, providerReference,
                    newStatus, start, end, cancelAtEnd,
                    newStatus == SubscriptionStatus.CANCELED && canceledAt == null ? at : canceledAt, createdAt, at);
        }

        public Subscription withReference(String reference) {
            return new Subscription(id, memberId, productId, productVersion, purchaseId, payment, reference, status,
                    periodStart, periodEnd, cancelAtPeriodEnd, canceledAt, createdAt, updatedAt);
        }
    }

    private static final String COLUMNS = """
            id, member_id, product_id, product_version, purchase_id, payment, provider_reference, status,
            current_period_start, current_period_end, cancel_at_period_end, canceled_at, created_at, updated_at""";

    @Inject
    public SubscriptionRepository() {
    }

    public Future<Void> insert(SqlClient client, String studioId, Subscription s) {
        return client.preparedQuery("""
                        INSERT INTO subscriptions (studio_id, id, member_id, product_id, product_version, purchase_id,
                            payment, provider_reference, status, current_period_start, current_period_end,
                            cancel_at_period_end, canceled_at, created_at, updated_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)""")
                .execute(Tuple.of(studioId, s.id(), s.memberId(), s.productId(), s.productVersion(), s.purchaseId())
                        .addValue(s.payment())
                        .addValue(s.providerReference())
                        .addValue(s.status().wireName())
                        .addValue(Rows.timestamp(s.periodStart()))
                        .addValue(Rows.timestamp(s.periodEnd()))
                        .addValue(s.cancelAtPeriodEnd())
                        .addValue(Rows.timestamp(s.canceledAt()))
                        .addValue(Rows.timestamp(s.createdAt()))
                        .addValue(Rows.timestamp(s.updatedAt())))
                .mapEmpty();
    }

    /** Writes its state: status, period, cancellation, the provider's reference. */
    public Future<Void> update(SqlClient client, String studioId, Subscription s) {
        return client.preparedQuery("""
                        UPDATE subscriptions SET provider_reference = $3, status = $4, current_period_start = $5,
                            current_period_end = $6, cancel_at_period_end = $7, canceled_at = $8, updated_at = $9
                        WHERE studio_id = $1 AND id = $2""")
                .execute(Tuple.of(studioId, s.id(), s.providerReference(), s.status().wireName(),
                                Rows.timestamp(s.periodStart()), Rows.timestamp(s.periodEnd()))
                        .addValue(s.cancelAtPeriodEnd())
                        .addValue(Rows.timestamp(s.canceledAt()))
                        .addValue(Rows.timestamp(s.updatedAt())))
                .mapEmpty();
    }

    /** The subscription, or null. */
    public Future<Subscription> find(SqlClient client, String studioId, String id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM subscriptions WHERE studio_id = $1 AND id = $2")
                .execute(Tuple.of(studioId, id))
                .map(rows -> Rows.first(rows, SubscriptionRepository::subscription));
    }

    /** The given subscriptions (those that exist). */
    public Future<List<Subscription>> all(SqlClient client, String studioId, java.util.Collection<String> ids) {
        if (ids.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        return client.preparedQuery("SELECT s.* FROM unnest($2::text[]) AS want(id), LATERAL (SELECT " + COLUMNS
                        + " FROM subscriptions WHERE studio_id = $1 AND id = want.id OFFSET 0) s")
                .execute(Rows.args(studioId, ids.toArray(String[]::new)))
                .map(rows -> Rows.all(rows, SubscriptionRepository::subscription));
    }

    /** The subscription a purchase started, or null. */
    public Future<Subscription> ofPurchase(SqlClient client, String studioId, String purchaseId) {
        return client.preparedQuery("SELECT " + COLUMNS
                        + " FROM subscriptions WHERE studio_id = $1 AND purchase_id = $2")
                .execute(Tuple.of(studioId, purchaseId))
                .map(rows -> Rows.first(rows, SubscriptionRepository::subscription));
    }

    /** The subscription a payment provider knows by this reference, or null. */
    public Future<Subscription> byReference(SqlClient client, String studioId, String payment, String reference) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM subscriptions"
                        + " WHERE studio_id = $1 AND payment = $2 AND provider_reference = $3")
                .execute(Tuple.of(studioId, payment, reference))
                .map(rows -> Rows.first(rows, SubscriptionRepository::subscription));
    }

    /** The member's subscriptions, newest first. */
    public Future<List<Subscription>> ofMember(SqlClient client, String studioId, String memberId) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM subscriptions WHERE studio_id = $1 AND member_id = $2"
                        + " ORDER BY created_at DESC, id")
                .execute(Tuple.of(studioId, memberId))
                .map(rows -> Rows.all(rows, SubscriptionRepository::subscription));
    }

    /** The kernel's own renewals of a studio that fall due by {@code now}: subscriptions added without charging or paid outside Creditline. */
    public Future<List<Subscription>> due(SqlClient client, String studioId, Instant now, int limit) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM subscriptions WHERE studio_id = $1"
                        + " AND payment IN ('none', 'outside') AND status = 'active' AND current_period_end <= $2"
                        + " ORDER BY current_period_end, id LIMIT $3")
                .execute(Tuple.of(studioId, Rows.timestamp(now), limit))
                .map(rows -> Rows.all(rows, SubscriptionRepository::subscription));
    }

    /** The studios of due kernel renewals (for the periodic run). */
    public Future<List<String>> studiosDue(SqlClient client, Instant now) {
        return MultiShard.query(client, "SELECT DISTINCT s.studio_id FROM subscriptions s JOIN studios st"
                        + " ON st.id = s.studio_id AND NOT st.test_mode"
                        + " WHERE s.payment IN ('none', 'outside') AND s.status = 'active'"
                        + " AND s.current_period_end <= $1", Tuple.of(Rows.timestamp(now)))
                .map(rows -> Rows.all(rows, row -> row.getString("studio_id")));
    }

    /** Gives every subscription of one member to another (a merge). */
    public Future<Void> moveAll(SqlClient client, String studioId, String fromMemberId, String toMemberId) {
        return client.preparedQuery("UPDATE subscriptions SET member_id = $3 WHERE studio_id = $1 AND member_id = $2")
                .execute(Tuple.of(studioId, fromMemberId, toMemberId))
                .mapEmpty();
    }

    /** The studio's subscriptions, newest first, in one status when it is given. */
    public Future<ListPage<Subscription>> list(SqlClient client, String studioId, SubscriptionStatus status,
                                                  Long after, int limit) {
        return new ListQuery("SELECT " + COLUMNS + ", seq FROM subscriptions", "", studioId)
                .equal("status", status == null ? null : status.wireName())
                .run(client, after, limit)
                .map(rows -> ListPage.of(rows, limit, SubscriptionRepository::subscription));
    }

    private static Subscription subscription(Row row) {
        return new Subscription(row.getString("id"), row.getString("member_id"), row.getString("product_id"),
                row.getInteger("product_version"), row.getString("purchase_id"), row.getString("payment"),
                row.getString("provider_reference"), SubscriptionStatus.fromWire(row.getString("status")),
                Rows.instant(row, "current_period_start"), Rows.instant(row, "current_period_end"),
                row.getBoolean("cancel_at_period_end"), Rows.instant(row, "canceled_at"),
                Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"));
    }
}
