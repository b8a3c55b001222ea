package dev.creditline.store;

import dev.creditline.api.spi.RefundPolicy;
import dev.creditline.ledger.CostBasis;
import io.vertx.core.Future;

/** How much money a purchase gets back. The kernel implements it with the studio's refund policy plugin. */
@FunctionalInterface
public interface RefundPolicyPort {
    /** Without a policy: the unused credits at their cost basis, rounded down to the cent. */
    RefundPolicyPort UNUSED_AT_COST = (s, purchase) -> Future.succeededFuture(new RefundPolicy.Quote(
            CostBasis.prorated(purchase.paid(), purchase.unusedCredits(), purchase.credits()),
            purchase.unusedCredits() + " of " + purchase.credits() + " credits unused, at their cost basis"));

    /** The amount to refund. */
    Future<RefundPolicy.Quote> quote(StudioContext s, RefundPolicy.Purchase purchase);
}
