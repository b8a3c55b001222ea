package dev.creditline.kernel.plugins;

import dev.creditline.api.EntryType;
import dev.creditline.api.Lot;
import dev.creditline.api.spi.ApiProblem;
import dev.creditline.api.spi.LedgerService;
import dagger.Lazy;
import dev.creditline.kernel.http.StudioContexts;
import dev.creditline.kernel.pipeline.LedgerCommands;
import dev.creditline.kernel.pipeline.WritePipeline;
import dev.creditline.store.BatchAdjust;
import dev.creditline.store.BatchAdjust.Adjusted;
import dev.creditline.store.Actor;
import dev.creditline.store.CallContext;
import dev.creditline.store.CatalogueRepository;
import dev.creditline.store.CreditCommands;
import dev.creditline.store.CreditQueries;
import dev.creditline.store.IdempotencyRepository;
import dev.creditline.store.LotRepository;
import dev.creditline.store.PurchaseCommands;
import dev.creditline.store.Rejection;
import dev.creditline.store.StudioContext;
import dev.creditline.store.ReportQueries;
import dev.creditline.store.MemberRepository;
import dev.creditline.store.Names;
import dev.creditline.api.spi.LedgerFigures;
import dev.creditline.api.spi.ExpiringCredits;
import dev.creditline.api.Accounts;
import dev.creditline.api.spi.EntryNames;
import dev.creditline.api.spi.LedgerEntry;
import java.time.Instant;
import java.util.function.Function;
import dev.creditline.store.SubscriptionCommands;
import dev.creditline.store.SubscriptionRepository;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The ledger as plugins use it: the same transactions as the HTTP API, in their own transaction or the caller's.
 * The ledger's refusals reach plugins as {@link ApiProblem}s. Each plugin gets a copy {@link #scopedTo} the studios
 * that enabled it: a studio that has not enabled a plugin is unknown to it (404), whatever reaches the plugin.
 */
@Singleton
public final class KernelLedgerService implements LedgerService {
    private final Pool pool;
    private final SqlConnection transaction;
    private final StudioContexts contexts;
    private final CreditCommands credits;
    private final PurchaseCommands purchases;
    private final CreditQueries queries;
    private final CatalogueRepository catalogue;
    private final LotRepository lots;
    private final IdempotencyRepository idempotency;
    private final SubscriptionCommands subscriptions;
    private final SubscriptionRepository subscriptionRows;
    private final ReportQueries reports;
    private final MemberRepository members;
    private final dev.creditline.store.MemberEvents memberEvents;
    private final Predicate<String> studios;
    /** Lazily: the pipelines' batches ask the plugins (credit policies), whose services include this one. */
    private final Lazy<LedgerCommands> ledger;
    /** Stateless lookups; not injected, to keep this class's constructors as they are. */
    private static final Names NAMES = new Names();

    @Inject
    public KernelLedgerService(Pool pool, StudioContexts contexts, CreditCommands credits, PurchaseCommands purchases,
                               CreditQueries queries, CatalogueRepository catalogue, LotRepository lots,
                               IdempotencyRepository idempotency, SubscriptionCommands subscriptions,
                               SubscriptionRepository subscriptionRows, ReportQueries reports,
                               MemberRepository members, dev.creditline.store.MemberEvents memberEvents,
                               Lazy<LedgerCommands> ledger) {
        this(pool, null, contexts, credits, purchases, queries, catalogue, lots, idempotency, subscriptions,
                subscriptionRows, reports, members, memberEvents, studioId -> true, ledger);
    }

    private KernelLedgerService(Pool pool, SqlConnection transaction, StudioContexts contexts, CreditCommands credits,
                                PurchaseCommands purchases, CreditQueries queries, CatalogueRepository catalogue,
                                LotRepository lots, IdempotencyRepository idempotency,
                                SubscriptionCommands subscriptions, SubscriptionRepository subscriptionRows,
                                ReportQueries reports, MemberRepository members,
                                dev.creditline.store.MemberEvents memberEvents, Predicate<String> studios,
                                Lazy<LedgerCommands> ledger) {
        this.memberEvents = memberEvents;
        this.reports = reports;
        this.members = members;
        this.subscriptions = subscriptions;
        this.subscriptionRows = subscriptionRows;
        this.pool = pool;
        this.transaction = transaction;
        this.contexts = contexts;
        this.credits = credits;
        this.purchases = purchases;
        this.queries = queries;
        this.catalogue = catalogue;
        this.lots = lots;
        this.idempotency = idempotency;
        this.studios = studios;
        this.ledger = ledger;
    }

