package dev.creditline.plugins.reporting;

import dev.creditline.api.spi.DashboardPage;
import jakarta.inject.Inject;
import org.pf4j.Extension;

/**
 * The owner's money in the staff dashboard (dashboard/money.js): the liability and its months of sales against the
 * healthy two, the liability by expiry month, credits sold, used, expired and granted per month as a chart (uPlot),
 * and the CSV exports; every figure is the reports' own.
 */
@Extension
public final class MoneyPage implements DashboardPage {

    @Inject
    MoneyPage() {
    }

    @Override
    public String slug() {
        return "money";
    }

    @Override
    public String title(String language) {
        return language.startsWith("de") ? "Finanzen" : "Money";
    }

    @Override
    public String module() {
        return "money.js";
    }
}
