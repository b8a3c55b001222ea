package dev.creditline.api;

import java.util.Locale;

/**
 * What a journal entry records. Every change of a lot's remaining or held credits is exactly one entry of one type.
 */
public enum EntryType {
    /** Credits issued by a purchase. */
    PURCHASED,
    /** Credits added by a coach or owner ("Added by ..."), or by an automation. */
    GRANTED,
    /** Credits added or removed to reach a new total ("Set by ..."). */
    SET,
    /**
     * Credits used for a booking: at once when it is made after its cancellation window, else when its hold posts
     * (the held credits leave the lot).
     */
    REDEEMED,
    /** Credits a booking holds until its class is certain: the lot keeps them, but they cannot pay anything else. */
    HELD,
    /** Held credits free again: the booking was cancelled in its window. */
    RELEASED,
    /** Credits returned by a cancellation or a refund. */
    REFUNDED,
    /** Credits that passed their expiry unused. */
    EXPIRED,
    /** Credits moved between members or trainers. */
    TRANSFERRED,
    /** Credits given up, e.g. when a member is deleted. */
    FORFEITED,
    /** Credits taken back with their purchase. */
    VOIDED,
    /** An unlimited period that ended: no unused credits expired, so it counts in no expiry or breakage. */
    PERIOD_ENDED;

    /** The lower-case name used on the wire, e.g. {@code "redeemed"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The entry type of a wire name. */
    public static EntryType fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