    /** This service for a plugin: it reaches only the studios that enabled the plugin. */
    public KernelLedgerService scopedTo(Predicate<String> enabledStudios) {
        return new KernelLedgerService(pool, transaction, contexts, credits, purchases, queries, catalogue, lots,
                idempotency, subscriptions, subscriptionRows, reports, members, memberEvents, enabledStudios, ledger);
    }

    @Override
    public LedgerService in(SqlConnection tx) {
        return new KernelLedgerService(pool, tx, contexts, credits, purchases, queries, catalogue, lots, idempotency,
                subscriptions, subscriptionRows, reports, members, memberEvents, studios, ledger);
    }

    /** Runs a command in the joined transaction, or in a new one. */
    private <T> Future<T> write(String studioId, BiFunction<SqlConnection, StudioContext, Future<T>> work) {
        if (!studios.test(studioId)) {
            return notEnabled(studioId);
        }
        return anyStudio(studioId, work);
    }

    /** A write for a studio whether or not it enabled the plugin. */
    private <T> Future<T> anyStudio(String studioId, BiFunction<SqlConnection, StudioContext, Future<T>> work) {
        Future<T> done = transaction != null
                ? contexts.of(transaction, studioId).compose(s -> work.apply(transaction, s))
                : pool.withTransaction(c -> contexts.of(c, studioId).compose(s -> work.apply(c, s)));
        return done.recover(KernelLedgerService::asProblem);
    }

    private <T> Future<T> read(String studioId, BiFunction<SqlClient, StudioContext, Future<T>> work) {
        if (!studios.test(studioId)) {
            return notEnabled(studioId);
        }
        SqlClient client = transaction != null ? transaction : pool;
        return contexts.of(client, studioId).compose(s -> work.apply(client, s))
                .recover(KernelLedgerService::asProblem);
    }

    private static <T> Future<T> notEnabled(String studioId) {
        return Future.failedFuture(ApiProblem.notFound("studioId", "studio " + studioId + " not found"));
    }

    private static <T> Future<T> asProblem(Throwable failure) {
        return Future.failedFuture(failure instanceof Rejection r ? problem(r) : failure);
    }

    @Override
    public Future<StudioInfo> studio(String studioId) {
        return read(studioId, (c, s) -> Future.succeededFuture(
                new StudioInfo(s.id(), s.name(), s.zone(), s.currency(), s.now(), s.testMode())));
    }

    @Override
    public Future<List<Lot>> lots(String studioId, String memberId) {
        return read(studioId, (c, s) -> queries.member(c, s, memberId)
                .compose(member -> lots.live(c, s.id(), memberId)));
    }

    @Override
    public Future<List<Lot>> lotsOfTrainer(String studioId, String trainerId) {
        return read(studioId, (c, s) -> queries.lotsOfTrainer(c, s, trainerId));
    }

    @Override
    public Future<Long> activeBookings(String studioId, String memberId) {
        return read(studioId, (c, s) -> queries.activeBookings(c, s, memberId));
    }

    @Override
    public Future<TrainerInfo> trainer(String studioId, String trainerId) {
        return read(studioId, (c, s) -> catalogue.trainer(c, s.id(), trainerId)
                .map(t -> t == null ? null : new TrainerInfo(t.id(), t.name(), t.active())));
    }

    @Override
    public Future<Void> setTrainerActive(String studioId, String trainerId, boolean active) {
        return write(studioId, (c, s) -> catalogue.setTrainerActive(c, s.id(), trainerId, active).map(found -> {
            if (!found) {
                throw Rejection.notFound("trainerId", "trainer", trainerId);
            }
            return null;
        }));
    }

    @Override
    public Future<ProductInfo> product(String studioId, String productId) {
        return read(studioId, (c, s) -> catalogue.product(c, s.id(), productId).map(p -> p == null ? null
                : new ProductInfo(p.id(), p.version(), p.name(), p.kind().wireName(), p.credits(), p.price(),
                        p.active(), p.trainerId(), p.redeemableSchedulerIds())));
    }

