package dev.creditline.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount of money in minor units (cents) of an ISO 4217 currency. Never a floating point number.
 *
 * @param minor    the amount in the currency's minor units, e.g. 13500 for 135.00 EUR
 * @param currency the currency
 */
public record Money(long minor, Currency currency) {

    public Money {
        Objects.requireNonNull(currency, "currency");
    }

    /** Zero in the given currency. */
    public static Money zero(Currency currency) {
        return new Money(0, currency);
    }

    /**
     * Parses a decimal amount such as {@code "135.00"} or {@code "135"} in the given currency.
     *
     * @throws IllegalArgumentException when the text is not a decimal number, has more decimals than the currency
     *                                  allows, or does not fit
     */
    public static Money parse(String amount, Currency currency) {
        BigDecimal value;
        try {
            value = new BigDecimal(amount);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("must be a decimal number such as \"135.00\"");
        }
        int digits = fractionDigits(currency);
        if (value.stripTrailingZeros().scale() > digits) {
            throw new IllegalArgumentException(
                    "has more than " + digits + " decimals for " + currency.getCurrencyCode());
        }
        try {
            return new Money(value.movePointRight(digits).longValueExact(), currency);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("is too large");
        }
    }

    /** The amount as a decimal string with the currency's decimals, e.g. {@code "135.00"}. */
    public String amount() {
        return BigDecimal.valueOf(minor, fractionDigits(currency)).toPlainString();
    }

    /** This amount divided into {@code parts} equal shares, as an exact decimal in major units (for display). */
    public BigDecimal per(int parts) {
        return BigDecimal.valueOf(minor, fractionDigits(currency))
                .divide(BigDecimal.valueOf(parts), fractionDigits(currency) + 4, RoundingMode.HALF_EVEN)
                .stripTrailingZeros();
    }

    private static int fractionDigits(Currency currency) {
        return Math.max(0, currency.getDefaultFractionDigits());
    }

    @Override
    public String toString() {
        return amount() + " " + currency.getCurrencyCode();
    }
}
