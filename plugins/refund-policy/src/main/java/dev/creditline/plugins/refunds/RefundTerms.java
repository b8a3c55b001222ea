package dev.creditline.plugins.refunds;

import dev.creditline.api.Money;
import dev.creditline.api.spi.CreditlinePlugin.SettingProblem;
import dev.creditline.api.spi.PluginSetting;
import dev.creditline.api.spi.RefundPolicy;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A studio's refund terms, and what they give back for a purchase:
 * <ul>
 *   <li>unused, within {@code fullRefundDays} of the purchase: everything paid;</li>
 *   <li>unused, later: what was paid minus the payment fee ({@code feePercent} of it plus {@code feeFixed});</li>
 *   <li>partly used: the unused credits at their cost basis (paid × unused / credits, rounded down to the cent);</li>
 *   <li>an unlimited period (no credits to count): everything within {@code fullRefundDays}, else nothing.</li>
 * </ul>
 *
 * @param fullRefundDays days after the purchase in which an unused purchase is refunded in full
 * @param feePercent     the payment fee's share of the amount paid, in percent
 * @param feeFixed       the payment fee's fixed part, in the purchase's major unit (e.g. 0.25 EUR)
 */
record RefundTerms(int fullRefundDays, BigDecimal feePercent, BigDecimal feeFixed) {
    static final RefundTerms DEFAULTS = new RefundTerms(7, new BigDecimal("1.5"), new BigDecimal("0.25"));

    static RefundTerms of(JsonObject settings) {
        return new RefundTerms(settings.getInteger("fullRefundDays", DEFAULTS.fullRefundDays()),
                decimal(settings.getValue("feePercent"), DEFAULTS.feePercent()),
                decimal(settings.getValue("feeFixed"), DEFAULTS.feeFixed()));
    }

    private static BigDecimal decimal(Object value, BigDecimal fallback) {
        return value == null ? fallback : new BigDecimal(value.toString());
    }

    /** What a studio may set; the kernel checks names, types and ranges. */
    static final List<PluginSetting> SETTINGS = List.of(
            PluginSetting.integer("fullRefundDays", "days after the purchase in which an unused one is refunded in"
                    + " full").between(0, 365).defaultValue(DEFAULTS.fullRefundDays()),
            PluginSetting.decimal("feePercent", "the payment fee's share of the amount paid, in percent, kept from"
                    + " later refunds").between(0, 100).defaultValue(1.5),
            PluginSetting.decimal("feeFixed", "the payment fee's fixed part, in the purchase's currency (\"0.25\")")
                    .between(0, null).defaultValue("0.25"));

    /** What the declaration cannot say: fees are exact to four decimal places. */
    static List<SettingProblem> problems(JsonObject settings) {
        List<SettingProblem> problems = new ArrayList<>();
        for (String name : List.of("feePercent", "feeFixed")) {
            Object value = settings.getValue(name);
            if (value != null && new BigDecimal(value.toString()).scale() > 4) {
                problems.add(new SettingProblem(name, "must have at most four decimal places"));
            }
        }
        return problems;
    }

    /** The amount to refund for the purchase, and why. */
    RefundPolicy.Quote quote(RefundPolicy.Purchase p) {
        Money paid = p.paid();
        boolean early = Duration.between(p.purchasedAt(), p.now()).compareTo(Duration.ofDays(fullRefundDays)) <= 0;
        if (p.credits() == 0) {
            return early ? new RefundPolicy.Quote(paid, "an unlimited period refunded within " + fullRefundDays
                    + " days: in full")
                    : new RefundPolicy.Quote(Money.zero(paid.currency()), "an unlimited period is refunded only"
                    + " within " + fullRefundDays + " days");
        }
        if (p.unusedCredits() == 0) {
            return new RefundPolicy.Quote(Money.zero(paid.currency()), "every credit was used");
        }
        if (p.unusedCredits() < p.credits()) {
            long minor = BigDecimal.valueOf(paid.minor()).multiply(BigDecimal.valueOf(p.unusedCredits()))
                    .divide(BigDecimal.valueOf(p.credits()), 0, RoundingMode.DOWN).longValueExact();
            return new RefundPolicy.Quote(new Money(minor, paid.currency()), p.unusedCredits() + " of "
                    + p.credits() + " credits unused, pro-rated at their cost basis");
        }
        if (early) {
            return new RefundPolicy.Quote(paid, "unused and within " + fullRefundDays + " days: in full");
        }
        int digits = paid.currency().getDefaultFractionDigits();
        long fee = BigDecimal.valueOf(paid.minor()).multiply(feePercent).divide(BigDecimal.valueOf(100), 0,
                RoundingMode.HALF_UP).longValueExact()
                + feeFixed.movePointRight(Math.max(0, digits)).setScale(0, RoundingMode.HALF_UP).longValueExact();
        Money feeMoney = new Money(Math.min(fee, paid.minor()), paid.currency());
        return new RefundPolicy.Quote(new Money(Math.max(0, paid.minor() - fee), paid.currency()),
                "unused after " + fullRefundDays + " days: minus the payment fee of " + feeMoney);
    }
}
