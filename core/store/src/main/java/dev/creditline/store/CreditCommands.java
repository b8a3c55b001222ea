package dev.creditline.store;

import dev.creditline.api.EntryType;
import dev.creditline.api.Lot;
import dev.creditline.api.LotCategory;
import dev.creditline.api.Money;
import dev.creditline.api.Scheduler;
import dev.creditline.api.ValidityStart;
import dev.creditline.ledger.Adjustment;
import dev.creditline.ledger.EntryDraft;
import dev.creditline.ledger.Erasure;
import dev.creditline.ledger.LotBook;
import dev.creditline.ledger.Removal;
import dev.creditline.ledger.Transfer;
import dev.creditline.store.CatalogueRepository.Product;
import dev.creditline.store.MemberRepository.Member;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The ledger's write transactions. Each runs inside a transaction the caller opened: it locks the member, reads their
 * lots, lets the ledger decide, then writes lots, domain rows and journal entries. A refusal fails the future with a
 * {@link Rejection} before anything is written, so the caller's rollback leaves the ledger as it was.
 */
public final class CreditCommands {

    /** An erasure of a member to carry out in the write pipeline ({@link #erase}). */
    public record EraseOrder(CallContext call, String memberId, boolean forfeit) implements Batch.Command {
    }

    /** A merge of {@code fromMemberId} into {@code memberId} to carry out in the write pipeline ({@link #merge}). */
    public record MergeOrder(CallContext call, String memberId, String fromMemberId) implements Batch.Command {
    }

    /** Whether an adjustment adds credits or sets a new total. */
    public enum AdjustMode { ADD, SET }

    /**
     * A manual adjustment of one account.
     *
     * @param expectedBalance the balance the coach saw (required for {@link AdjustMode#SET})
     * @param expiresAt       the expiry of added credits, or null
     */
    public record Adjust(String memberId, String account, AdjustMode mode, int amount, Integer expectedBalance,
                         Instant expiresAt, String reason) {
    }

    /**
     * A booking request.
     *
     * @param payWith "credits", "direct", or null for the scheduler's default
     */
    /**
     * A booking to make.
     *
     * @param recordPast whether staff record a class that already started (attendance taken on paper)
     */
    public record Book(String memberId, String schedulerId, Instant startsAt, String payWith, boolean recordPast) {

        /** The reason its journal entries carry: a booking recorded after its class says so in the credit log. */
        public String reason() {
            return recordPast ? RECORDED_PAST : null;
        }

        /**
         * Refuses a class that started already unless staff record it afterwards, and a record of one that has not
         * started. Decided with the booking, after its idempotency key is claimed: a retry of a booking that went
         * through just before the class gets its first answer, not this refusal.
         */
        public void requireTiming(Instant now) {
            if (!startsAt.isAfter(now) && !recordPast) {
                throw Rejection.invalid("startsAt", "the class started already (the studio's time is " + now
                        + "); to record attendance taken on paper, send recordPast: true");
            }
            if (startsAt.isAfter(now) && recordPast) {
                throw Rejection.invalid("recordPast", "is for classes that started already; this one starts at "
                        + startsAt);
            }
        }
    }

    /** The reason of the entries of a booking recorded after its class started. */
    public static final String RECORDED_PAST = "recorded after the class started";

    /** An erased member and how many credits were forfeited. */
    public record EraseResult(Member member, int forfeited) {
    }

    /** The member that took over, and how many live credits moved. */
    public record MergeResult(Member member, String fromMemberId, int transferred) {
    }

    private final LedgerWrites writes;
    private final MemberRepository members;
    private final LotRepository lots;
    private final JournalRepository journal;
    private final CatalogueRepository catalogue;
    private final BookingRepository bookings;
    private final PurchaseRepository purchases;
    private final StudioRepository studios;
    private final RedemptionPolicyPort policies;
    private final SubscriptionRepository subscriptions;
    private final UsageLimits usage;

