package dev.creditline.store;

import dev.creditline.api.Money;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/** Applies a voucher code to a purchase, inside its transaction. The kernel implements it with voucher plugins. */
@FunctionalInterface
public interface VoucherPort {
    /** No voucher plugin: every code is refused. */
    VoucherPort NONE = (c, s, memberId, productId, purchaseId, price, code) -> Future.failedFuture(
            Rejection.invalid("voucherCode", "vouchers are not enabled for this studio"));

    /**
     * The price after the voucher; fails with a {@link Rejection} naming {@code voucherCode} when the code is unknown
     * or cannot be used.
     */
    Future<Money> apply(SqlConnection c, StudioContext s, String memberId, String productId, String purchaseId,
                        Money price, String code);
}
