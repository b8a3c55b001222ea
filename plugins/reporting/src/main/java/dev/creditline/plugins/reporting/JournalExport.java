package dev.creditline.plugins.reporting;

import dev.creditline.api.spi.PluginHost;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;

/**
 * Writes journal entries as CSV to a stream, a batch at a time, reading the next batch only once the stream took the
 * last (its write queue drained): a million entries go out with one batch in memory.
 */
@Singleton
final class JournalExport {
    static final int BATCH = 1_000;

    private final PluginHost host;

    @Inject
    JournalExport(PluginHost host) {
        this.host = host;
    }

    /** The studio's entries of {@code [from, to)} (of the members, when given); the header first. */
    Future<Void> write(String studioId, Instant from, Instant to, List<String> memberIds, WriteStream<Buffer> out) {
        return written(out, Buffer.buffer(Csv.HEADER)).compose(header -> host.ledger().entries(studioId, from, to,
                memberIds, BATCH, batch -> host.ledger().entryNames(studioId, batch)
                        .compose(names -> written(out, Csv.lines(batch, names)))));
    }

    /** Writes, and completes once the stream can take more. */
    private static Future<Void> written(WriteStream<Buffer> out, Buffer data) {
        Future<Void> write = out.write(data);
        if (!out.writeQueueFull()) {
            return write;
        }
        io.vertx.core.Promise<Void> drained = io.vertx.core.Promise.promise();
        out.drainHandler(v -> drained.tryComplete());
        if (!out.writeQueueFull()) {
            drained.tryComplete();
        }
        return write.compose(done -> drained.future());
    }
}
