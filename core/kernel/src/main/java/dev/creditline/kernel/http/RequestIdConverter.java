package dev.creditline.kernel.http;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %requestId} in a Logback pattern: the id of the request the logging code serves ({@link RequestIds}), or
 * {@code -} outside any request (jobs, start-up).
 */
public final class RequestIdConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        String id = RequestIds.current();
        return id == null ? "-" : id;
    }
}
