package dev.creditline.api.spi;

/**
 * The credits a studio's members hold that expire in one month, and their money value (minor units): the liability
 * that will turn into breakage then, unless used.
 *
 * @param month the month ({@code 2026-07}) in the studio's time zone, or null for credits that never expire
 */
public record ExpiringCredits(String month, String currency, long credits, long value) {
}
