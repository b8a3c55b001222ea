package dev.creditline.ledger;

import dev.creditline.api.Lot;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which a member's eligible lots are spent. An unlimited lot always comes first (it costs the member
 * nothing); the finite lots follow the studio's policy.
 */
public enum ConsumptionOrder {
    /** Oldest acquisition first, as studios promise their members. The default. */
    FIFO(Comparator.comparing(Lot::acquiredAt).thenComparingLong(Lot::seq)),
    /** The lot that expires soonest first; lots without an expiry last, then by acquisition. */
    EARLIEST_EXPIRY(Comparator.comparing((Lot lot) -> lot.expiresAt() == null ? Instant.MAX : lot.expiresAt())
            .thenComparing(Lot::acquiredAt).thenComparingLong(Lot::seq));

    private final Comparator<Lot> order;

    ConsumptionOrder(Comparator<Lot> finiteOrder) {
        this.order = Comparator.comparing((Lot lot) -> !lot.unlimited()).thenComparing(finiteOrder);
    }

    /** The lots sorted in spending order. */
    public List<Lot> sort(List<Lot> lots) {
        return lots.stream().sorted(order).toList();
    }
}
