package dev.creditline.store;

import dev.creditline.api.Lot;
import dev.creditline.api.Scheduler;
import dev.creditline.ledger.Cancellation;
import dev.creditline.ledger.Eligibility;
import dev.creditline.ledger.EligibilityReport;
import dev.creditline.ledger.LotBook;
import dev.creditline.ledger.Redemption;
import dev.creditline.ledger.UsageCounts;
import dev.creditline.ledger.Validity;
import dev.creditline.store.BookingRepository.Booking;
import dev.creditline.store.CreditCommands.Book;
import dev.creditline.store.MemberRepository.Member;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bookings of any studios in one transaction, each decided as if it ran alone in arrival order: the members locked
 * (in {@link ScopedId} order), their lots and the schedulers read once, the studio's extensions asked (usage limits
 * counted, credit policies), each request decided by the ledger on its member's book, then every write at once. One
 * booking alone is a batch of one: there is no other booking path.
 *
 * <p>An extension sees the ledger as committed before this batch, so a member whose booking needs one books once per
 * batch; that member's further requests come back {@link Deferred} and go in the next batch. Refusals and failures
 * are as {@link Batch} says.
 */
public final class BatchBooking implements Batch<BatchBooking.Request, BatchBooking.Booked> {

    /**
     * One request of the batch.
     *
     * @param call the call, with the studio as the request saw it and its own time: the booking acts at that time
     *             (or later, when the member's book already moved past it)
     */
    public record Request(CallContext call, Book command) implements Batch.Command {
        ScopedId member() {
            return new ScopedId(studio().id(), command.memberId());
        }

        ScopedId scheduler() {
            return new ScopedId(studio().id(), command.schedulerId());
        }
    }

    /** Booked; {@code memberName} for the answer (null for an erased name). */
    public record Booked(Booking booking, String memberName) {
    }

    private final LedgerWrites writes;
    private final MemberRepository members;
    private final CatalogueRepository catalogue;
    private final LotRepository lots;
    private final BookingRepository bookings;
    private final JournalRepository journal;
    private final RedemptionPolicyPort policies;
    private final UsageLimits usage;

    @Inject
    public BatchBooking(LedgerWrites writes, MemberRepository members, CatalogueRepository catalogue,
                        LotRepository lots, BookingRepository bookings, JournalRepository journal,
                        RedemptionPolicyPort policies, UsageLimits usage) {
        this.writes = writes;
        this.members = members;
        this.catalogue = catalogue;
        this.lots = lots;
        this.bookings = bookings;
        this.journal = journal;
        this.policies = policies;
        this.usage = usage;
    }

    /** The batch as read under the members' locks. */
    private record Read(Map<ScopedId, Member> members, Map<ScopedId, Scheduler> schedulers,
                        Map<ScopedId, List<Lot>> lots) {
        List<Lot> lotsOf(ScopedId member) {
            return lots.getOrDefault(member, List.of());
        }
    }

    /** Books the requests in order; a request {@link Deferred} when its member already books in the batch. */
    @Override
    public Future<List<Result<Booked>>> run(SqlConnection c, List<Request> requests, Runnable locked) {
        Set<ScopedId> memberIds = new LinkedHashSet<>();
        Set<ScopedId> schedulerIds = new LinkedHashSet<>();
        requests.forEach(r -> {
            memberIds.add(r.member());
            schedulerIds.add(r.scheduler());
        });
        // Sent together, executed in order: the locks first, so the lots read are the members' as locked.
        Future<Map<ScopedId, Member>> lockedMembers = members.lockAll(c, memberIds);
        Future<Map<ScopedId, Scheduler>> found = catalogue.schedulers(c, schedulerIds);
        Future<Map<ScopedId, List<Lot>>> held = lots.liveOfMembers(c, memberIds);
        return Future.all(lockedMembers, found, held).compose(all -> {
            locked.run();
            Read read = new Read(lockedMembers.result(), found.result(), held.result());
            return extensions(c, requests, read).compose(reports -> decideAndWrite(c, requests, read, reports));
        });
    }

