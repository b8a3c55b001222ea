package dev.creditline.plugins.vouchers;

import dev.creditline.api.Money;
import dev.creditline.api.spi.PluginDatabase;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Locale;

/** The plugin's tables: vouchers and their redemptions. */
final class VoucherStore {
    private static final String COLUMNS = """
            code, type, percent, amount_minor, currency, credits, product_id, product_ids, max_redemptions,
            once_per_member, valid_from, valid_until, redemptions, created_at""";

    private final String vouchers;
    private final String redemptions;

    @Inject
    VoucherStore(PluginDatabase database) {
        this.vouchers = database.schema() + ".vouchers";
        this.redemptions = database.schema() + ".redemptions";
    }

    /** Stores a new voucher; false when its code is taken. */
    Future<Boolean> insert(SqlClient client, String studioId, Voucher v, String actor) {
        return client.preparedQuery("INSERT INTO " + vouchers + " (studio_id, " + COLUMNS + ", created_by)"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
                        + " ON CONFLICT (studio_id, code) DO NOTHING")
                .execute(Tuple.of(studioId, v.code(), v.type().wireName(), v.percent(),
                                v.amount() == null ? null : v.amount().minor(),
                                v.amount() == null ? null : v.amount().currency().getCurrencyCode())
                        .addValue(v.credits())
                        .addValue(v.productId())
                        .addValue(v.productIds() == null ? null : v.productIds().toArray(String[]::new))
                        .addValue(v.maxRedemptions())
                        .addValue(v.oncePerMember())
                        .addValue(at(v.validFrom()))
                        .addValue(at(v.validUntil()))
                        .addValue(v.redemptions())
                        .addValue(at(v.createdAt()))
                        .addValue(actor))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The voucher, or null; {@code lock} takes its row lock, which serialises its redemptions. */
    Future<Voucher> find(SqlClient client, String studioId, String code, boolean lock) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM " + vouchers + " WHERE studio_id = $1 AND code = $2"
                        + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(studioId, code))
                .map(rows -> rows.size() == 0 ? null : voucher(rows.iterator().next()));
    }

    /** A voucher of a list page, with its place in the studio's creation order. */
    record Listed(long seq, Voucher voucher) {
    }

    /** Up to {@code limit + 1} of the studio's vouchers below the position {@code below} (null: from the newest). */
    Future<List<Listed>> page(SqlClient client, String studioId, Long below, int limit) {
        Tuple args = Tuple.of(studioId, limit + 1);
        String cursor = "";
        if (below != null) {
            cursor = " AND seq < $3";
            args.addValue(below);
        }
        return client.preparedQuery("SELECT seq, " + COLUMNS + " FROM " + vouchers + " WHERE studio_id = $1" + cursor
                        + " ORDER BY seq DESC LIMIT $2")
                .execute(args)
                .map(rows -> {
                    List<Listed> page = new java.util.ArrayList<>();
                    rows.forEach(row -> page.add(new Listed(row.getLong("seq"), voucher(row))));
                    return page;
                });
    }

    /** How often the member used the voucher. */
    Future<Integer> redemptionsBy(SqlClient client, String studioId, String code, String memberId) {
        return client.preparedQuery("SELECT count(*) AS n FROM " + redemptions
                        + " WHERE studio_id = $1 AND code = $2 AND member_id = $3")
                .execute(Tuple.of(studioId, code, memberId))
                .map(rows -> rows.iterator().next().getLong("n").intValue());
    }

    /** Records a use of the voucher (in the transaction that holds its lock). */
    Future<Void> redeem(SqlClient client, String studioId, String code, String memberId, String purchaseId,
                        Instant at) {
        return client.preparedQuery("INSERT INTO " + redemptions + " (studio_id, code, member_id, purchase_id, at)"
                        + " VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(studioId, code, memberId, purchaseId, at(at)))
                .compose(done -> client.preparedQuery("UPDATE " + vouchers
                                + " SET redemptions = redemptions + 1 WHERE studio_id = $1 AND code = $2")
                        .execute(Tuple.of(studioId, code)))
                .mapEmpty();
    }

    private static java.time.OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(Row row, String column) {
        var value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static Voucher voucher(Row row) {
        Long amount = row.getLong("amount_minor");
        String[] products = row.getArrayOfStrings("product_ids");
        return new Voucher(row.getString("code"),
                Voucher.Type.valueOf(row.getString("type").toUpperCase(Locale.ROOT)), row.getInteger("percent"),
                amount == null ? null : new Money(amount, Currency.getInstance(row.getString("currency"))),
                row.getInteger("credits"), row.getString("product_id"), products == null ? null : List.of(products),
                row.getInteger("max_redemptions"), row.getBoolean("once_per_member"), instant(row, "valid_from"),
                instant(row, "valid_until"), row.getInteger("redemptions"), instant(row, "created_at"));
    }
}
