package dev.creditline.api;

import java.util.Locale;

/** Where a subscription stands; only an active one's lots pay for bookings. */
public enum SubscriptionStatus {
    /** Bought through a payment provider, the first payment not yet confirmed. */
    PENDING,
    /** Paid up: its lots pay. */
    ACTIVE,
    /** A payment failed; the provider retries. Its lots do not pay until it is active again. */
    PAST_DUE,
    /** Paused at the provider; its lots do not pay. */
    PAUSED,
    /** Ended. Credits of paid periods stay until they expire; an unlimited period ends with it. */
    CANCELED;

    /** The lower-case name used on the wire, e.g. {@code "past_due"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status of a wire name. */
    public static SubscriptionStatus fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
