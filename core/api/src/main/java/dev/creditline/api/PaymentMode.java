package dev.creditline.api;

import java.util.Locale;

/** How a scheduler's bookings are paid for. */
public enum PaymentMode {
    /** Only with credits. */
    CREDITS,
    /** Only directly (cash, card at the desk); credits are not accepted. */
    DIRECT,
    /** Either way. */
    BOTH;

    /** Whether credits may pay for a booking. */
    public boolean acceptsCredits() {
        return this != DIRECT;
    }

    /** Whether a booking may be paid directly. */
    public boolean acceptsDirect() {
        return this != CREDITS;
    }

    /** The lower-case name used on the wire. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
