package dev.creditline.store;

import dev.creditline.api.Lot;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What a member holds: the master account first, then one account per product.
 *
 * @param memberId       the member
 * @param total          the sum of the finite balances
 * @param available      the sum of the finite credits that can pay a booking now
 * @param unlimitedUntil the end of a live unlimited period, or null
 * @param accounts       the accounts, master first
 * @param expiringSoon   the finite credits that expire within the studio's warning days, by day
 * @param schedulerNames the names of the schedulers its usage and usage limits name, by id
 */
public record CreditView(String memberId, int total, int available, Instant unlimitedUntil, List<Account> accounts,
                         List<Soon> expiringSoon, java.util.Map<String, String> schedulerNames) {

    /** This view with the names of the schedulers it names. */
    public CreditView withSchedulerNames(java.util.Map<String, String> names) {
        return new CreditView(memberId, total, available, unlimitedUntil, accounts, expiringSoon, Map.copyOf(names));
    }

    /** The name of a scheduler the view names, or null. */
    public String schedulerName(String schedulerId) {
        return schedulerId == null ? null : schedulerNames.get(schedulerId);
    }

    /** Credits that expire on one day soon. */
    public record Soon(LocalDate date, int credits, Instant firstExpiresAt) {
    }

    /**
     * One account.
     *
     * @param account                "master" or the product id
     * @param name                   "Master Credits" or the product's name
     * @param balance                credits of its unexpired lots
     * @param available              credits of them that can pay a booking now (started, not paused, subscription
     *                               active)
     * @param redeemableSchedulerIds the schedulers its credits pay for, or null for all
     * @param lots                   its unexpired lots with credits left, oldest first
     * @param expirations            per expiry date of a lot with credits left or of credits that expired unused in
     *                               the last year: credits issued with it and credits that expired
     * @param unlimited              whether an unlimited period is live in it now (its balance is then unlimited)
     * @param availableUnlimited     whether that period can pay now (not paused): then it is available unlimited
     * @param subscription           the subscription whose credits it holds, or null
     * @param usage                  bookings of the current unlimited period per scheduler (empty without one)
     * @param usageLimits            its product's usage limits, each with the bookings counted in the current period
     */
    public record Account(String account, String name, int balance, int available,
                          List<String> redeemableSchedulerIds,
                          List<Lot> lots, List<Expiration> expirations, boolean unlimited,
                          boolean availableUnlimited,
                          SubscriptionRepository.Subscription subscription, List<Usage> usage,
                          List<UsageLimits.Counted> usageLimits) {
    }

    /**
     * How often a scheduler was booked in the current unlimited period.
     *
     * @param limit the most allowed per period by a usage limit, or null when unlimited
     */
    public record Usage(String schedulerId, int used, Integer limit) {
    }

    /**
     * Credits that share an expiry date.
     *
     * @param date    the expiry date in the studio's time zone
     * @param issued  credits issued with that expiry
     * @param expired credits of them that expired unused
     */
    public record Expiration(LocalDate date, int issued, int expired) {
    }
}
