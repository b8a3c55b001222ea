package dev.creditline.plugins.refunds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.api.Money;
import dev.creditline.api.spi.RefundPolicy;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The standard refund terms, to the cent. */
class RefundTermsTest {
    private static final Currency EUR = Currency.getInstance("EUR");
    private static final Instant BOUGHT = Instant.parse("2026-03-01T10:00:00Z");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // case,                               paid,  credits, unused, days later, refund
        "'unused, the same day',               13500, 10, 10, 0,  13500",
        "'unused, on day 7',                   13500, 10, 10, 7,  13500",
        "'unused, on day 8: minus 1.5% + 0.25', 13500, 10, 10, 8,  13272",
        "'unused after 7 days, cheap',          10,    1,  1,  30, 0",
        "'3 of 10 used, pro-rated',             13500, 10, 7,  2,  9450",
        "'1 of 3 used, rounded down',           1000,  3,  2,  40, 666",
        "'all used',                            13500, 10, 0,  1,  0",
        "'unlimited period within 7 days',      8900,  0,  0,  3,  8900",
        "'unlimited period later',              8900,  0,  0,  9,  0"
    })
    void theTableOfRefunds(String name, long paid, int credits, int unused, int days, long refund) {
        var purchase = new RefundPolicy.Purchase("std_1", "pur_1", "mem_1", new Money(paid, EUR), BOUGHT, credits,
                unused, BOUGHT.plus(Duration.ofDays(days)));

        RefundPolicy.Quote quote = RefundTerms.DEFAULTS.quote(purchase);

        assertThat(quote.amount()).isEqualTo(new Money(refund, EUR));
        assertThat(quote.explanation()).isNotBlank();
    }

    @Test
    void aStudioSetsItsOwnTermsAndBadOnesAreNamed() {
        RefundTerms terms = RefundTerms.of(new JsonObject().put("fullRefundDays", 14).put("feePercent", 2.9)
                .put("feeFixed", "0.30"));
        var late = new RefundPolicy.Purchase("std_1", "pur_1", "mem_1", new Money(10000, EUR), BOUGHT, 5, 5,
                BOUGHT.plus(Duration.ofDays(15)));
        assertThat(terms.quote(late).amount()).isEqualTo(new Money(10000 - 290 - 30, EUR));

        RefundPolicyPlugin plugin = new RefundPolicyPlugin();
        assertThat(plugin.checkSettings(new JsonObject().put("fullRefundDays", -1).put("feePercent", "lots")
                .put("feeFixed", Double.POSITIVE_INFINITY).put("colour", "red"), true)).extracting(p -> p.setting())
                .containsExactlyInAnyOrder("fullRefundDays", "feePercent", "feeFixed", "colour");
        assertThat(plugin.checkSettings(new JsonObject().put("feeFixed", "0.00001"), true))
                .extracting(p -> p.setting()).containsExactly("feeFixed");
        assertThat(plugin.checkSettings(new JsonObject().put("feePercent", 2.9).put("feeFixed", "0.30"), true))
                .isEmpty();
    }
}
