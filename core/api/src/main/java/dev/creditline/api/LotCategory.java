package dev.creditline.api;

import java.util.Locale;

/** Whether a lot's credits were paid for (they count in the studio's liability) or given away. */
public enum LotCategory {
    /** Bought with money: the cost basis is the price paid per credit. */
    PAID,
    /** Granted, set or free: the cost basis is zero. */
    PROMOTIONAL;

    /** The lower-case name used on the wire. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
