package dev.creditline.plugins.trainerbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.api.Money;
import dev.creditline.api.PaymentMode;
import dev.creditline.api.Scheduler;
import dev.creditline.api.spi.CreditPolicy;
import dev.creditline.testkit.TestLots;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.threeten.extra.PeriodDuration;

class TrainerPolicyTest {
    private static final Money EUR_100 = new Money(10000, Currency.getInstance("EUR"));

    @Test
    void lotsBoundToAnotherTrainerAreVetoedAndFreeLotsAreNot() {
        Scheduler annasClass = new Scheduler("sch_1", "PT with Anna", 1, PaymentMode.CREDITS, "trn_anna",
                PeriodDuration.parse("PT12H"), null);
        var redemption = new CreditPolicy.Redemption("std_1", "mem_1", annasClass, null, Instant.now(), List.of(
                TestLots.paid("anna", "prd_1", 5, EUR_100).trainer("trn_anna").build(),
                TestLots.paid("ben", "prd_2", 5, EUR_100).trainer("trn_ben").build(),
                TestLots.master("free", 2).build()), null);

        CreditPolicy.Decision decision = new TrainerPolicy().decide(redemption).result();

        assertThat(decision.vetoes()).isEqualTo(Map.of("ben", "wrong_trainer"));
        assertThat(decision.order()).isNull();
    }

    @Test
    void aClassWithoutTrainerTakesNoBoundCredits() {
        Scheduler openGym = new Scheduler("sch_2", "Open Gym", 1, PaymentMode.CREDITS, null,
                PeriodDuration.parse("PT1H"), null);
        var redemption = new CreditPolicy.Redemption("std_1", "mem_1", openGym, null, Instant.now(),
                List.of(TestLots.paid("anna", "prd_1", 5, EUR_100).trainer("trn_anna").build()), null);

        assertThat(new TrainerPolicy().decide(redemption).result().vetoes()).containsKey("anna");
    }
}