    @Inject
    public CreditCommands(LedgerWrites writes, MemberRepository members, LotRepository lots,
                          JournalRepository journal, CatalogueRepository catalogue, BookingRepository bookings,
                          PurchaseRepository purchases, StudioRepository studios, RedemptionPolicyPort policies,
                          SubscriptionRepository subscriptions, UsageLimits usage) {
        this.subscriptions = subscriptions;
        this.usage = usage;
        this.writes = writes;
        this.members = members;
        this.lots = lots;
        this.journal = journal;
        this.catalogue = catalogue;
        this.bookings = bookings;
        this.purchases = purchases;
        this.studios = studios;
        this.policies = policies;
    }

    /**
     * Adds credits to an account, or sets its total if it still holds the balance the coach saw. Returns the lot it
     * issued, if any.
     */
    public Future<List<Lot>> adjust(SqlConnection c, StudioContext s, Actor actor, Adjust command,
                                    String idempotencyKey) {
        return writes.lockActive(c, s, command.memberId(), "memberId")
                .compose(member -> catalogue.accountProduct(c, s.id(), command.account()))
                .compose(product -> lots.live(c, s.id(), command.memberId()).compose(live -> {
                    LotBook book = new LotBook(live, s.now());
                    JournalEntry.Context context = new JournalEntry.Context(command.memberId(), actor,
                            command.reason(), null, null, idempotencyKey, s.now());
                    return writes.write(c, s, book, adjust(book, s, actor, command, product), context)
                            .map(done -> book.created());
                }));
    }

    /**
     * The entries of an adjustment on the member's book (the lot it issues, if any, joins the book), or the refusal:
     * no room in the account, or a set whose expected balance is no longer the balance.
     *
     * @param product the product whose account is adjusted, null for master credits
     */
    static List<EntryDraft> adjust(LotBook book, StudioContext s, Actor actor, Adjust command, Product product) {
        int increase = command.mode() == AdjustMode.ADD
                ? command.amount() : command.amount() - book.balance(command.account());
        LedgerWrites.requireRoom(book, command.account(), increase);
        if (command.mode() == AdjustMode.ADD) {
            return List.of(Adjustment.add(book, grantedLot(s, command, product, command.amount()), actor.name()));
        }
        var outcome = Adjustment.set(book, command.account(), command.amount(), command.expectedBalance(),
                quantity -> grantedLot(s, command, product, quantity), s.order(), actor.name());
        if (outcome instanceof Adjustment.BalanceChanged changed) {
            throw Rejection.conflict("balance_changed", "the balance is " + changed.actual() + ", not the expected "
                    + command.expectedBalance() + "; read it again and repeat the set", changed.actual());
        }
        return ((Adjustment.Applied) outcome).entries();
    }

    private static Lot grantedLot(StudioContext s, Adjust command, Product product, int quantity) {
        return grantedLot(s, command.memberId(), command.account(), product, quantity, command.expiresAt());
    }

    /** A promotional lot granted now: in master credits or a product's account ({@code product}), at no cost. */
    static Lot grantedLot(StudioContext s, String memberId, String account, Product product, int quantity,
                          Instant expiresAt) {
        Money zero = Money.zero(product == null ? s.currency() : product.price().currency());
        return new Lot(Ids.next("lot"), memberId, account,
                product == null ? null : product.id(), product == null ? null : product.version(), null,
                quantity, quantity, false, s.now(), s.now(), expiresAt, null, ValidityStart.PURCHASE,
                zero, LotCategory.PROMOTIONAL, product == null ? null : product.redeemableSchedulerIds(),
                product == null ? null : product.trainerId(), false, Long.MAX_VALUE);
    }

    /** How a booking of the scheduler is paid: as requested, if the scheduler takes it, or its default. */
    static String payWith(String requested, Scheduler scheduler) {
        if (requested == null) {
            return scheduler.paymentMode().acceptsCredits() ? "credits" : "direct";
        }
        boolean allowed = requested.equals("credits")
                ? scheduler.paymentMode().acceptsCredits()
                : scheduler.paymentMode().acceptsDirect();
        if (!allowed) {
            throw Rejection.invalid("payWith", "scheduler " + scheduler.id() + " is paid with "
                    + scheduler.paymentMode().wireName() + " only");
        }
        return requested;
    }

