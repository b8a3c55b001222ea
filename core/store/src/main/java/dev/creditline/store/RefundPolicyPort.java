package dev.creditline.store;

import dev.creditline.api.Money;
import dev.creditline.api.spi.RefundPolicy;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** How much money a purchase gets back. The kernel implements it with the studio's refund policy plugin. */
@FunctionalInterface
public interface RefundPolicyPort {
    /** Without a policy: the unused credits at their cost basis, rounded down to the cent. */
    RefundPolicyPort UNUSED_AT_COST = (s, purchase) -> Future.succeededFuture(new RefundPolicy.Quote(
            prorated(purchase.paid(), purchase.unusedCredits(), purchase.credits()),
            purchase.unusedCredits() + " of " + purchase.credits() + " credits unused, at their cost basis"));

    /** The amount to refund. */
    Future<RefundPolicy.Quote> quote(StudioContext s, RefundPolicy.Purchase purchase);

    /** {@code paid × part / whole}, rounded down to the minor unit. */
    static Money prorated(Money paid, int part, int whole) {
        if (whole <= 0) {
            return Money.zero(paid.currency());
        }
        long minor = BigDecimal.valueOf(paid.minor()).multiply(BigDecimal.valueOf(part))
                .divide(BigDecimal.valueOf(whole), 0, RoundingMode.DOWN).longValueExact();
        return new Money(minor, paid.currency());
    }
}
