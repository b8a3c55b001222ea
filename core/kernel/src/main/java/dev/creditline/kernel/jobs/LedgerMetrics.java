package dev.creditline.kernel.jobs;

import dev.creditline.api.spi.LedgerFigures;
import dev.creditline.kernel.boot.Config;
import dev.creditline.store.ReportQueries;
import dev.creditline.store.ReportQueries.Liability;
import dev.creditline.store.ReportQueries.Totals;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's figures as Prometheus metrics, read from the database every refresh interval (a scrape only reads
 * memory, never the journal): {@code creditline_liability{studio,currency}} (money, in the currency's major unit),
 * {@code creditline_credits_outstanding{studio}}, {@code creditline_credits_held{studio}} (the part of them bookings
 * hold until they post), {@code creditline_liability_months_of_sales{studio,currency}} (as
 * the summary report's {@code liabilityMonthsOfSales}, on each studio's clock), {@code
 * creditline_credits_total{studio,type}} (finite credits by kind; they reconcile with the outstanding credits, see
 * {@link ReportQueries#totals}) and {@code creditline_outbox_lag_seconds}. Labels are studios, currencies and kinds
 * only: never members, so the series stay bounded.
 */
@Singleton
public final class LedgerMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerMetrics.class);
    private static final List<String> KINDS = List.of("sold", "granted", "redeemed", "returned", "refunded",
            "expired", "voided", "forfeited", "set_added", "set_removed");

    private final Vertx vertx;
    private final Pool pool;
    private final ReportQueries reports;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Config config;
    private final Periodic<Void> periodic = new Periodic<>(this::pass);
    private final Map<String, Double> values = new ConcurrentHashMap<>();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    @Inject
    public LedgerMetrics(Vertx vertx, Pool pool, ReportQueries reports,
                         MeterRegistry registry, Clock clock, Config config) {
        this.vertx = vertx;
        this.pool = pool;
        this.reports = reports;
        this.registry = registry;
        this.clock = clock;
        this.config = config;
        Gauge.builder("creditline_outbox_lag_seconds", values, v -> v.getOrDefault("outbox", 0.0))
                .description("How long the oldest committed entry has waited for the ledger listeners")
                .register(registry);
    }

    public void start() {
        periodic.start(vertx, 1_000, config.metricsRefreshInterval().toMillis());
    }

    public void stop() {
        periodic.stop();
    }

    /** Reads the figures again, after the read going on (if any). */
    public Future<Void> refresh() {
        return periodic.run();
    }

    private Future<Void> pass() {
        Future<List<Liability>> liabilities = reports.liabilities(pool);
        Future<List<Liability>> sales = reports.salesLastThreeMonths(pool, clock.instant());
        Future<List<Totals>> totals = reports.totals(pool);
        Future<Double> lag = reports.outboxLag(pool);
        return Future.all(liabilities, sales, totals, lag)
                .map(all -> {
                    publish(liabilities.result(), sales.result(), totals.result());
                    values.put("outbox", lag.result());
                    return (Void) null;
                })
                .onFailure(e -> LOG.warn("Cannot refresh the ledger's metrics: {}", e.toString()));
    }

    private void publish(List<Liability> liabilities, List<Liability> sales, List<Totals> totals) {
        Map<String, Long> outstanding = new java.util.HashMap<>();
        Map<String, Long> held = new java.util.HashMap<>();
        Map<String, Long> salesByCurrency = new java.util.HashMap<>();
        for (Liability s : sales) {
            salesByCurrency.merge(s.studioId() + "|" + s.currency(), s.liability(), Long::sum);
        }
        for (Liability l : liabilities) {
            gauge("creditline_liability", "The money value of the credits sold and not yet used",
                    "liability|" + l.studioId() + "|" + l.currency(), major(l.liability(), l.currency()),
                    "studio", l.studioId(), "currency", l.currency());
            Double months = LedgerFigures.monthsOfSales(l.liability(),
                    salesByCurrency.getOrDefault(l.studioId() + "|" + l.currency(), 0L));
            gauge("creditline_liability_months_of_sales",
                    "The liability in months of sales (the average of the last 3 months); 0 without sales",
                    "months|" + l.studioId() + "|" + l.currency(), months == null ? 0 : months,
                    "studio", l.studioId(), "currency", l.currency());
            outstanding.merge(l.studioId(), l.outstanding(), Long::sum);
            held.merge(l.studioId(), l.held(), Long::sum);
        }
        outstanding.forEach((studio, credits) -> gauge("creditline_credits_outstanding",
                "Finite credits the studio's members hold", "outstanding|" + studio, credits, "studio", studio));
        held.forEach((studio, credits) -> gauge("creditline_credits_held",
                "Finite credits that bookings hold until they post (part of the outstanding credits)",
                "held|" + studio, credits, "studio", studio));
        for (Totals t : totals) {
            long[] counts = {t.sold(), t.granted(), t.redeemed(), t.returned(), t.refunded(), t.expired(),
                t.voided(), t.forfeited(), t.setAdded(), t.setRemoved()};
            for (int i = 0; i < KINDS.size(); i++) {
                counter("total|" + t.studioId() + "|" + KINDS.get(i), counts[i], t.studioId(), KINDS.get(i));
            }
        }
    }

    private void gauge(String name, String description, String key, double value, String... tags) {
        values.put(key, value);
        if (registered.add(key)) {
            Gauge.builder(name, values, (ToDoubleFunction<Map<String, Double>>) v -> v.getOrDefault(key, 0.0))
                    .description(description).tags(tags).register(registry);
        }
    }

    private void counter(String key, long value, String studio, String kind) {
        values.put(key, (double) value);
        if (registered.add(key)) {
            FunctionCounter.builder("creditline_credits", values, v -> v.getOrDefault(key, 0.0))
                    .description("Credits by kind over all time").tags("studio", studio, "type", kind)
                    .register(registry);
        }
    }

    private static double major(long minor, String currency) {
        return minor / Math.pow(10, Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits()));
    }
}
