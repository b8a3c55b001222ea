package dev.creditline.store;

import dev.creditline.api.Scheduler;
import dev.creditline.ledger.EligibilityReport;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.Instant;

/**
 * The studio's credit policies, as the ledger's transactions see them: they may veto lots and choose the spending
 * order. The kernel implements it with the plugins a studio enabled.
 */
public interface RedemptionPolicyPort {
    /** No policies: the ledger's own eligibility and order. */
    RedemptionPolicyPort NONE = new RedemptionPolicyPort() {
        @Override
        public Future<EligibilityReport> apply(SqlClient client, StudioContext s, String memberId,
                                               Scheduler scheduler, Instant startsAt, EligibilityReport report) {
            return Future.succeededFuture(report);
        }

        @Override
        public boolean activeFor(String studioId) {
            return false;
        }
    };

    /**
     * Whether the studio has policies now. Without any, the ledger alone decides a booking, and several bookings can
     * be decided together before any of them is written.
     */
    default boolean activeFor(String studioId) {
        return true;
    }

    /**
     * The report after the studio's policies.
     *
     * @param startsAt when the booked class starts, or null for an explanation
     */
    Future<EligibilityReport> apply(SqlClient client, StudioContext s, String memberId, Scheduler scheduler,
                                    Instant startsAt, EligibilityReport report);
}
