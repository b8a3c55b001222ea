package com.example.firstvisit;

import dev.creditline.api.Lot;
import dev.creditline.api.LotCategory;
import dev.creditline.api.spi.CreditPolicy;
import dev.creditline.api.spi.PluginSettings;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Promotional credits (a trial, a referral gift) pay only for a member's first {@code maxVisits} bookings (setting,
 * default 1); after that they show {@code first_visits_only} in the eligibility explanation. Paid credits are never
 * affected.
 */
@Extension
public final class FirstVisitPolicy implements CreditPolicy {
    static final String MAX_VISITS = "maxVisits";
    static final String REASON = "first_visits_only";

    private final PluginSettings settings;

    @Inject
    FirstVisitPolicy(PluginSettings settings) {
        this.settings = settings;
    }

    @Override
    public Future<Decision> decide(Redemption redemption) {
        boolean promotional = redemption.lots().stream().anyMatch(lot -> lot.category() == LotCategory.PROMOTIONAL);
        if (!promotional) {
            return Future.succeededFuture(Decision.none());
        }
        int maxVisits = settings.forStudio(redemption.studioId()).getInteger(MAX_VISITS, 1);
        // The redemption's ledger reads in the booking's transaction, where the member is locked.
        return redemption.ledger().activeBookings(redemption.studioId(), redemption.memberId()).map(visits -> {
            if (visits < maxVisits) {
                return Decision.none();
            }
            Map<String, String> vetoes = new LinkedHashMap<>();
            for (Lot lot : redemption.lots()) {
                if (lot.category() == LotCategory.PROMOTIONAL) {
                    vetoes.put(lot.id(), REASON);
                }
            }
            return Decision.veto(vetoes);
        });
    }
}
