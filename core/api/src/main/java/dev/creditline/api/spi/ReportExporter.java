package dev.creditline.api.spi;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.time.Instant;
import org.pf4j.ExtensionPoint;

/**
 * Exports a report of a studio's ledger, streamed: {@code GET /v1/reports/exports/{name}?from=&to=}. Write to the
 * response as you read; never hold a whole report in memory. An export may run for minutes (its time limit is ten
 * minutes, not the extensions' usual one); {@link #name()} and {@link #contentType()} must answer at once.
 */
public interface ReportExporter extends ExtensionPoint {

    /** The report's name in the URL, e.g. {@code "credits.csv"}. */
    String name();

    /** The content type of the export, e.g. {@code "text/csv; charset=utf-8"}. */
    String contentType();

    /** Writes the report to {@code out}; the future completes when everything is written (not ended). */
    Future<Void> export(Request request, WriteStream<Buffer> out);

    /**
     * What to export.
     *
     * @param from the start of the period (inclusive), or null
     * @param to   the end of the period (exclusive), or null
     */
    record Request(String studioId, Instant from, Instant to) {
    }
}
