package com.example.firstvisit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.api.Money;
import dev.creditline.api.PaymentMode;
import dev.creditline.api.Scheduler;
import dev.creditline.api.spi.CreditPolicy;
import dev.creditline.api.spi.CreditlinePlugin;
import dev.creditline.testkit.FakePluginHost;
import dev.creditline.testkit.StubLedger;
import dev.creditline.testkit.TestLots;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.threeten.extra.PeriodDuration;

/** The example plugin tested as docs/plugins.md shows: built on a fake host, no kernel, no database. */
class FirstVisitPolicyTest {
    private static final Scheduler YOGA = new Scheduler("sch_yoga", "Yoga", 1, PaymentMode.CREDITS, null,
            PeriodDuration.parse("PT12H"), null);

    /** The plugin's policy, built on a fake host with the studio's settings. */
    private static CreditPolicy policy(JsonObject settings) {
        FakePluginHost host = new FakePluginHost("first-visit-policy").enable("std_1", settings);
        return DaggerFirstVisitComponent.factory().create(host).extensions().values().stream()
                .map(CreditPolicy.class::cast).findFirst().orElseThrow();
    }

    /** A redemption of a member with this many bookings, offering a trial lot and a paid one. */
    private static CreditPolicy.Redemption redemption(long bookings) {
        StubLedger ledger = new StubLedger() {
            @Override
            public Future<Long> activeBookings(String studioId, String memberId) {
                return Future.succeededFuture(bookings);
            }
        };
        return new CreditPolicy.Redemption("std_1", "mem_1", YOGA, null, Instant.now(), List.of(
                TestLots.master("trial", 1).build(),
                TestLots.paid("paid", "prd_10", 10, new Money(13500, Currency.getInstance("EUR"))).build()), ledger);
    }

    @Test
    void trialCreditsPayForTheFirstVisit() {
        assertThat(policy(new JsonObject()).decide(redemption(0)).result().vetoes()).isEmpty();
    }

    @Test
    void afterTheFirstVisitsOnlyPromotionalCreditsAreVetoed() {
        CreditPolicy.Decision decision = policy(new JsonObject()).decide(redemption(1)).result();

        assertThat(decision.vetoes()).isEqualTo(Map.of("trial", "first_visits_only"));
    }

    @Test
    void theNumberOfFirstVisitsIsASetting() {
        assertThat(policy(new JsonObject().put("maxVisits", 3)).decide(redemption(2)).result().vetoes()).isEmpty();
        assertThat(policy(new JsonObject().put("maxVisits", 3)).decide(redemption(3)).result().vetoes())
                .containsKey("trial");
    }

    @Test
    void badSettingsAreNamed() {
        CreditlinePlugin plugin = new FirstVisitPlugin();

        assertThat(plugin.checkSettings(new JsonObject().put("maxVisits", 0), true))
                .extracting(CreditlinePlugin.SettingProblem::setting).containsExactly("maxVisits");
        assertThat(plugin.checkSettings(new JsonObject().put("maxVisits", "two"), true)).hasSize(1);
        assertThat(plugin.checkSettings(new JsonObject().put("maxVisits", 2), true)).isEmpty();
    }
}
