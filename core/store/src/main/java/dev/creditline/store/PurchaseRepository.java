package dev.creditline.store;

import dev.creditline.api.Money;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Currency;
import java.util.Locale;

/** Purchases of products. */
public final class PurchaseRepository {

    /** A purchase's state. */
    public enum Status { PENDING, COMPLETED, VOIDED, REFUNDED }

    /**
     * A purchase of one product version.
     *
     * @param payment           "none", or the payment provider's id
     * @param price             the product's price when bought
     * @param amountPaid        what was paid after a voucher (the lots' cost), or null while pending
     * @param voucherCode       the voucher used, or null
     * @param providerReference the payment provider's reference, or null
     * @param checkoutUrl       where the member pays a pending purchase, or null
     * @param refundDueCredits  credits taken back without paying for them yet (a trainer left): the next refund
     *                          owes them
     * @param refundedAt        when money or store credit was given back, or null
     * @param refundAmount      the money given back, or null
     */
    public record Purchase(String id, String memberId, String productId, int productVersion, Status status,
                           String payment, Money price, Money amountPaid, String voucherCode,
                           String providerReference, String checkoutUrl, int refundDueCredits, Instant createdAt,
                           Instant voidedAt, Instant refundedAt, Money refundAmount) {

        /** Whether money is owed back (credits were taken back without a refund). */
        public boolean refundDue() {
            return refundDueCredits > 0;
        }

        /** A new purchase. */
        public static Purchase create(String id, String memberId, String productId, int version, Status status,
                                      String payment, Money price, Money amountPaid, String voucherCode,
                                      Instant at) {
            return new Purchase(id, memberId, productId, version, status, payment, price, amountPaid, voucherCode,
                    null, null, 0, at, null, null, null);
        }

        public Purchase voided(Instant at) {
            return new Purchase(id, memberId, productId, productVersion, Status.VOIDED, payment, price, amountPaid,
                    voucherCode, providerReference, checkoutUrl, refundDueCredits, createdAt, at, refundedAt,
                    refundAmount);
        }

        public Purchase withCheckout(String url, String reference) {
            return new Purchase(id, memberId, productId, productVersion, status, payment, price, amountPaid,
                    voucherCode, reference, url, refundDueCredits, createdAt, voidedAt, refundedAt, refundAmount);
        }

        public Purchase completed(Money paid, String reference) {
            return new Purchase(id, memberId, productId, productVersion, Status.COMPLETED, payment, price, paid,
                    voucherCode, reference == null ? providerReference : reference, checkoutUrl, refundDueCredits,
                    createdAt, voidedAt, refundedAt, refundAmount);
        }

        public Purchase refunded(Money amount, Instant at) {
            return new Purchase(id, memberId, productId, productVersion, Status.REFUNDED, payment, price, amountPaid,
                    voucherCode, providerReference, checkoutUrl, 0, createdAt, voidedAt, at, amount);
        }
    }

    private static final String COLUMNS = """
            id, member_id, product_id, product_version, status, payment, price_minor, currency, amount_paid_minor,
            voucher_code, provider_reference, checkout_url, refund_due_credits, created_at, voided_at,
            refunded_at, refund_amount_minor""";

    @Inject
    public PurchaseRepository() {
    }

    public Future<Void> insert(SqlClient client, String studioId, Purchase p, String actor) {
        return client.preparedQuery("""
                        INSERT INTO purchases (studio_id, id, member_id, product_id, product_version, status, payment,
                            price_minor, currency, amount_paid_minor, voucher_code, created_at, actor)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)""")
                .execute(Tuple.of(studioId, p.id(), p.memberId(), p.productId(), p.productVersion(),
                                p.status().name().toLowerCase(Locale.ROOT))
                        .addValue(p.payment())
                        .addValue(p.price().minor())
                        .addValue(p.price().currency().getCurrencyCode())
                        .addValue(p.amountPaid() == null ? null : p.amountPaid().minor())
                        .addValue(p.voucherCode())
                        .addValue(Rows.timestamp(p.createdAt()))
                        .addValue(actor))
                .mapEmpty();
    }

