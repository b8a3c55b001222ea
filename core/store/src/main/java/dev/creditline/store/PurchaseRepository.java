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

    /** A purchase of one product version. */
    public record Purchase(String id, String memberId, String productId, int productVersion, Status status,
                           String payment, Money price, Instant createdAt, Instant voidedAt) {

        public Purchase voided(Instant at) {
            return new Purchase(id, memberId, productId, productVersion, Status.VOIDED, payment, price, createdAt, at);
        }
    }

    private static final String COLUMNS =
            "id, member_id, product_id, product_version, status, payment, price_minor, currency, created_at, voided_at";

    @Inject
    public PurchaseRepository() {
    }

    public Future<Void> insert(SqlClient client, String studioId, Purchase p, String actor) {
        return client.preparedQuery("""
                        INSERT INTO purchases (studio_id, id, member_id, product_id, product_version, status, payment,
                            price_minor, currency, created_at, actor)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""")
                .execute(Tuple.of(studioId, p.id(), p.memberId(), p.productId(), p.productVersion(),
                                p.status().name().toLowerCase(Locale.ROOT))
                        .addValue(p.payment())
                        .addValue(p.price().minor())
                        .addValue(p.price().currency().getCurrencyCode())
                        .addValue(Rows.timestamp(p.createdAt()))
                        .addValue(actor))
                .mapEmpty();
    }

    /** The purchase, or null; {@code lock} takes its row lock. */
    public Future<Purchase> find(SqlClient client, String studioId, String id, boolean lock) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM purchases WHERE studio_id = $1 AND id = $2"
                        + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(studioId, id))
                .map(rows -> Rows.first(rows, PurchaseRepository::purchase));
    }

    public Future<Void> markVoided(SqlClient client, String studioId, Purchase purchase) {
        return client.preparedQuery("UPDATE purchases SET status = 'voided', voided_at = $3 WHERE studio_id = $1 AND id = $2")
                .execute(Tuple.of(studioId, purchase.id(), Rows.timestamp(purchase.voidedAt())))
                .mapEmpty();
    }

    /** Gives every purchase of one member to another (a merge). */
    public Future<Void> moveAll(SqlClient client, String studioId, String fromMemberId, String toMemberId) {
        return client.preparedQuery("UPDATE purchases SET member_id = $3 WHERE studio_id = $1 AND member_id = $2")
                .execute(Tuple.of(studioId, fromMemberId, toMemberId))
                .mapEmpty();
    }

    private static Purchase purchase(Row row) {
        return new Purchase(row.getString("id"), row.getString("member_id"), row.getString("product_id"),
                row.getInteger("product_version"), Status.valueOf(row.getString("status").toUpperCase(Locale.ROOT)),
                row.getString("payment"),
                new Money(row.getLong("price_minor"), Currency.getInstance(row.getString("currency"))),
                Rows.instant(row, "created_at"), Rows.instant(row, "voided_at"));
    }
}
