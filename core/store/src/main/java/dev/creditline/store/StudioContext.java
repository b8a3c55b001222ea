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
 */
public record StudioContext(String id, String name, ZoneId zone, Currency currency, boolean testMode, Instant now,
                            ConsumptionOrder order) {

    /** The same studio at another time (work that falls due is done as of when it fell due). */
    public StudioContext at(Instant time) {
        return new StudioContext(id, name, zone, currency, testMode, time, order);
    }
}
