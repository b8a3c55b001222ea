package dev.creditline.distribution;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.creditline.kernel.http.RequestIds;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/** What the server (running in the test's JVM) logs while a test does something. */
final class LogLines {
    /**
     * What was logged.
     *
     * @param lines      each event's logger and message, one line each
     * @param traces     how many events carried a stack trace
     * @param rendered   everything as the console shows it (messages, stack traces included)
     * @param requestIds each event's Request-Id (as the log pattern's {@code %requestId} shows it) and message
     */
    record Logged<T>(T result, List<String> lines, long traces, String rendered, List<String> requestIds) {
    }

    private LogLines() {
    }

    /** Runs the action and returns what it answered with what was logged meanwhile. */
    static <T> Logged<T> during(Supplier<T> action) {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
        List<String> requestIds = new CopyOnWriteArrayList<>();
        ListAppender<ILoggingEvent> appender = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent event) {
                // Read while the logging code runs: the id belongs to its Vert.x context.
                String id = RequestIds.current();
                requestIds.add("[" + (id == null ? "-" : id) + "] " + event.getFormattedMessage());
                super.append(event);
            }
        };
        appender.start();
        root.addAppender(appender);
        T result;
        try {
            result = action.get();
        } finally {
            root.detachAppender(appender);
        }
        List<ILoggingEvent> events = List.copyOf(appender.list);
        StringBuilder rendered = new StringBuilder();
        for (ILoggingEvent event : events) {
            rendered.append(event.getFormattedMessage()).append('\n');
            if (event.getThrowableProxy() != null) {
                rendered.append(ch.qos.logback.classic.spi.ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }
        return new Logged<>(result, events.stream().map(e -> e.getLoggerName() + " " + e.getFormattedMessage())
                .toList(), events.stream().filter(e -> e.getThrowableProxy() != null).count(), rendered.toString(),
                List.copyOf(requestIds));
    }
}
