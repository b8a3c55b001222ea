package dev.creditline.plugins.vouchers;

import dev.creditline.api.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A voucher code and what it gives.
 *
 * @param percent        the discount of a {@link Type#PERCENT} voucher
 * @param amount         the discount of an {@link Type#AMOUNT} voucher
 * @param credits        the master credits of a {@link Type#FREE_CREDITS} voucher
 * @param productId      the product of a {@link Type#FREE_PACKAGE} voucher
 * @param productIds     the products a discount applies to, or null for all
 * @param maxRedemptions how often it can be used in all, or null for unlimited
 * @param redemptions    how often it was used
 */
record Voucher(String code, Type type, Integer percent, Money amount, Integer credits, String productId,
               List<String> productIds, Integer maxRedemptions, boolean oncePerMember, Instant validFrom,
               Instant validUntil, int redemptions, Instant createdAt) {

    /** What a voucher gives. */
    enum Type {
        PERCENT, AMOUNT, FREE_CREDITS, FREE_PACKAGE;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether it lowers a purchase's price (else it is redeemed on its own). */
        boolean discount() {
            return this == PERCENT || this == AMOUNT;
        }
    }

    /** The same voucher with another code. */
    Voucher withCode(String newCode) {
        return new Voucher(newCode, type, percent, amount, credits, productId, productIds, maxRedemptions,
                oncePerMember, validFrom, validUntil, redemptions, createdAt);
    }

    /** Why the voucher cannot be used now by this member for this product, or null when it can. */
    String refusal(Instant now, String productId, int memberRedemptions) {
        if (validFrom != null && now.isBefore(validFrom)) {
            return "voucher " + code + " is valid from " + validFrom;
        }
        if (validUntil != null && !now.isBefore(validUntil)) {
            return "voucher " + code + " expired at " + validUntil;
        }
        if (maxRedemptions != null && redemptions >= maxRedemptions) {
            return "voucher " + code + " was used up (" + maxRedemptions + " redemptions)";
        }
        if (oncePerMember && memberRedemptions > 0) {
            return "voucher " + code + " can be used once per member, and this member used it";
        }
        if (productId != null && productIds != null && !productIds.contains(productId)) {
            return "voucher " + code + " does not apply to product " + productId;
        }
        return null;
    }

    /** The price after this discount voucher, or null when its currency is not the price's. */
    Money discounted(Money price) {
        if (type == Type.PERCENT) {
            long minor = BigDecimal.valueOf(price.minor()).multiply(BigDecimal.valueOf(100 - percent))
                    .divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_EVEN).longValueExact();
            return new Money(minor, price.currency());
        }
        if (!amount.currency().equals(price.currency())) {
            return null;
        }
        return new Money(Math.max(0, price.minor() - amount.minor()), price.currency());
    }

    JsonObject toJson() {
        JsonObject json = new JsonObject().put("code", code).put("type", type.wireName());
        switch (type) {
            case PERCENT -> json.put("value", percent);
            case AMOUNT -> json.put("value", new JsonObject().put("amount", amount.amount())
                    .put("currency", amount.currency().getCurrencyCode()));
            case FREE_CREDITS -> json.put("value", credits);
            case FREE_PACKAGE -> json.put("value", productId);
        }
        return json.put("productIds", productIds == null ? null : new JsonArray(productIds))
                .put("maxRedemptions", maxRedemptions).put("oncePerMember", oncePerMember)
                .put("validFrom", validFrom == null ? null : validFrom.toString())
                .put("validUntil", validUntil == null ? null : validUntil.toString())
                .put("redemptions", redemptions).put("createdAt", createdAt.toString());
    }
}
