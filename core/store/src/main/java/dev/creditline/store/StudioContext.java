package dev.creditline.store;

import dev.creditline.ledger.ConsumptionOrder;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Currency;

/**
 * The studio a request acts for, and its time: a test-mode studio's own clock, or the real one.
 *
 * @param id       the studio's id; every query is scoped by it
 * @param name     its name
 * @param zone     its time zone: periods are counted in it
 * @param currency its default currency
 * @param testMode whether it runs on a test clock
 * @param now      the studio's current time for this request
 * @param order    its consumption order
 * @param warningDays how many days before their credits expire its members are warned
 */
public record StudioContext(String id, String name, ZoneId zone, Currency currency, boolean testMode, Instant now,
                            ConsumptionOrder order, int warningDays) {
    /** The days of warning a studio gets unless configured otherwise. */
    public static final int DEFAULT_WARNING_DAYS = 7;

    /** The same studio at another time (work that falls due is done as of when it fell due). */
    public StudioContext at(Instant time) {
        return new StudioContext(id, name, zone, currency, testMode, time, order, warningDays);
    }

    /** The same studio warning this many days before expiry. */
    public StudioContext warningDays(int days) {
        return new StudioContext(id, name, zone, currency, testMode, now, order, days);
    }
}
