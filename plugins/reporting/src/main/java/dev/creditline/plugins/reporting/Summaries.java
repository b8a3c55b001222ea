package dev.creditline.plugins.reporting;

import dev.creditline.api.Money;
import dev.creditline.api.spi.LedgerFigures;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Currency;
import java.util.List;

/** The summary report's JSON: the studio's currency first (at the top level), every currency in {@code currencies}. */
final class Summaries {
    private Summaries() {
    }

    static JsonObject summary(List<LedgerFigures> figures, Currency studioCurrency, Instant from, Instant to) {
        LedgerFigures main = figures.stream().filter(f -> f.currency().equals(studioCurrency.getCurrencyCode()))
                .findFirst().orElse(new LedgerFigures(studioCurrency.getCurrencyCode(), 0, 0, 0, 0, 0, 0, 0, 0, 0,
                        0, 0, 0, 0, 0));
        JsonObject out = figures(main).put("from", from == null ? null : from.toString()).put("to", to.toString());
        JsonArray currencies = new JsonArray();
        figures.forEach(f -> currencies.add(figures(f)));
        return out.put("currencies", currencies);
    }

    static JsonObject figures(LedgerFigures f) {
        Currency currency = Currency.getInstance(f.currency());
        return new JsonObject()
                .put("currency", f.currency())
                .put("sold", f.soldCredits())
                .put("used", f.usedCredits())
                .put("expired", f.expiredCredits())
                .put("refunded", f.refundedCredits())
                .put("granted", f.grantedCredits())
                .put("outstanding", f.outstanding())
                .put("held", f.heldCredits())
                .put("liability", money(f.liability(), currency))
                .put("liabilityMonthsOfSales", f.liabilityMonthsOfSales())
                .put("breakage", money(f.breakage(), currency))
                .put("recognised", money(f.recognised(), currency))
                .put("money", new JsonObject()
                        .put("sold", money(f.sold(), currency))
                        .put("recognised", money(f.recognised(), currency))
                        .put("breakage", money(f.breakage(), currency))
                        .put("refunded", money(f.refunded(), currency))
                        .put("other", money(f.otherOut(), currency))
                        .put("liabilityStart", money(f.liabilityStart(), currency))
                        .put("liability", money(f.liability(), currency)));
    }

    static JsonObject money(long minor, Currency currency) {
        return new JsonObject().put("amount", new Money(minor, currency).amount())
                .put("currency", currency.getCurrencyCode());
    }
}
