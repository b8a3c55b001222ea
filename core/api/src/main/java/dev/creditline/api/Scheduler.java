package dev.creditline.api;

import java.util.Objects;
import org.threeten.extra.PeriodDuration;

/**
 * A course or class type that members book: what it costs in credits and how it may be paid.
 *
 * @param id                 the scheduler's id
 * @param name               its name, e.g. "Rising Stars Class"
 * @param creditCost         credits one booking costs (at least 1)
 * @param paymentMode        credits, direct payment, or both
 * @param trainerId          the trainer who runs it, or null
 * @param cancellationWindow how long before the start a booking can be cancelled with a refund
 * @param price              the direct-payment price, or null
 */
public record Scheduler(
        String id,
        String name,
        int creditCost,
        PaymentMode paymentMode,
        String trainerId,
        PeriodDuration cancellationWindow,
        Money price) {

    public Scheduler {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(paymentMode, "paymentMode");
        Objects.requireNonNull(cancellationWindow, "cancellationWindow");
    }
}