    @Override
    public Future<Lot> grant(Grant grant) {
        if (grant.amount() < 1 || grant.amount() > 100_000) {
            return Future.failedFuture(ApiProblem.invalid("amount", "must be between 1 and 100000"));
        }
        var adjust = new CreditCommands.Adjust(grant.memberId(), grant.account(), CreditCommands.AdjustMode.ADD,
                grant.amount(), null, grant.expiresAt(), grant.reason());
        String key = grant.idempotencyKey();
        Actor actor = new Actor(grant.actor());
        byte[] hash = key == null ? null : dev.creditline.kernel.http.Json.sha256(grant.memberId() + "\u0000"
                + grant.account() + "\u0000" + grant.amount() + "\u0000" + grant.expiresAt());
        if (transaction != null) {
            return grantInTransaction(grant, adjust, actor, key, hash);
        }
        if (!studios.test(grant.studioId())) {
            return notEnabled(grant.studioId());
        }
        // Its own: through the write pipeline, batched with the other grants that come meanwhile. Exactly once per
        // key (in a namespace of the plugins' own): a repeat answers the first lot, or the first refusal.
        return contexts.of(pool, grant.studioId())
                .compose(s -> ledger.get().adjust(new BatchAdjust.Request(
                        new CallContext(s, actor, key == null ? null : "ledger:" + key), adjust, false), hash, GRANTED))
                .compose(answer -> granted(grant.studioId(), answer))
                .recover(KernelLedgerService::asProblem);
    }

    /**
     * A grant in the caller's transaction (a plugin's own write): the change commits or rolls back with it, and so
     * does its key, claimed in that transaction; a repeat answers the first lot.
     */
    private Future<Lot> grantInTransaction(Grant grant, CreditCommands.Adjust adjust, Actor actor, String key,
                                           byte[] hash) {
        if (key == null) {
            return write(grant.studioId(), (c, s) -> credits.adjust(c, s, actor, adjust, null)
                    .map(issued -> issued.get(0)));
        }
        return write(grant.studioId(), (c, s) -> idempotency.claim(c, s.id(), "ledger:" + key, hash).compose(claim -> {
            if (claim instanceof IdempotencyRepository.Replay replay) {
                return lots.find(c, s.id(), replay.response().body());
            }
            if (claim instanceof IdempotencyRepository.Mismatch) {
                throw Rejection.invalid("idempotencyKey", "this key was used for another grant");
            }
            return credits.adjust(c, s, actor, adjust, key).compose(issued -> idempotency
                    .complete(c, s.id(), "ledger:" + key, new IdempotencyRepository.StoredResponse(200,
                            issued.get(0).id()))
                    .map(issued.get(0)));
        }));
    }

    /** A grant's answer as stored for its key: the lot's id, or the refusal's status and words. */
    private static final WritePipeline.Renderer<Adjusted> GRANTED = new WritePipeline.Renderer<>() {
        @Override
        public IdempotencyRepository.StoredResponse done(Adjusted adjusted) {
            return new IdempotencyRepository.StoredResponse(200, adjusted.issued().get(0).id());
        }

        @Override
        public IdempotencyRepository.StoredResponse refused(RuntimeException refusal) {
            ApiProblem problem = problem(refusal);
            return new IdempotencyRepository.StoredResponse(problem.status(), new io.vertx.core.json.JsonObject()
                    .put("type", problem.type()).put("field", problem.field()).put("detail", problem.getMessage())
                    .encode());
        }
    };

    /** The lot a grant issued (or issued the first time its key was used), or its refusal. */
    private Future<Lot> granted(String studioId, WritePipeline.Answer answer) {
        IdempotencyRepository.StoredResponse response;
        if (answer instanceof WritePipeline.Answered answered) {
            if (answered.refusal() != null) {
                return Future.failedFuture(answered.refusal());
            }
            response = answered.response();
        } else if (answer instanceof WritePipeline.Replayed replayed) {
            response = replayed.response();
        } else {
            return Future.failedFuture(ApiProblem.invalid("idempotencyKey", "this key was used for another grant"));
        }
        if (response.status() != 200) {
            var refusal = new io.vertx.core.json.JsonObject(response.body());
            return Future.failedFuture(new ApiProblem(response.status(), refusal.getString("type"),
                    refusal.getString("detail"), refusal.getString("field")));
        }
        return lots.find(pool, studioId, response.body());
    }

    private static ApiProblem problem(RuntimeException refusal) {
        if (refusal instanceof Rejection r) {
            return new ApiProblem(r.kind().status(), r.code(), r.getMessage(), r.field());
        }
        return (ApiProblem) refusal;
    }

