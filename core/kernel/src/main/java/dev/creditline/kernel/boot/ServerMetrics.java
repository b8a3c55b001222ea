package dev.creditline.kernel.boot;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Properties;

/**
 * The registry {@code /metrics} scrapes: the JVM's and the process's meters, {@code creditline_build_info}, and
 * Vert.x's HTTP latencies as histograms (so that quantiles can be taken across nodes, which summaries cannot).
 */
final class ServerMetrics implements AutoCloseable {
    /** Latency buckets of the HTTP timers: a fixed few, as every route, method and status has its own series. */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // It listens to the JVM's GC notifications until closed.
    private final JvmGcMetrics gc = new JvmGcMetrics();

    ServerMetrics() {
        VertxGaugeWarnings.silence();
        registry.config()
                .meterFilter(new MeterFilter() {
                    @Override
                    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                        if (id.getType() != Meter.Type.TIMER || !id.getName().startsWith("vertx.http.")) {
                            return config;
                        }
                        double[] buckets = new double[LATENCY_BUCKETS.length];
                        for (int i = 0; i < buckets.length; i++) {
                            buckets[i] = LATENCY_BUCKETS[i].toNanos();
                        }
                        return DistributionStatisticConfig.builder().serviceLevelObjectives(buckets).build()
                                .merge(config);
                    }
                });
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        gc.bindTo(registry);
        Gauge.builder("creditline.build.info", () -> 1).description("The running build; the value is always 1")
                .tag("version", version()).strongReference(true).register(registry);
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Stops listening to the JVM (a test JVM starts many servers). */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    /** The build's version, as Maven wrote it into {@code build.properties}. */
    static String version() {
        Properties build = new Properties();
        try (InputStream in = ServerMetrics.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return build.getProperty("version", "unknown");
    }
}
