package dev.creditline.api.spi;

import dev.creditline.api.EntryType;
import dev.creditline.api.Lot;
import dev.creditline.api.Money;
import dev.creditline.api.SubscriptionStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;

/**
 * Ledger commands and queries for plugins. Commands keep every rule of the ledger: the member is locked, each change
 * is a journal entry, a balance never goes negative. Each command runs in its own transaction, or in the caller's
 * after {@link #in}. Unknown ids fail with {@link ApiProblem} 404.
 */
public interface LedgerService {

    /** This service joining a transaction: its commands commit or roll back with it. */
    LedgerService in(SqlConnection transaction);

    /** A studio with its current time (a test-mode studio's clock). */
    Future<StudioInfo> studio(String studioId);

    /** The member's lots with credits left (expired ones included until the sweep). */
    Future<List<Lot>> lots(String studioId, String memberId);

    /** Lots with credits left that are bound to the trainer, of every member. */
    Future<List<Lot>> lotsOfTrainer(String studioId, String trainerId);

    /** How many bookings the member made that are not cancelled. */
    Future<Long> activeBookings(String studioId, String memberId);

    /** The studio's trainer, or null. */
    Future<TrainerInfo> trainer(String studioId, String trainerId);

    /** A product's current version, or null. */
    Future<ProductInfo> product(String studioId, String productId);

    /** Marks a trainer active or not (an inactive trainer is kept for the record: lots and bookings name them). */
    Future<Void> setTrainerActive(String studioId, String trainerId, boolean active);

    /** Adds a lot of credits to a member's account ("granted"). */
    Future<Lot> grant(Grant grant);

    /**
     * Moves a lot's free credits to a new lot that differs only by trainer or expiry (a trainer leaves): two
     * {@code transferred} entries. Credits a booking holds stay on the lot, to post or be released with the booking.
     * Returns the new lot.
     */
    Future<Lot> reissue(Reissue reissue);

    /**
     * Removes a lot's free credits with one entry of the given type (credits a booking holds stay with it); returns
     * how many.
     */
    Future<Integer> takeBack(TakeBack takeBack);

    /** Completes a pending purchase that a payment provider confirmed: its credits arrive, once. */
    Future<PurchaseInfo> completePurchase(CompletePurchase command);

    /** Gives a product without payment (a free-package voucher): a completed purchase of price zero. */
    Future<PurchaseInfo> giveProduct(GiveProduct command);

    /**
     * A subscription's billing period that the provider reports paid: the period's credits arrive, once however often
     * it is reported (a retried webhook), and a pending or past-due subscription becomes active. The first period
     * completes the purchase that started the subscription; later periods are purchases of their own. Reports may
     * come in any order: the subscription's current period is the latest one paid or reported.
     */
    Future<SubscriptionInfo> subscriptionPeriodPaid(SubscriptionPeriodPaid command);

    /** The provider's view of a subscription changed: its status, its current period, cancellation at period end. */
    Future<SubscriptionInfo> subscriptionChanged(SubscriptionChange command);

    /** The subscription that a purchase started, or null. */
    Future<SubscriptionInfo> subscriptionOfPurchase(String studioId, String purchaseId);

    /**
     * The studio's figures for {@code [from, to)} (from null: since the beginning), one per currency its lots are
     * in; {@code threeMonthsBefore} bounds the sales that {@code salesLast3Months} adds up.
     */
    Future<List<LedgerFigures>> figures(String studioId, Instant from, Instant to, Instant threeMonthsBefore);

    /** What the members hold now, by the month it expires in. */
    Future<List<ExpiringCredits>> expiringByMonth(String studioId);

    /**
     * Streams the studio's journal entries of {@code [from, to)} (either bound null: open), of the given members
     * only when {@code memberIds} is not null, in journal order, {@code batchSize} at a time: the next batch is read
     * once {@code sink}'s future completes. Only one batch is in memory at once, however long the journal.
     */
    Future<Void> entries(String studioId, Instant from, Instant to, List<String> memberIds, int batchSize,
                         java.util.function.Function<List<LedgerEntry>, Future<Void>> sink);

    /** The names beside the ids of these entries (a batch of {@link #entries}): members, products, schedulers. */
    Future<EntryNames> entryNames(String studioId, List<LedgerEntry> entries);

    /** The member and every member merged into it (their entries make its statement). */
    Future<List<String>> memberWithMerged(String studioId, String memberId);

    /** The member, or null when unknown (erased members are known, without personal data, and not active). */
    Future<MemberInfo> member(String studioId, String memberId);

    /**
     * Active members, in the order they joined, a page at a time: those with the tag, or all when it is null.
     *
     * @param after the page's start (the {@code next} of the previous page), or null for the first
     */
    Future<MemberPage> members(String studioId, String tag, Long after, int limit);

    /**
     * Adds a tag to a member or removes it (nothing happens when it is already so); member listeners get the event.
     * Answers the member as it is now.
     */
    Future<MemberInfo> tagMember(String studioId, String memberId, String tag, boolean add);

    /** The finite lots with credits left that expire in {@code (after, until]}, of every member of the studio. */
    Future<List<Lot>> lotsExpiring(String studioId, Instant after, Instant until);

