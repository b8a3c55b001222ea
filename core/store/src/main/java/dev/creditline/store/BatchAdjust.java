package dev.creditline.store;

import dev.creditline.api.Accounts;
import dev.creditline.api.Lot;
import dev.creditline.store.CatalogueRepository.Product;
import dev.creditline.ledger.LotBook;
import dev.creditline.store.CreditCommands.Adjust;
import dev.creditline.store.MemberRepository.Member;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Manual adjustments (add credits, or set a total the coach saw) of members of any studios in one transaction, each
 * decided as if it ran alone in arrival order: the members locked (in {@link ScopedId} order), their lots and the
 * accounts' products read once, each adjustment decided on its member's book ({@link CreditCommands#adjust}), then
 * every write at once, and each answer's credit view read after them. A member is adjusted once per batch: the view
 * answered is the account after that one change, so the member's further requests are {@link Deferred} to the next.
 */
public final class BatchAdjust implements Batch<BatchAdjust.Request, BatchAdjust.Adjusted> {

    /**
     * One request of the batch, at the request's own time.
     *
     * @param withView whether its answer shows the member's credits after it (a plugin's grant wants only the lot)
     */
    public record Request(CallContext call, Adjust command, boolean withView) implements Batch.Command {
        ScopedId member() {
            return new ScopedId(studio().id(), command.memberId());
        }

        /** The product whose account is adjusted; null for master credits. */
        ScopedId product() {
            return Accounts.isMaster(command.account()) ? null : new ScopedId(studio().id(), command.account());
        }
    }

    /** Adjusted: the lot issued (if any), and the member's credits after the change (null when not asked for). */
    public record Adjusted(List<Lot> issued, CreditView view) {
    }

    private final LedgerWrites writes;
    private final MemberRepository members;
    private final CatalogueRepository catalogue;
    private final LotRepository lots;
    private final JournalRepository journal;
    private final CreditQueries queries;

    @Inject
    public BatchAdjust(LedgerWrites writes, MemberRepository members, CatalogueRepository catalogue,
                       LotRepository lots, JournalRepository journal, CreditQueries queries) {
        this.writes = writes;
        this.members = members;
        this.catalogue = catalogue;
        this.lots = lots;
        this.journal = journal;
        this.queries = queries;
    }

    @Override
    public Future<List<Result<Adjusted>>> run(SqlConnection c, List<Request> requests, Runnable locked) {
        Set<ScopedId> memberIds = new LinkedHashSet<>();
        Set<ScopedId> productIds = new LinkedHashSet<>();
        requests.forEach(r -> {
            memberIds.add(r.member());
            if (r.product() != null) {
                productIds.add(r.product());
            }
        });
        // Sent together, executed in order: the locks first, so the lots read are the members' as locked.
        Future<Map<ScopedId, Member>> lockedMembers = members.lockAll(c, memberIds);
        Future<Map<ScopedId, Product>> products = catalogue.products(c, productIds);
        Future<Map<ScopedId, List<Lot>>> held = lots.liveOfMembers(c, memberIds);
        return Future.all(lockedMembers, products, held).compose(all -> {
            locked.run();
            List<Decision> decided = decide(requests, lockedMembers.result(), products.result(), held.result());
            return write(c, requests, decided).compose(done -> answers(c, requests, decided));
        });
    }

    /**
     * What became of one request before its view is read: refused or deferred ({@code result}), or carried out on
     * {@code book} with these entries.
     */
    private record Decision(Result<Adjusted> result, LotBook book, List<JournalEntry> entries) {
        static Decision of(Result<Adjusted> result) {
            return new Decision(result, null, List.of());
        }
    }

    private static List<Decision> decide(List<Request> requests, Map<ScopedId, Member> lockedMembers,
                                         Map<ScopedId, Product> products, Map<ScopedId, List<Lot>> held) {
        Set<ScopedId> adjusted = new HashSet<>();
        List<Decision> decided = new ArrayList<>();
        for (Request request : requests) {
            if (adjusted.contains(request.member())) {
                decided.add(Decision.of(new Deferred<>()));
                continue;
            }
            try {
                LedgerWrites.requireActive(lockedMembers.get(request.member()), request.command().memberId(),
                        "memberId");
                Product product = request.product() == null ? null : products.get(request.product());
                if (request.product() != null && product == null) {
                    throw Rejection.notFound("account", "product", request.command().account());
                }
                StudioContext s = request.studio();
                LotBook book = new LotBook(held.getOrDefault(request.member(), List.of()), s.now());
                var drafts = CreditCommands.adjust(book, s, request.actor(), request.command(), product);
                JournalEntry.Context context = new JournalEntry.Context(request.command().memberId(),
                        request.actor(), request.command().reason(), null, null, request.idempotencyKey(), s.now());
                adjusted.add(request.member());
                decided.add(new Decision(null, book, LedgerWrites.entries(drafts, context)));
            } catch (Rejection refusal) {
                decided.add(Decision.of(new Refused<>(refusal)));
            }
        }
        return decided;
    }

    /** Every studio's writes at once: one statement per table for the whole batch (new lots per studio). */
    private Future<Void> write(SqlConnection c, List<Request> requests, List<Decision> decided) {
        Map<String, List<Lot>> created = new LinkedHashMap<>();
        Map<String, List<Lot>> changed = new LinkedHashMap<>();
        Map<String, List<JournalEntry>> entries = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            Decision d = decided.get(i);
            if (d.book() != null) {
                String studioId = requests.get(i).studio().id();
                created.computeIfAbsent(studioId, id -> new ArrayList<>()).addAll(d.book().created());
                changed.computeIfAbsent(studioId, id -> new ArrayList<>()).addAll(d.book().changed());
                entries.computeIfAbsent(studioId, id -> new ArrayList<>()).addAll(d.entries());
            }
        }
        if (entries.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Future<?>> lotsWritten = new ArrayList<>();
        created.forEach((studioId, issued) -> lotsWritten.add(lots.insert(c, studioId, issued)));
        lotsWritten.add(lots.updateAll(c, changed));
        // Executed in order: the new lots before the entries that name them.
        return Future.all(Future.all(lotsWritten).compose(done -> writes.after("lots", c)),
                        journal.appendAll(c, entries).compose(done -> writes.after("journal", c)))
                .mapEmpty();
    }

    /** Each request's answer: for those carried out, the member's credits as the batch leaves them. */
    private Future<List<Result<Adjusted>>> answers(SqlConnection c, List<Request> requests, List<Decision> decided) {
        List<Future<Result<Adjusted>>> answers = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            Decision d = decided.get(i);
            if (d.book() != null && !request.withView()) {
                answers.add(Future.succeededFuture(new Done<>(new Adjusted(d.book().created(), null))));
                continue;
            }
            answers.add(d.book() == null ? Future.succeededFuture(d.result())
                    : queries.credits(c, request.studio(), request.command().memberId(), request.command().account())
                            .map(view -> new Done<>(new Adjusted(d.book().created(), view))));
        }
        return Future.all(answers).map(all -> answers.stream().map(Future::result).toList());
    }
}
