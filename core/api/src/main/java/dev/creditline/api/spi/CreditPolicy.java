package dev.creditline.api.spi;

import dev.creditline.api.Lot;
import dev.creditline.api.Scheduler;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.pf4j.ExtensionPoint;

/**
 * Decides which of a member's lots may pay for a booking and in which order they are spent.
 *
 * <p>Called for every booking paid with credits and every eligibility explanation, inside the booking's
 * transaction while the member is locked, after the kernel's own checks (expiry, pause, redeemable schedulers).
 * It must only read: query the ledger through {@link Redemption#ledger()}, which reads in the booking's transaction,
 * and never change it. Keep it fast: the member stays locked while it runs, and the kernel's time limit fails the
 * booking when it is exceeded.
 */
public interface CreditPolicy extends ExtensionPoint {

    /** Decides on a redemption. */
    Future<Decision> decide(Redemption redemption);

    /**
     * A redemption to decide on.
     *
     * @param studioId  the studio
     * @param memberId  the member
     * @param scheduler what is booked
     * @param startsAt  when it starts (null for an eligibility explanation)
     * @param now       the studio's time
     * @param lots      the member's lots with credits left that the kernel finds eligible, in the default order
     * @param ledger    the ledger, read in the booking's transaction (for queries only)
     */
    record Redemption(String studioId, String memberId, Scheduler scheduler, Instant startsAt, Instant now,
                      List<Lot> lots, LedgerService ledger) {
    }

    /**
     * A policy's answer.
     *
     * @param vetoes lot id → reason code ({@code wrong_trainer}, {@code first_visit_only}, ...) for lots that must not
     *               pay; every id must be one of the redemption's lots
     * @param order  the lot ids in the order to spend them (a permutation of the lots not vetoed), or null to keep
     *               the kernel's order
     */
    record Decision(Map<String, String> vetoes, List<String> order) {
        /** No objection, default order. */
        public static Decision none() {
            return new Decision(Map.of(), null);
        }

        /** Vetoes, default order. */
        public static Decision veto(Map<String, String> vetoes) {
            return new Decision(vetoes, null);
        }
    }
}
