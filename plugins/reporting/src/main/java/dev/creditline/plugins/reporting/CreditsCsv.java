package dev.creditline.plugins.reporting;

import dev.creditline.api.spi.ReportExporter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import jakarta.inject.Inject;
import org.pf4j.Extension;

/** The journal of a period as CSV, as the export {@code credits.csv} ({@code GET /v1/reports/exports/credits.csv}). */
@Extension
public final class CreditsCsv implements ReportExporter {
    private final JournalExport export;

    @Inject
    CreditsCsv(JournalExport export) {
        this.export = export;
    }

    @Override
    public String name() {
        return "credits.csv";
    }

    @Override
    public String contentType() {
        return "text/csv; charset=utf-8";
    }

    @Override
    public Future<Void> export(Request request, WriteStream<Buffer> out) {
        return export.write(request.studioId(), request.from(), request.to(), null, out);
    }
}
