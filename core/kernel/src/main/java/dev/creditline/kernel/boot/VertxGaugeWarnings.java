package dev.creditline.kernel.boot;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Arrays;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Drops Micrometer's "This Gauge has been already registered" warning for Vert.x's own gauges, and only those.
 * vertx-micrometer registers a gauge again for every connection and server instance, each time over the same shared
 * counter (vert-x3/vertx-micrometer-metrics#259): the figure is right, the warning at every start is noise that
 * would teach operators to ignore warnings. The same warning about any other meter still shows.
 */
final class VertxGaugeWarnings extends TurboFilter {
    private static final String REGISTRY_LOGGER = "io.micrometer.core.instrument.MeterRegistry";

    private VertxGaugeWarnings() {
    }

    /** Installs the filter once per logging context (a test JVM starts many servers). */
    static synchronized void silence() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getTurboFilterList().stream().noneMatch(VertxGaugeWarnings.class::isInstance)) {
            VertxGaugeWarnings filter = new VertxGaugeWarnings();
            filter.start();
            context.addTurboFilter(filter);
        }
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (logger == null || !REGISTRY_LOGGER.equals(logger.getName()) || format == null
                || !format.contains("already registered")) {
            return FilterReply.NEUTRAL;
        }
        String said = params == null ? format : format + Arrays.toString(params);
        return said.contains("name='vertx.") ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
