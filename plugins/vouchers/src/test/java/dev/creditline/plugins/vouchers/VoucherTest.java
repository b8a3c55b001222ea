package dev.creditline.plugins.vouchers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.api.Money;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;

class VoucherTest {
    private static final Currency EUR = Currency.getInstance("EUR");
    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");

    private static Voucher percent(int value) {
        return new Voucher("SPRING", Voucher.Type.PERCENT, value, null, null, null, null, null, false, null, null, 0,
                NOW);
    }

    @Test
    void aPercentDiscountRoundsToTheCent() {
        assertThat(percent(20).discounted(new Money(13500, EUR))).isEqualTo(new Money(10800, EUR));
        assertThat(percent(33).discounted(new Money(999, EUR))).isEqualTo(new Money(669, EUR));
        assertThat(percent(100).discounted(new Money(4500, EUR))).isEqualTo(new Money(0, EUR));
    }

    @Test
    void aFixedDiscountStopsAtZeroAndNeedsTheSameCurrency() {
        Voucher tenOff = new Voucher("TEN", Voucher.Type.AMOUNT, null, new Money(1000, EUR), null, null, null, null,
                false, null, null, 0, NOW);

        assertThat(tenOff.discounted(new Money(2500, EUR))).isEqualTo(new Money(1500, EUR));
        assertThat(tenOff.discounted(new Money(500, EUR))).isEqualTo(new Money(0, EUR));
        assertThat(tenOff.discounted(new Money(2500, Currency.getInstance("USD")))).isNull();
    }

    @Test
    void limitsExplainWhyAVoucherCannotBeUsed() {
        Voucher limited = new Voucher("LIM", Voucher.Type.PERCENT, 10, null, null, null, List.of("prd_yoga"), 2, true,
                NOW.minusSeconds(60), NOW.plusSeconds(60), 1, NOW);

        assertThat(limited.refusal(NOW, "prd_yoga", 0)).isNull();
        assertThat(limited.refusal(NOW, "prd_spin", 0)).contains("does not apply");
        assertThat(limited.refusal(NOW, "prd_yoga", 1)).contains("once per member");
        assertThat(limited.refusal(NOW.minusSeconds(120), "prd_yoga", 0)).contains("valid from");
        assertThat(limited.refusal(NOW.plusSeconds(60), "prd_yoga", 0)).contains("expired");
        Voucher usedUp = new Voucher("UP", Voucher.Type.PERCENT, 10, null, null, null, null, 2, false, null, null, 2,
                NOW);
        assertThat(usedUp.refusal(NOW, null, 0)).contains("used up");
    }

    @Test
    void generatedCodesAvoidLookAlikeCharacters() {
        for (int i = 0; i < 200; i++) {
            assertThat(VoucherRoutes.generateCode()).hasSize(8).doesNotContainPattern("[01ILO]");
        }
    }
}
