package dev.creditline.ledger;

import dev.creditline.api.IneligibilityReason;
import dev.creditline.api.Lot;
import java.util.List;

/**
 * Whether one lot can pay for a scheduler, and if not, every reason why.
 *
 * @param lot     the lot
 * @param reasons why it cannot pay; empty when it can
 */
public record LotEligibility(Lot lot, List<IneligibilityReason> reasons) {

    public LotEligibility {
        reasons = List.copyOf(reasons);
    }

    /** Whether the lot can pay. */
    public boolean eligible() {
        return reasons.isEmpty();
    }
}
