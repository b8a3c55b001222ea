package dev.creditline.kernel.jobs;

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
import java.time.Duration;
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
 * {@code creditline_credits_outstanding{studio}}, {@code creditline_liability_months_of_sales{studio}},
 * {@code creditline_credits_total{studio,type}} and {@code creditline_outbox_lag_seconds}. Labels are studios,
 * currencies and kinds only: never members, so the series stay bounded.
 */
@Singleton
public final class LedgerMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerMetrics.class);
    private static final List<String> KINDS = List.of("sold", "redeemed", "refunded", "expired", "granted");

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
        Future<List<Liability>> sales = reports.salesSince(pool, clock.instant().minus(Duration.ofDays(91)));
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
        Map<String, Double> liabilityByStudio = new java.util.HashMap<>();
        Map<String, Double> salesByStudio = new java.util.HashMap<>();
        for (Liability l : liabilities) {
            double money = major(l.liability(), l.currency());
            gauge("creditline_liability", "The money value of the credits sold and not yet used",
                    "liability|" + l.studioId() + "|" + l.currency(), money, "studio", l.studioId(),
                    "currency", l.currency());
            outstanding.merge(l.studioId(), l.outstanding(), Long::sum);
            liabilityByStudio.merge(l.studioId() + "|" + l.currency(), money, Double::sum);
        }
        for (Liability s : sales) {
            salesByStudio.merge(s.studioId() + "|" + s.currency(), major(s.liability(), s.currency()), Double::sum);
        }
        outstanding.forEach((studio, credits) -> gauge("creditline_credits_outstanding",
                "Finite credits the studio's members hold", "outstanding|" + studio, credits, "studio", studio));
        liabilityByStudio.forEach((key, money) -> {
            String studio = key.substring(0, key.indexOf('|'));
            double monthly = salesByStudio.getOrDefault(key, 0.0) / 3;
            gauge("creditline_liability_months_of_sales", "The liability in months of credit sales (the last 3)",
                    "months|" + studio, monthly > 0 ? money / monthly : 0, "studio", studio);
        });
        for (Totals t : totals) {
            long[] counts = {t.sold(), t.redeemed(), t.refunded(), t.expired(), t.granted()};
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