    /** Writes a purchase's state after a change (checkout, completion, void, refund). */
    public Future<Void> update(SqlClient client, String studioId, Purchase p) {
        return client.preparedQuery("""
                        UPDATE purchases SET status = $3, amount_paid_minor = $4, provider_reference = $5,
                            checkout_url = $6, refund_due_credits = $7, refund_due = $7 > 0, voided_at = $8,
                            refunded_at = $9, refund_amount_minor = $10
                        WHERE studio_id = $1 AND id = $2""")
                .execute(Tuple.of(studioId, p.id(), p.status().name().toLowerCase(Locale.ROOT),
                                p.amountPaid() == null ? null : p.amountPaid().minor(), p.providerReference(),
                                p.checkoutUrl())
                        .addValue(p.refundDueCredits())
                        .addValue(Rows.timestamp(p.voidedAt()))
                        .addValue(Rows.timestamp(p.refundedAt()))
                        .addValue(p.refundAmount() == null ? null : p.refundAmount().minor()))
                .mapEmpty();
    }

    /** Marks a purchase as paying for one billing period of a subscription (each period is paid once). */
    public Future<Void> linkPeriod(SqlClient client, String studioId, String purchaseId, String subscriptionId,
                                   Instant periodStart, Instant periodEnd) {
        return client.preparedQuery("UPDATE purchases SET subscription_id = $3, period_start = $4, period_end = $5"
                        + " WHERE studio_id = $1 AND id = $2")
                .execute(Tuple.of(studioId, purchaseId, subscriptionId, Rows.timestamp(periodStart),
                        Rows.timestamp(periodEnd)))
                .mapEmpty();
    }

    /** The purchase that paid for the subscription's period starting then, or null. */
    public Future<Purchase> ofPeriod(SqlClient client, String studioId, String subscriptionId, Instant periodStart) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM purchases WHERE studio_id = $1"
                        + " AND subscription_id = $2 AND period_start = $3")
                .execute(Tuple.of(studioId, subscriptionId, Rows.timestamp(periodStart)))
                .map(rows -> Rows.first(rows, PurchaseRepository::purchase));
    }

    /** Flags a purchase as owing a refund for {@code credits} more credits taken back from it. */
    public Future<Void> flagRefundDue(SqlClient client, String studioId, String purchaseId, int credits) {
        return client.preparedQuery("UPDATE purchases SET refund_due = true,"
                        + " refund_due_credits = refund_due_credits + $3 WHERE studio_id = $1 AND id = $2")
                .execute(Tuple.of(studioId, purchaseId, credits))
                .mapEmpty();
    }

    /** The purchase, or null; {@code lock} takes its row lock. */
    public Future<Purchase> find(SqlClient client, String studioId, String id, boolean lock) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM purchases WHERE studio_id = $1 AND id = $2"
                        + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(studioId, id))
                .map(rows -> Rows.first(rows, PurchaseRepository::purchase));
    }

    /** The studio's purchases, newest first, of one member and in one status when those are given. */
    public Future<ListPage<Purchase>> list(SqlClient client, String studioId, String memberId, Status status,
                                              Long after, int limit) {
        return new ListQuery("SELECT " + COLUMNS + ", seq FROM purchases", "", studioId)
                .equal("member_id", memberId)
                .equal("status", status == null ? null : status.name().toLowerCase(Locale.ROOT))
                .run(client, after, limit)
                .map(rows -> ListPage.of(rows, limit, PurchaseRepository::purchase));
    }

    /** Gives every purchase of one member to another (a merge). */
    public Future<Void> moveAll(SqlClient client, String studioId, String fromMemberId, String toMemberId) {
        return client.preparedQuery("UPDATE purchases SET member_id = $3 WHERE studio_id = $1 AND member_id = $2")
                .execute(Tuple.of(studioId, fromMemberId, toMemberId))
                .mapEmpty();
    }

    private static Purchase purchase(Row row) {
        Currency currency = Currency.getInstance(row.getString("currency"));
        Long paid = row.getLong("amount_paid_minor");
        Long refund = row.getLong("refund_amount_minor");
        return new Purchase(row.getString("id"), row.getString("member_id"), row.getString("product_id"),
                row.getInteger("product_version"), Status.valueOf(row.getString("status").toUpperCase(Locale.ROOT)),
                row.getString("payment"), new Money(row.getLong("price_minor"), currency),
                paid == null ? null : new Money(paid, currency), row.getString("voucher_code"),
                row.getString("provider_reference"), row.getString("checkout_url"), row.getInteger("refund_due_credits"),
                Rows.instant(row, "created_at"), Rows.instant(row, "voided_at"), Rows.instant(row, "refunded_at"),
                refund == null ? null : new Money(refund, currency));
    }
}
