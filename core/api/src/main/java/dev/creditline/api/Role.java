package dev.creditline.api;

import java.util.Locale;

/** What an API key may do within its studio. */
public enum Role {
    /** Everything in the studio, including keys and plugin settings. */
    OWNER,
    /** Members, credits, bookings, vouchers and reports; reads the catalogue; not keys or plugin settings. */
    COACH,
    /** One member's own credits and log, through {@code /v1/me}. */
    ATHLETE;

    /** The lower-case name used on the wire. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this role may act as staff (owner or coach). */
    public boolean isStaff() {
        return this != ATHLETE;
    }
}
