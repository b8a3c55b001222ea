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
import dev.creditline.store.InOrder;
import dev.creditline.store.MemberRepository;
import dev.creditline.store.Names;
import dev.creditline.store.PurchaseCommands;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The ledger's commands as the HTTP routes give them: each goes through its {@link WritePipeline}, batched with the
 * requests of any studios that arrive meanwhile. A single request is a batch of one.
 */
@Singleton
public final class LedgerCommands {
    private final WritePipeline<BatchBooking.Request, Booked> bookings;
    private final WritePipeline<BatchCancel.Request, Cancelled> cancellations;
    private final WritePipeline<BatchAdjust.Request, Adjusted> adjustments;
    private final WritePipeline<PurchaseCommands.Order, Purchased> purchases;

    /** A purchase carried out, with the names its answer shows. */
    public record Purchased(PurchaseCommands.Result result, Names.Found names) {
    }

    @Inject
    public LedgerCommands(Pool pool, BatchBooking booking, BatchCancel cancel, BatchAdjust adjust,
                          PurchaseCommands purchase, MemberRepository members, Names names,
                          IdempotencyRepository idempotency, MeterRegistry metrics, Config config) {
        // Enough transactions at once to keep the database busy, few enough that the others queue and batch.
        int lanes = Math.max(1, config.poolSize() / 4);
        this.bookings = new WritePipeline<>("book", booking, pool, idempotency, metrics, lanes,
                config.waitQueueSize());
        this.cancellations = new WritePipeline<>("cancel", cancel, pool, idempotency, metrics, lanes,
                config.waitQueueSize());
        this.adjustments = new WritePipeline<>("adjust", adjust, pool, idempotency, metrics, lanes,
                config.waitQueueSize());
        // A purchase reads and writes as it goes (product, voucher, payment): its batch carries them out in order.
        InOrder<PurchaseCommands.Order, Purchased> purchasesInOrder = new InOrder<>(members,
                order -> order.request().memberId(), (c, order) -> purchase.purchase(c, order.studio(),
                        order.actor(), order.request(), order.idempotencyKey())
                .compose(result -> names.of(c, order.studio().id(), List.of(result.purchase().memberId()),
                        List.of(result.purchase().productId()), List.of()).map(found -> new Purchased(result, found))));
        this.purchases = new WritePipeline<>("purchase", purchasesInOrder, pool, idempotency, metrics, lanes,
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

    /** Sells a product to a member (or adds it free, or records money taken outside); see {@link #book}. */
    public Future<Answer> purchase(PurchaseCommands.Order order, byte[] requestHash, Renderer<Purchased> renderer) {
        return purchases.submit(new WritePipeline.Request<>(order, requestHash, renderer));
    }
}