    /**
     * Moves a lot's remaining credits to a new lot that differs only by trainer and/or expiry, keeping its
     * acquisition time, purchase, restrictions and cost basis: two {@code transferred} entries.
     *
     * @param trainerId the new trainer, or null to keep the lot's
     * @param expiresAt the new expiry, or null to keep the lot's
     */
    public Future<Lot> reissue(SqlConnection c, StudioContext s, Actor actor, String lotId, String trainerId,
                               Instant expiresAt, String reason, String description) {
        return lockedLot(c, s, lotId).compose(held -> {
            var outcome = Transfer.reissue(held.book(), lotId, Ids.next("lot"), trainerId, expiresAt, description);
            if (!(outcome instanceof Transfer.Reissued reissued)) {
                throw Rejection.conflict("lot_empty", "lot " + lotId + " holds no credits");
            }
            Lot lot = reissued.lot();
            JournalEntry.Context context = new JournalEntry.Context(lot.memberId(), actor, reason, null,
                    lot.purchaseId(), null, s.now());
            return writes.write(c, s, held.book(), reissued.entries(), context).map(lot);
        });
    }

    /**
     * Takes a lot's remaining credits back with one entry of the given type; optionally flags its purchase as owing
     * a money refund. Returns the credits taken.
     */
    public Future<Integer> takeBack(SqlConnection c, StudioContext s, Actor actor, String lotId, EntryType type,
                                    String reason, String description, boolean flagPurchaseRefund) {
        return lockedLot(c, s, lotId).compose(held -> {
            Lot lot = held.book().lot(lotId);
            List<EntryDraft> entries = Removal.drain(held.book(), List.of(lot), type, description);
            int taken = -entries.stream().mapToInt(EntryDraft::delta).sum();
            // An unlimited lot's one credit stands for its period, not for a credit owed back as one.
            int owed = lot.unlimited() ? 0 : taken;
            JournalEntry.Context context = new JournalEntry.Context(lot.memberId(), actor, reason, null,
                    lot.purchaseId(), null, s.now());
            return writes.write(c, s, held.book(), entries, context)
                    .compose(done -> flagPurchaseRefund && lot.purchaseId() != null && owed > 0
                            ? purchases.flagRefundDue(c, s.id(), lot.purchaseId(), owed)
                            : Future.succeededFuture())
                    .map(taken);
        });
    }

    /** A lot and a book of its member's lots, with the member locked. */
    private record HeldLot(LotBook book) {
    }

    private Future<HeldLot> lockedLot(SqlConnection c, StudioContext s, String lotId) {
        return lots.find(c, s.id(), lotId).compose(unlocked -> {
            if (unlocked == null) {
                throw Rejection.notFound("lotId", "lot", lotId);
            }
            return writes.lockActive(c, s, unlocked.memberId(), "memberId")
                    .compose(member -> lots.liveAnd(c, s.id(), member.id(), List.of(lotId)))
                    .map(live -> {
                        if (live.stream().noneMatch(lot -> lot.id().equals(lotId) && lot.memberId().equals(
                                unlocked.memberId()))) {
                            throw Rejection.conflict("lot_moved", "lot " + lotId + " changed member; retry");
                        }
                        return new HeldLot(new LotBook(live, s.now()));
                    });
        });
    }

    /**
     * Erases a member's personal data. Outstanding credits block it unless {@code forfeit}, which writes
     * {@code forfeited} entries for them. The journal stays, pointing at the anonymised member.
     */
    public Future<EraseResult> erase(SqlConnection c, StudioContext s, Actor actor, String memberId, boolean forfeit,
                                     String idempotencyKey) {
        // A member merged into another can be erased too: their lots have moved, their personal data has not.
        return members.lock(c, s.id(), memberId)
                .map(member -> {
                    if (member == null || member.deletedAt() != null) {
                        throw Rejection.notFound("id", "member", memberId);
                    }
                    return member;
                })
                .compose(member -> lots.live(c, s.id(), memberId).compose(live -> {
                    LotBook book = new LotBook(live, s.now());
                    var outcome = Erasure.of(book, forfeit, actor.name());
                    if (outcome instanceof Erasure.CreditsOutstanding open) {
                        throw Rejection.conflict("credits_outstanding", "the member has " + open.credits()
                                + " credits; refund them first or delete with ?forfeit=true", open.credits());
                    }
                    Erasure.Forfeited forfeited = (Erasure.Forfeited) outcome;
                    Member erased = new Member(member.id(), member.seq(), null, null, null, List.of(),
                            member.createdAt(), s.now(), s.now(), member.mergedInto());
                    JournalEntry.Context context = new JournalEntry.Context(memberId, actor, "member deleted", null,
                            null, idempotencyKey, s.now());
                    return writes.write(c, s, book, forfeited.entries(), context)
                            .compose(written -> studios.revokeMemberKeys(c, s.id(), memberId, s.now()))
                            .compose(revoked -> members.update(c, s.id(), erased))
                            .map(updated -> new EraseResult(updated, forfeited.credits()));
                }));
    }