    /**
     * Records money paid back at the provider outside Creditline: the purchase's unused credits are taken back
     * ({@code refunded} entries) and it is marked refunded, once; a purchase refunded already changes nothing.
     */
    Future<PurchaseInfo> refundedAtProvider(RefundedAtProvider command);

    /**
     * A studio.
     *
     * @param now the studio's current time
     */
    record StudioInfo(String id, String name, ZoneId zone, Currency currency, Instant now, boolean testMode) {
    }

    /** A trainer. */
    record TrainerInfo(String id, String name, boolean active) {
    }

    /**
     * A product's current version.
     *
     * @param credits credits per purchase, or null when unlimited
     */
    record ProductInfo(String id, int version, String name, String kind, Integer credits, Money price,
                       boolean active, String trainerId, List<String> redeemableSchedulerIds) {
    }

    /**
     * A purchase.
     *
     * @param status pending, completed, voided or refunded
     * @param lots   the lots it issued
     */
    record PurchaseInfo(String id, String memberId, String productId, String status, Money price, List<Lot> lots) {
    }

    /**
     * Credits to add.
     *
     * @param account        "master" or a product id
     * @param expiresAt      the credits' expiry, or null
     * @param idempotencyKey makes the grant exactly-once: the same key (per studio) grants once and answers the
     *                       same lot again; null for none. Prefix it with the plugin's id to keep keys apart.
     */
    record Grant(String studioId, String memberId, String account, int amount, Instant expiresAt, String actor,
                 String reason, String idempotencyKey) {
    }

    /**
     * A lot to reissue with another trainer and/or expiry.
     *
     * @param trainerId   the new trainer, or null to keep the lot's
     * @param expiresAt   the new expiry, or null to keep the lot's
     * @param description the credit log's text, e.g. "Transferred to trainer Ben (Anna left)"
     */
    record Reissue(String studioId, String lotId, String trainerId, Instant expiresAt, String actor, String reason,
                   String description) {
    }

    /**
     * A lot whose remaining credits are taken back.
     *
     * @param type                refunded, forfeited or voided
     * @param flagPurchaseRefund  whether the lot's purchase is flagged for a money refund
     */
    record TakeBack(String studioId, String lotId, EntryType type, String actor, String reason, String description,
                    boolean flagPurchaseRefund) {
    }

    /**
     * A payment confirmed by a provider.
     *
     * @param amountPaid what was actually paid (after discounts): the lots' cost basis
     * @param reference  the provider's reference of the payment
     */
    record CompletePurchase(String studioId, String purchaseId, Money amountPaid, String reference) {
    }

    /**
     * A member.
     *
     * @param active false once erased or merged into another member
     */
    record MemberInfo(String id, String name, String email, List<String> tags, boolean active) {
    }

    /**
     * A page of members.
     *
     * @param next where the next page starts, or null after the last
     */
    record MemberPage(List<MemberInfo> items, Long next) {
    }

    /** A product given for free. */
    record GiveProduct(String studioId, String memberId, String productId, String actor, String reason) {
    }

    /**
     * A subscription as the ledger holds it.
     *
     * @param purchaseId        the purchase that started it
     * @param providerReference the provider's id of it, or null until the provider named it
     * @param periodStart       the current billing period's start, or null before the first is paid
     * @param periodPurchaseId  the purchase that paid the period just reported (answers to
     *                          {@link #subscriptionPeriodPaid}), else null
     */
    record SubscriptionInfo(String id, String memberId, String productId, String purchaseId, String payment,
                            String providerReference, SubscriptionStatus status, Instant periodStart,
                            Instant periodEnd, boolean cancelAtPeriodEnd, String periodPurchaseId) {
    }

    /**
     * Money the provider paid back for a purchase outside Creditline (e.g. in its dashboard).
     *
     * @param reference the provider's id of the refund or charge
     */
    record RefundedAtProvider(String studioId, String purchaseId, Money amount, String reference) {
    }

    /**
     * A billing period paid. The subscription is named by the purchase that started it (the provider's metadata
     * carries it) or by the provider's reference; a reference given with a purchase is recorded.
     *
     * @param payment          the provider's payment id (e.g. {@code "stripe"})
     * @param amountPaid       what the period cost after discounts: the cost basis of its credits
     * @param paymentReference the provider's id of the payment (e.g. an invoice), or null
     */
    record SubscriptionPeriodPaid(String studioId, String payment, String purchaseId, String providerReference,
                                  Instant periodStart, Instant periodEnd, Money amountPaid, String paymentReference) {
    }

    /**
     * A subscription's state at the provider.
     *
     * @param status      its status, or null to keep the one recorded
     * @param periodStart the current period's start, or null to keep the one recorded
     * @param periodEnd          its end, or null to keep the one recorded
     * @param cancelAtPeriodEnd  whether it ends with the current period, or null to keep what was recorded
     */
    record SubscriptionChange(String studioId, String payment, String purchaseId, String providerReference,
                              SubscriptionStatus status, Instant periodStart, Instant periodEnd,
                              Boolean cancelAtPeriodEnd) {
    }
}
