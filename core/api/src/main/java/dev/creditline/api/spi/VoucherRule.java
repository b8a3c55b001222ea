package dev.creditline.api.spi;

import dev.creditline.api.Money;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.Optional;
import org.pf4j.ExtensionPoint;

/**
 * Applies voucher codes to purchases. A purchase with a {@code voucherCode} asks each enabled rule in turn; the first
 * that knows the code decides: a discount, or a refusal. A code no rule knows is refused (422).
 *
 * <p>Called inside the purchase's transaction, after the member is locked: record the redemption on
 * {@link Application#transaction()} so that it commits with the purchase, or not at all. Lock what limits the
 * redemptions (e.g. the voucher's row) so concurrent purchases cannot exceed them.
 */
public interface VoucherRule extends ExtensionPoint {

    /** Applies the code, or answers empty when the code is not this rule's. */
    Future<Optional<Effect>> apply(Application application);

    /**
     * A purchase with a voucher code.
     *
     * @param transaction the purchase's transaction
     * @param price       the product's price before the voucher
     */
    record Application(SqlConnection transaction, String studioId, String memberId, String productId,
                       String purchaseId, String code, Money price, Instant now) {
    }

    /**
     * What the voucher does to the purchase.
     *
     * @param price   the price to pay after the discount (between zero and the price)
     * @param refusal why the code cannot be used, or null; the purchase fails with 409 naming the code
     */
    record Effect(Money price, String refusal) {
        public static Effect discount(Money price) {
            return new Effect(price, null);
        }

        public static Effect refuse(String why) {
            return new Effect(null, why);
        }
    }
}
