package dev.creditline.api.spi;

import dev.creditline.api.Money;
import io.vertx.core.Future;
import java.time.Instant;
import org.pf4j.ExtensionPoint;

/**
 * How much money a purchase gets back ({@code POST /v1/purchases/{id}/refund} with {@code mode: money}). Without an
 * enabled policy the kernel refunds the unused credits at their cost basis.
 *
 * <p>Called inside the refund's transaction, before the payment provider; it only computes and must not change
 * anything.
 */
public interface RefundPolicy extends ExtensionPoint {

    /** The amount to refund. It must be between zero and the amount paid, in the purchase's currency. */
    Future<Quote> quote(Purchase purchase);

    /**
     * A purchase to refund.
     *
     * @param paid            what was paid
     * @param purchasedAt     when
     * @param credits         credits it issued
     * @param unusedCredits   credits of it still unused
     * @param now             the studio's time
     */
    record Purchase(String studioId, String purchaseId, String memberId, Money paid, Instant purchasedAt,
                    int credits, int unusedCredits, Instant now) {
    }

    /**
     * A policy's answer.
     *
     * @param amount      the money to pay back
     * @param explanation why this amount, for the studio
     */
    record Quote(Money amount, String explanation) {
    }
}