    /**
     * Merges a duplicate member into this one: their live credits move with {@code transferred} entries (keeping each
     * lot's expiry and restrictions), their spent lots, bookings and purchases follow, and their credit log shows up
     * in this member's.
     */
    public Future<MergeResult> merge(SqlConnection c, StudioContext s, Actor actor, String memberId,
                                     String fromMemberId, String idempotencyKey) {
        if (memberId.equals(fromMemberId)) {
            return Future.failedFuture(Rejection.invalid("fromMemberId", "a member cannot be merged into itself"));
        }
        // Both members are locked, in id order, so two merges of the same pair cannot deadlock.
        boolean targetFirst = memberId.compareTo(fromMemberId) < 0;
        String firstId = targetFirst ? memberId : fromMemberId;
        String secondId = targetFirst ? fromMemberId : memberId;
        return writes.lockActive(c, s, firstId, targetFirst ? "memberId" : "fromMemberId")
                .compose(first -> writes.lockActive(c, s, secondId, targetFirst ? "fromMemberId" : "memberId")
                        .map(second -> targetFirst ? List.of(first, second) : List.of(second, first)))
                .compose(pair -> {
                    Member target = pair.get(0);
                    Member from = pair.get(1);
                    return lots.live(c, s.id(), from.id()).compose(fromLots -> lots.live(c, s.id(), target.id())
                            .compose(targetLots -> {
                                LotBook fromBook = new LotBook(fromLots, s.now());
                                LotBook targetBook = new LotBook(targetLots, s.now());
                                var outcome = Transfer.merge(fromBook, targetBook, from.id(), target.id());
                                if (outcome instanceof Transfer.NoRoom full) {
                                    throw LedgerWrites.noRoom(full.wouldHold());
                                }
                                Transfer.Merged moved = (Transfer.Merged) outcome;
                                JournalEntry.Context out = new JournalEntry.Context(from.id(), actor, null, null,
                                        null, idempotencyKey, s.now());
                                JournalEntry.Context in = out.withMember(target.id());
                                List<JournalEntry> entries = moved.legs().stream()
                                        .map(leg -> JournalEntry.of(leg.entry(), leg.incoming() ? in : out)).toList();
                                Set<String> tags = new java.util.LinkedHashSet<>(target.tags());
                                tags.addAll(from.tags());
                                Member merged = new Member(target.id(), target.seq(), target.name(), target.email(),
                                        target.externalId(), List.copyOf(tags), target.createdAt(), s.now(), null,
                                        null);
                                Member gone = new Member(from.id(), from.seq(), from.name(), from.email(),
                                        from.externalId(), from.tags(), from.createdAt(), s.now(), null, target.id());
                                return lots.moveAll(c, s.id(), from.id(), target.id())
                                        .compose(done -> lots.update(c, s.id(), targetBook.changed()))
                                        .compose(done -> journal.append(c, s.id(), entries))
                                        .compose(done -> bookings.moveAll(c, s.id(), from.id(), target.id()))
                                        .compose(done -> purchases.moveAll(c, s.id(), from.id(), target.id()))
                                        .compose(done -> subscriptions.moveAll(c, s.id(), from.id(), target.id()))
                                        .compose(done -> studios.revokeMemberKeys(c, s.id(), from.id(), s.now()))
                                        .compose(done -> members.update(c, s.id(), gone))
                                        .compose(done -> members.update(c, s.id(), merged))
                                        .map(updated -> new MergeResult(updated, from.id(), moved.credits()));
                            }));
                });
    }

}
