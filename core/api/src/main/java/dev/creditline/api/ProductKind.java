package dev.creditline.api;

import java.util.Locale;

/** What a product sells. */
public enum ProductKind {
    /** A one-time purchase of credits. */
    PACKAGE,
    /** A recurring purchase that tops up credits every billing period. */
    SUBSCRIPTION;

    /** The lower-case name used on the wire. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
