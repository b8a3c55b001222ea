package dev.creditline.kernel.pipeline;

import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.pipeline.WritePipeline.Answer;
import dev.creditline.kernel.pipeline.WritePipeline.Renderer;
import dev.creditline.store.Batch;
import dev.creditline.store.BatchAdjust;
import dev.creditline.store.BatchAdjust.Adjusted;
import dev.creditline.store.BatchBooking;
import dev.creditline.store.BatchBooking.Booked;
import dev.creditline.store.BookingChanges;
import dev.creditline.store.BookingChanges.Changed;
import dev.creditline.store.CreditCommands;
import dev.creditline.store.CreditCommands.EraseOrder;
import dev.creditline.store.CreditCommands.EraseResult;
import dev.creditline.store.CreditCommands.MergeOrder;
import dev.creditline.store.CreditCommands.MergeResult;
import dev.creditline.store.IdempotencyRepository;
import dev.creditline.store.InOrder;
import dev.creditline.store.MemberRepository;
import dev.creditline.store.Names;
import dev.creditline.store.PurchaseCommands;
import dev.creditline.store.PurchaseCommands.RefundOrder;
import dev.creditline.store.PurchaseCommands.RefundResult;
import dev.creditline.store.PurchaseCommands.VoidOrder;
import dev.creditline.store.PurchaseCommands.VoidResult;
import dev.creditline.store.PurchaseRepository.Purchase;
import dev.creditline.store.citus.Distribution;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
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
    private final WritePipeline<BookingChanges.Request, Changed> bookingChanges;
    private final WritePipeline<BatchAdjust.Request, Adjusted> adjustments;
    private final WritePipeline<PurchaseCommands.Order, Purchased> purchases;
    private final WritePipeline<VoidOrder, Voided> voids;
    private final WritePipeline<RefundOrder, Refunded> refunds;
    private final WritePipeline<EraseOrder, EraseResult> erasures;
    private final WritePipeline<MergeOrder, MergeResult> merges;
    private final Names names;

    /** A purchase carried out, with the names its answer shows. */
    public record Purchased(PurchaseCommands.Result result, Names.Found names) {
    }

    /** A purchase voided, with the names its answer shows. */
    public record Voided(VoidResult result, Names.Found names) {
    }

    /** A purchase refunded, with the names its answer shows. */
    public record Refunded(RefundResult result, Names.Found names) {
    }

    /** How the pipelines are made: what they share. */
    private record Pipelines(Pool pool, IdempotencyRepository idempotency, MeterRegistry metrics, int lanes,
                             int maxWaiting, Distribution distribution) {
        /** A pipeline with lanes of its own. */
        <C extends Batch.Command, T> WritePipeline<C, T> of(String name, Batch<C, T> batch) {
            return of(name, batch, new Lanes(lanes));
        }

        <C extends Batch.Command, T> WritePipeline<C, T> of(String name, Batch<C, T> batch, Lanes shared) {
            return new WritePipeline<>(name, batch, pool, idempotency, metrics, shared, maxWaiting,
                    distribution::byStudio);
        }
    }

    @Inject
    public LedgerCommands(Pool pool, BatchBooking booking, BookingChanges changes, BatchAdjust adjust,
                          PurchaseCommands purchase, CreditCommands credits, MemberRepository members, Names names,
                          IdempotencyRepository idempotency, MeterRegistry metrics, Config config,
                          Distribution distribution) {
        this.names = names;
        // Enough transactions at once to keep the database busy, few enough that the others queue and batch.
        Pipelines pipelines = new Pipelines(pool, idempotency, metrics, config.writeLanes(), config.waitQueueSize(),
                distribution);
        // A booking app's traffic: bookings and cancellations come mixed and share their lanes, so they queue and
        // batch as one stream (with lanes each, a mix runs twice the transactions, each half as full).
        Lanes bookingLife = new Lanes(pipelines.lanes());
        this.bookings = pipelines.of("book", booking, bookingLife);
        // Named "cancel" in the metrics, as before check-ins, no-shows and waivers joined the cancellations.
        this.bookingChanges = pipelines.of("cancel", changes, bookingLife);
        this.adjustments = pipelines.of("adjust", adjust);
        // A paid purchase or a money refund holds its lane while the payment provider answers: as many lanes as the
        // pool gave before there was a setting, so a slow provider does not hold up the free purchases behind it.
        int providerLanes = Math.max(config.writeLanes(), config.poolSize() / 4);
        // These read and write as they go (product, voucher, payment, the purchase's lots): carried out in order.
        this.purchases = pipelines.of("purchase", InOrder.byMembers(members,
                order -> List.of(order.request().memberId()), (c, order) -> purchase.purchase(c, order.studio(),
                                order.actor(), order.request(), order.idempotencyKey())
                        .compose(result -> named(c, order.studio().id(), result.purchase())
                                .map(found -> new Purchased(result, found)))), new Lanes(providerLanes));
        this.voids = pipelines.of("void", InOrder.byPurchase(members, VoidOrder::purchaseId, (c, order) ->
                purchase.voidPurchase(c, order.studio(), order.actor(), order.purchaseId(), order.reason(),
                                order.idempotencyKey())
                        .compose(result -> named(c, order.studio().id(), result.purchase())
                                .map(found -> new Voided(result, found)))));
        this.refunds = pipelines.of("refund", InOrder.byPurchase(members, RefundOrder::purchaseId, (c, order) ->
                purchase.refund(c, order.studio(), order.actor(), order.purchaseId(), order.mode(), order.reason(),
                                order.idempotencyKey())
                        .compose(result -> named(c, order.studio().id(), result.purchase())
                                .map(found -> new Refunded(result, found)))), new Lanes(providerLanes));
        this.erasures = pipelines.of("erase", InOrder.byMembers(members, order -> List.of(order.memberId()),
                (c, order) -> credits.erase(c, order.studio(), order.actor(), order.memberId(), order.forfeit(),
                        order.idempotencyKey())));
        this.merges = pipelines.of("merge", InOrder.byMembers(members,
                order -> List.of(order.memberId(), order.fromMemberId()),
                (c, order) -> credits.merge(c, order.studio(), order.actor(), order.memberId(), order.fromMemberId(),
                        order.idempotencyKey())));
    }

    /** The names a purchase's answer shows: its member's and its product's. */
    private Future<Names.Found> named(SqlConnection c, String studioId, Purchase purchase) {
        return names.of(c, studioId, List.of(purchase.memberId()), List.of(purchase.productId()), List.of());
    }

    /**
     * Books a class.
     *
     * @param requestHash what makes a retry with the request's key "the same request" (null without a key)
     */
    public Future<Answer> book(BatchBooking.Request request, byte[] requestHash, Renderer<Booked> renderer) {
        return bookings.submit(new WritePipeline.Request<>(request, requestHash, renderer));
    }

    /** Cancels a booking, checks it in, marks a no-show or waives a penalty; see {@link #book} for the hash. */
    public Future<Answer> changeBooking(BookingChanges.Request request, byte[] requestHash,
                                        Renderer<Changed> renderer) {
        return bookingChanges.submit(new WritePipeline.Request<>(request, requestHash, renderer));
    }

    /** Adjusts a member's account (adds credits, or sets the total); see {@link #book} for the hash. */
    public Future<Answer> adjust(BatchAdjust.Request request, byte[] requestHash, Renderer<Adjusted> renderer) {
        return adjustments.submit(new WritePipeline.Request<>(request, requestHash, renderer));
    }

    /** Sells a product to a member (or adds it free, or records money taken outside); see {@link #book}. */
    public Future<Answer> purchase(PurchaseCommands.Order order, byte[] requestHash, Renderer<Purchased> renderer) {
        return purchases.submit(new WritePipeline.Request<>(order, requestHash, renderer));
    }

    /** Voids a purchase, taking its unused credits back; see {@link #book}. */
    public Future<Answer> voidPurchase(VoidOrder order, byte[] requestHash, Renderer<Voided> renderer) {
        return voids.submit(new WritePipeline.Request<>(order, requestHash, renderer));
    }

    /** Refunds a purchase (money or store credit for its unused credits); see {@link #book}. */
    public Future<Answer> refund(RefundOrder order, byte[] requestHash, Renderer<Refunded> renderer) {
        return refunds.submit(new WritePipeline.Request<>(order, requestHash, renderer));
    }

    /** Erases a member's personal data (forfeiting their credits when asked); see {@link #book}. */
    public Future<Answer> erase(EraseOrder order, byte[] requestHash, Renderer<EraseResult> renderer) {
        return erasures.submit(new WritePipeline.Request<>(order, requestHash, renderer));
    }

    /** Merges a duplicate member into another, moving their credits and bookings; see {@link #book}. */
    public Future<Answer> merge(MergeOrder order, byte[] requestHash, Renderer<MergeResult> renderer) {
        return merges.submit(new WritePipeline.Request<>(order, requestHash, renderer));
    }
}