    @Override
    public Future<Lot> reissue(Reissue reissue) {
        return write(reissue.studioId(), (c, s) -> credits.reissue(c, s, new Actor(reissue.actor()),
                reissue.lotId(), reissue.trainerId(), reissue.expiresAt(), reissue.reason(), reissue.description()));
    }

    @Override
    public Future<Integer> takeBack(TakeBack takeBack) {
        if (takeBack.type() != EntryType.REFUNDED && takeBack.type() != EntryType.FORFEITED
                && takeBack.type() != EntryType.VOIDED) {
            return Future.failedFuture(ApiProblem.invalid("type", "must be refunded, forfeited or voided"));
        }
        return write(takeBack.studioId(), (c, s) -> credits.takeBack(c, s, new Actor(takeBack.actor()),
                takeBack.lotId(), takeBack.type(), takeBack.reason(), takeBack.description(),
                takeBack.flagPurchaseRefund()));
    }

    @Override
    public Future<PurchaseInfo> completePurchase(CompletePurchase command) {
        // A payment the member made arrives even if the studio disabled the provider since the checkout began.
        return anyStudio(command.studioId(), (c, s) -> purchases.complete(c, s, command.purchaseId(),
                command.amountPaid(), command.reference()).map(KernelLedgerService::info));
    }

    @Override
    public Future<PurchaseInfo> giveProduct(GiveProduct command) {
        return write(command.studioId(), (c, s) -> purchases.give(c, s, new Actor(command.actor()), command.memberId(),
                command.productId(), command.reason(), null).map(KernelLedgerService::info));
    }

    @Override
    public Future<SubscriptionInfo> subscriptionPeriodPaid(SubscriptionPeriodPaid command) {
        if (command.periodStart() == null || command.periodEnd() == null || command.amountPaid() == null
                || command.payment() == null) {
            return Future.failedFuture(ApiProblem.invalid("periodStart", "a paid period needs its start, end,"
                    + " amount and payment"));
        }
        // Like a purchase's payment: it arrives even if the studio disabled the provider since.
        return anyStudio(command.studioId(), (c, s) -> subscriptions.periodPaid(c, s, command.payment(),
                new SubscriptionCommands.PeriodPaid(null, command.purchaseId(), command.providerReference(),
                        command.periodStart(), command.periodEnd(), command.amountPaid(),
                        command.paymentReference())).map(paid -> info(paid.subscription(), paid.purchaseId())));
    }

    @Override
    public Future<SubscriptionInfo> subscriptionChanged(SubscriptionChange command) {
        if (command.payment() == null) {
            return Future.failedFuture(ApiProblem.invalid("payment", "a change names the payment provider"));
        }
        return anyStudio(command.studioId(), (c, s) -> subscriptions.update(c, s, command.payment(),
                new SubscriptionCommands.Update(null, command.purchaseId(), command.providerReference(),
                        command.status(), command.periodStart(), command.periodEnd(), command.cancelAtPeriodEnd()))
                .map(sub -> info(sub, null)));
    }

    @Override
    public Future<SubscriptionInfo> subscriptionOfPurchase(String studioId, String purchaseId) {
        return read(studioId, (c, s) -> subscriptionRows.ofPurchase(c, s.id(), purchaseId)
                .map(sub -> sub == null ? null : info(sub, null)));
    }

    @Override
    public Future<PurchaseInfo> refundedAtProvider(RefundedAtProvider command) {
        if (command.amount() == null || command.amount().minor() < 0) {
            return Future.failedFuture(ApiProblem.invalid("amount", "must be a non-negative amount"));
        }
        return anyStudio(command.studioId(), (c, s) -> purchases.refundedAtProvider(c, s, command.purchaseId(),
                        command.amount(), command.reference())
                .map(result -> info(new PurchaseCommands.Result(result.purchase(), List.of()))));
    }

    @Override
    public Future<List<LedgerFigures>> figures(String studioId, Instant from, Instant to,
                                               Instant threeMonthsBefore) {
        return read(studioId, (c, s) -> reports.figures(c, s.id(), from, to, threeMonthsBefore));
    }

    @Override
    public Future<List<ExpiringCredits>> expiringByMonth(String studioId) {
        return read(studioId, (c, s) -> reports.byExpiryMonth(c, s.id(), s.zone().getId()));
    }

    @Override
    public Future<Void> entries(String studioId, Instant from, Instant to, List<String> memberIds, int batchSize,
                                Function<List<LedgerEntry>, Future<Void>> sink) {
        if (batchSize < 1 || batchSize > 10_000) {
            return Future.failedFuture(ApiProblem.invalid("batchSize", "must be from 1 to 10000"));
        }
        return read(studioId, (c, s) -> reports.entries(s.id(), from, to, memberIds, batchSize, sink));
    }

