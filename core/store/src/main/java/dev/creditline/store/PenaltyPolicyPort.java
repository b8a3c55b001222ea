package dev.creditline.store;

import dev.creditline.api.spi.PenaltyPolicy;
import io.vertx.core.Future;

/**
 * What a late cancel or a no-show costs, as the ledger's transactions see it. The kernel implements it with the
 * studio's {@link PenaltyPolicy} plugin; without one the kernel's answer (the studio's setting) stands.
 */
public interface PenaltyPolicyPort {
    /** No policy: the studio's setting decides. */
    PenaltyPolicyPort SETTING = new PenaltyPolicyPort() {
        @Override
        public boolean activeFor(String studioId) {
            return false;
        }

        @Override
        public Future<PenaltyPolicy.Penalty> penalty(StudioContext s, PenaltyPolicy.Case booking) {
            return Future.succeededFuture(booking.kernels());
        }
    };

    /** Whether a plugin decides the studio's penalties (else the setting decides, without asking). */
    boolean activeFor(String studioId);

    /** The penalty for a booking. */
    Future<PenaltyPolicy.Penalty> penalty(StudioContext s, PenaltyPolicy.Case booking);
}
