package dev.creditline.kernel.pipeline;

import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.pipeline.WritePipeline.Answer;
import dev.creditline.kernel.pipeline.WritePipeline.Renderer;
import dev.creditline.store.BatchAdjust;
import dev.creditline.store.BatchAdjust.Adjusted;
import dev.creditline.store.BatchBooking;
import dev.creditline.store.BatchBooking.Booked;
import dev.creditline.store.BatchCancel;
import dev.creditline.store.BatchCancel.Cancelled;
import dev.creditline.store.IdempotencyRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The ledger's commands as the HTTP routes give them: each goes through its {@link WritePipeline}, batched with the
 * requests of any studios that arrive meanwhile. A single request is a batch of one.
 */
@Singleton
public final class LedgerCommands {
    private final WritePipeline<BatchBooking.Request, Booked> bookings;
    private final WritePipeline<BatchCancel.Request, Cancelled> cancellations;
    private final WritePipeline<BatchAdjust.Request, Adjusted> adjustments;

    @Inject
    public LedgerCommands(Pool pool, BatchBooking booking, BatchCancel cancel, BatchAdjust adjust,
                          IdempotencyRepository idempotency, MeterRegistry metrics, Config config) {
        // Enough transactions at once to keep the database busy, few enough that the others queue and batch.
        int lanes = Math.max(1, config.poolSize() / 4);
        this.bookings = new WritePipeline<>("book", booking, pool, idempotency, metrics, lanes,
                config.waitQueueSize());
        this.cancellations = new WritePipeline<>("cancel", cancel, pool, idempotency, metrics, lanes,
                config.waitQueueSize());
        this.adjustments = new WritePipeline<>("adjust", adjust, pool, idempotency, metrics, lanes,
                config.waitQueueSize());
    }

    /**
     * Books a class.
     *
     * @param requestHash what makes a retry with the request's key "the same request" (null without a key)
     */
    public Future<Answer> book(BatchBooking.Request request, byte[] requestHash, Renderer<Booked> renderer) {
        return bookings.submit(new WritePipeline.Request<>(request, requestHash, renderer));
    }

    /** Cancels a booking; see {@link #book} for the hash. */
    public Future<Answer> cancel(BatchCancel.Request request, byte[] requestHash, Renderer<Cancelled> renderer) {
        return cancellations.submit(new WritePipeline.Request<>(request, requestHash, renderer));
    }

    /** Adjusts a member's account (adds credits, or sets the total); see {@link #book} for the hash. */
    public Future<Answer> adjust(BatchAdjust.Request request, byte[] requestHash, Renderer<Adjusted> renderer) {
        return adjustments.submit(new WritePipeline.Request<>(request, requestHash, renderer));
    }
}
