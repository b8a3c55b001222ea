package dev.creditline.api;

import java.util.Locale;

/** When a product's validity period starts to run. */
public enum ValidityStart {
    /** At purchase: the expiry is known when the lot is created. */
    PURCHASE,
    /** At the first redemption: the lot has no expiry until it is first used. */
    FIRST_USE;

    /** The lower-case name used on the wire, e.g. {@code "first_use"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
