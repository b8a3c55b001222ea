package dev.creditline.ledger;

import dev.creditline.api.IneligibilityReason;
import dev.creditline.api.Lot;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether one lot can pay for a scheduler, and if not, every reason why: the ledger's own reasons and the vetoes of
 * the studio's credit policies.
 *
 * @param lot     the lot
 * @param reasons the ledger's reasons it cannot pay
 * @param vetoes  reason codes of policies that refused it (e.g. {@code wrong_trainer})
 */
public record LotEligibility(Lot lot, List<IneligibilityReason> reasons, List<String> vetoes) {

    public LotEligibility {
        reasons = List.copyOf(reasons);
        vetoes = List.copyOf(vetoes);
    }

    public LotEligibility(Lot lot, List<IneligibilityReason> reasons) {
        this(lot, reasons, List.of());
    }

    /** Whether the lot can pay. */
    public boolean eligible() {
        return reasons.isEmpty() && vetoes.isEmpty();
    }

    /** Every reason as its wire code, the ledger's first; a policy's veto the ledger gave already is listed once. */
    public List<String> codes() {
        List<String> codes = new ArrayList<>(reasons.size() + vetoes.size());
        reasons.forEach(reason -> codes.add(reason.wireName()));
        vetoes.stream().filter(veto -> !codes.contains(veto)).forEach(codes::add);
        return codes;
    }

    /** This lot also refused by a policy. */
    public LotEligibility vetoedFor(String code) {
        List<String> more = new ArrayList<>(vetoes);
        if (!more.contains(code)) {
            more.add(code);
        }
        return new LotEligibility(lot, reasons, more);
    }
}
