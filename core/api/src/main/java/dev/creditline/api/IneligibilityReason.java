package dev.creditline.api;

import java.util.Locale;

/** Why a lot cannot pay for a booking of a given scheduler, as shown in the eligibility explanation. */
public enum IneligibilityReason {
    /** The lot's expiry has passed. */
    EXPIRED,
    /** The lot is paused. */
    PAUSED,
    /** The lot's product does not list the scheduler among its redeemable schedulers. */
    SCHEDULER_NOT_REDEEMABLE,
    /** The lot is bound to a trainer other than the scheduler's. */
    WRONG_TRAINER,
    /** The lot belongs to a subscription that is not active. */
    SUBSCRIPTION_INACTIVE,
    /** A usage limit of the lot's product is reached for the period. */
    USAGE_LIMIT_REACHED,
    /** The lot's validity has not started yet. */
    NOT_STARTED;

    /** The lower-case name used on the wire, e.g. {@code "wrong_trainer"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
