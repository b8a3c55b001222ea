package dev.creditline.ledger;

import dev.creditline.api.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** What part of a price some of its credits carry: the cost basis that moves with them and that refunds pay back. */
public final class CostBasis {

    private CostBasis() {
    }

    /** {@code paid × part / whole}, rounded down to the minor unit (never more than was paid); zero for no whole. */
    public static Money prorated(Money paid, int part, int whole) {
        if (whole <= 0) {
            return Money.zero(paid.currency());
        }
        long minor = BigDecimal.valueOf(paid.minor()).multiply(BigDecimal.valueOf(part))
                .divide(BigDecimal.valueOf(whole), 0, RoundingMode.DOWN).longValueExact();
        return new Money(minor, paid.currency());
    }
}