    @Override
    public Future<EntryNames> entryNames(String studioId, List<LedgerEntry> entries) {
        return read(studioId, (c, s) -> {
            Future<Names.Found> found = NAMES.of(c, s.id(), entries.stream().map(LedgerEntry::memberId).toList(),
                    entries.stream().map(LedgerEntry::account).filter(a -> !Accounts.isMaster(a)).toList(),
                    List.of());
            Future<Map<String, String[]>> schedulers = NAMES.bookingSchedulers(c, s.id(),
                    entries.stream().map(LedgerEntry::bookingId).toList());
            return Future.all(found, schedulers).map(done -> {
                Map<String, EntryNames.SchedulerRef> refs = new HashMap<>();
                schedulers.result().forEach((booking, scheduler) ->
                        refs.put(booking, new EntryNames.SchedulerRef(scheduler[0], scheduler[1])));
                return new EntryNames(found.result().members(), found.result().products(), refs);
            });
        });
    }

    @Override
    public Future<List<String>> memberWithMerged(String studioId, String memberId) {
        return read(studioId, (c, s) -> queries.member(c, s, memberId)
                .compose(member -> members.withMerged(c, s.id(), memberId)));
    }

    @Override
    public Future<MemberInfo> member(String studioId, String memberId) {
        return read(studioId, (c, s) -> members.find(c, s.id(), memberId).map(m -> m == null ? null : info(m)));
    }

    @Override
    public Future<MemberPage> members(String studioId, String tag, Long after, int limit) {
        if (limit < 1 || limit > 1000) {
            return Future.failedFuture(ApiProblem.invalid("limit", "must be from 1 to 1000"));
        }
        return read(studioId, (c, s) -> members.list(c, s.id(), tag, after == null ? 0 : after, limit)
                .map(page -> new MemberPage(page.items().stream().map(KernelLedgerService::info).toList(),
                        page.next())));
    }

    @Override
    public Future<MemberInfo> tagMember(String studioId, String memberId, String tag, boolean add) {
        if (tag == null || tag.isBlank() || tag.length() > 64) {
            return Future.failedFuture(ApiProblem.invalid("tag", "must be 1 to 64 characters"));
        }
        return write(studioId, (c, s) -> members.lock(c, s.id(), memberId).compose(current -> {
            if (current == null || !current.active()) {
                throw Rejection.notFound("memberId", "member", memberId);
            }
            List<String> tags = new java.util.ArrayList<>(current.tags());
            if (add == tags.contains(tag)) {
                return Future.succeededFuture(info(current));
            }
            if (add) {
                if (tags.size() >= 50) {
                    throw Rejection.conflict("too_many_tags", "a member has at most 50 tags");
                }
                tags.add(tag);
            } else {
                tags.remove(tag);
            }
            var updated = new MemberRepository.Member(current.id(), current.seq(), current.name(), current.email(),
                    current.externalId(), tags, current.createdAt(), s.now(), current.deletedAt(),
                    current.mergedInto());
            return members.update(c, s.id(), updated)
                    .compose(stored -> memberEvents.retagged(c, s.id(), memberId, current.tags(), tags, s.now())
                            .map(info(updated)));
        }));
    }

    @Override
    public Future<List<Lot>> lotsExpiring(String studioId, Instant after, Instant until) {
        return read(studioId, (c, s) -> lots.expiring(c, s.id(), after, until));
    }

    private static MemberInfo info(MemberRepository.Member m) {
        return new MemberInfo(m.id(), m.name(), m.email(), m.tags(), m.active());
    }

    private static SubscriptionInfo info(SubscriptionRepository.Subscription sub, String periodPurchaseId) {
        return new SubscriptionInfo(sub.id(), sub.memberId(), sub.productId(), sub.purchaseId(), sub.payment(),
                sub.providerReference(), sub.status(), sub.periodStart(), sub.periodEnd(), sub.cancelAtPeriodEnd(),
                periodPurchaseId);
    }

    private static PurchaseInfo info(PurchaseCommands.Result result) {
        var p = result.purchase();
        return new PurchaseInfo(p.id(), p.memberId(), p.productId(), p.status().name().toLowerCase(Locale.ROOT),
                p.price(), result.lots());
    }
}