    /**
     * Asks the extensions for the requests that need them (usage limits to count, a studio's credit policies):
     * per request, the eligibility report they give, a refusal, or a deferral; absent for the others.
     */
    private Future<Map<Integer, Object>> extensions(SqlConnection c, List<Request> requests, Read read) {
        Map<Integer, Future<?>> asked = new LinkedHashMap<>();
        Map<Integer, Object> answers = new HashMap<>();
        Set<ScopedId> booking = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            Request r = requests.get(i);
            boolean first = booking.add(r.member());
            Scheduler scheduler = read.schedulers().get(r.scheduler());
            List<Lot> memberLots = read.lotsOf(r.member());
            if (scheduler == null || !policies.activeFor(r.studio().id()) && !limited(memberLots, scheduler.id())) {
                continue;
            }
            if (!first) {
                answers.put(i, new Deferred<Booked>());
                continue;
            }
            StudioContext s = r.studio();
            Book command = r.command();
            try {
                precheck(r, read);
                if (!payWith(r, scheduler).equals("credits")) {
                    continue;
                }
            } catch (Rejection refusal) {
                continue;  // refused in order when decided
            }
            LotBook book = new LotBook(memberLots, s.now());
            asked.put(i, usage.forBooking(c, s, command.memberId(), book.lots(), scheduler.id(), command.startsAt())
                    .compose(counts -> policies.apply(c, s, command.memberId(), scheduler, command.startsAt(),
                            Eligibility.explain(book.lots(), scheduler, book.now(), s.order(), counts))));
        }
        List<Future<?>> waits = new ArrayList<>();
        asked.forEach((i, report) -> waits.add(report.transform(done -> {
            answers.put(i, done.succeeded() ? done.result() : refusalOrFailure(done.cause()));
            return Future.succeededFuture();
        })));
        return Future.all(waits).map(answers);
    }

    /** A failure of an extension that is the request's answer (a client error), or the failure of the batch. */
    private static Object refusalOrFailure(Throwable failure) {
        if (Rejection.isRefusal(failure)) {
            return new Refused<Booked>((RuntimeException) failure);
        }
        // Contained to its request: a failing plugin answers its own booking, not every booking of the batch.
        return new Failed(failure);
    }

    /** An extension's failure that answers only its request. */
    private record Failed(Throwable failure) {
    }

    private Future<List<Result<Booked>>> decideAndWrite(SqlConnection c, List<Request> requests, Read read,
                                                Map<Integer, Object> extended) {
        Map<ScopedId, LotBook> books = new LinkedHashMap<>();
        Map<String, StudioWrites> pending = new LinkedHashMap<>();
        List<Result<Booked>> results = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            Object answer = extended.get(i);
            if (answer instanceof Deferred<?>) {
                results.add(new Deferred<>());
                continue;
            }
            if (answer instanceof Refused<?> refused) {
                results.add(new Refused<>(refused.refusal()));
                continue;
            }
            if (answer instanceof Failed failed) {
                results.add(new Refused<>(failed.failure() instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException(failed.failure())));
                continue;
            }
            try {
                Member member = precheck(request, read);
                ScopedId memberId = request.member();
                LotBook book = books.computeIfAbsent(memberId, id ->
                        new LotBook(read.lotsOf(id), request.studio().now()));
                // A member's requests act in order: time never runs back within the book.
                if (request.studio().now().isAfter(book.now())) {
                    book.asOf(request.studio().now());
                }
                StudioWrites writes = pending.computeIfAbsent(request.studio().id(), id -> new StudioWrites());
                Booking booking = decide(request, read.schedulers().get(request.scheduler()), book,
                        (EligibilityReport) answer, writes);
                writes.books.add(book);
                results.add(new Done<>(new Booked(booking, member.name())));
            } catch (Rejection refusal) {
                results.add(new Refused<>(refusal));
            }
        }
        // Every studio's writes at once: one statement per table for the whole batch.
        Map<String, List<Lot>> changed = new LinkedHashMap<>();
        Map<String, List<JournalEntry>> entries = new LinkedHashMap<>();
        List<BookingRepository.NewBooking> booked = new ArrayList<>();
        Set<LotBook> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        pending.forEach((studioId, w) -> {
            List<Lot> lotsOfStudio = changed.computeIfAbsent(studioId, id -> new ArrayList<>());
            w.books.stream().filter(seen::add).forEach(book -> lotsOfStudio.addAll(book.changed()));
            entries.put(studioId, w.entries);
            booked.addAll(w.bookings);
        });
        if (booked.isEmpty()) {
            return Future.succeededFuture(results);
        }
        return Future.all(lots.updateAll(c, changed).compose(done -> writes.after("lots", c)),
                        bookings.insertAll(c, booked).compose(done -> writes.after("booking", c)),
                        journal.appendAll(c, entries).compose(done -> writes.after("journal", c)))
                .map(results);
    }

    /** The checks before any credit is looked at, in the order a single booking makes them. */
    private static Member precheck(Request request, Read read) {
        Member member = LedgerWrites.requireActive(read.members().get(request.member()), request.command().memberId(),
                "memberId");
        Scheduler scheduler = read.schedulers().get(request.scheduler());
        if (scheduler == null) {
            throw Rejection.notFound("schedulerId", "scheduler", request.command().schedulerId());
        }
        request.command().requireTiming(request.studio().now());
        return member;
    }

    private static String payWith(Request request, Scheduler scheduler) {
        return CreditCommands.payWith(request.command().payWith(), scheduler);
    }

    /** Whether a usage limit of the lots counts bookings of the scheduler. */
    private static boolean limited(List<Lot> lots, String schedulerId) {
        return lots.stream().anyMatch(lot -> lot.usageLimits().stream().anyMatch(l -> l.counts(schedulerId)));
    }

    /** What the batch will write for one studio. */
    private static final class StudioWrites {
        final List<LotBook> books = new ArrayList<>();
        final List<BookingRepository.NewBooking> bookings = new ArrayList<>();
        final List<JournalEntry> entries = new ArrayList<>();
    }

    /**
     * Decides one request on its member's book, or refuses it.
     *
     * @param report the eligibility the studio's extensions gave, or null: the ledger's own
     */
    private static Booking decide(Request request, Scheduler scheduler, LotBook book, EligibilityReport report,
                                  StudioWrites pending) {
        Book command = request.command();
        StudioContext s = request.studio();
        Instant now = book.now();
        String payWith = payWith(request, scheduler);
        Instant cancelBy = Validity.before(command.startsAt(), scheduler.cancellationWindow(), s.zone());
        String bookingId = Ids.next("bkg");
        Booking booking;
        if (payWith.equals("direct")) {
            booking = new Booking(bookingId, command.memberId(), scheduler.id(), scheduler.name(), command.startsAt(),
                    cancelBy, BookingRepository.Status.BOOKED, payWith, 0, 0, now, null, List.of(), null, null, null);
        } else {
            EligibilityReport eligibility = report != null ? report
                    : Eligibility.explain(book.lots(), scheduler, now, s.order(), UsageCounts.NONE);
            // Inside its cancellation window the booking holds its credits until the class is certain; after it
            // they are redeemed at once.
            boolean inWindow = !Cancellation.isLate(now, cancelBy);
            Redemption.Outcome outcome = Redemption.redeem(book, scheduler, eligibility, s.zone(), inWindow);
            if (outcome instanceof Redemption.Insufficient insufficient) {
                throw Rejection.insufficient(insufficient.report());
            }
            Redemption.Redeemed redeemed = (Redemption.Redeemed) outcome;
            boolean holding = inWindow && redeemed.allocations().stream().anyMatch(a -> a.credits() > 0);
            booking = new Booking(bookingId, command.memberId(), scheduler.id(), scheduler.name(), command.startsAt(),
                    cancelBy, BookingRepository.Status.BOOKED, payWith, scheduler.creditCost(), 0, now, null,
                    redeemed.allocations(), holding ? null : now, null, null);
            JournalEntry.Context context = new JournalEntry.Context(command.memberId(), request.actor(),
                    command.reason(), bookingId, null, request.idempotencyKey(), now);
            pending.entries.addAll(LedgerWrites.entries(redeemed.entries(), context));
        }
        pending.bookings.add(new BookingRepository.NewBooking(s.id(), booking, request.actor().name()));
        return booking;
    }
}
