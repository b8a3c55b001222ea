package dev.creditline.store;

import dev.creditline.api.Lot;
import dev.creditline.api.Scheduler;
import dev.creditline.ledger.Eligibility;
import dev.creditline.ledger.EligibilityReport;
import dev.creditline.ledger.LotBook;
import dev.creditline.ledger.Redemption;
import dev.creditline.ledger.Validity;
import dev.creditline.store.BookingRepository.Booking;
import dev.creditline.store.CreditCommands.Book;
import dev.creditline.store.MemberRepository.Member;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Several bookings of one studio in one transaction, as one booking's transaction would do each of them in turn:
 * the members locked (in id order), their lots read once, each request decided by the ledger on the members' books
 * in the order they came, then every write at once. One commit for many bookings: at load, a booking's share of a
 * transaction's fixed costs (round trips, locks, the commit's flush) shrinks with the batch.
 *
 * <p>Only for studios without redemption policies: a policy may read the ledger, and must see the bookings before
 * it written, which here are written only at the end. A refusal is that request's answer and writes nothing; any
 * other failure fails the whole batch, and the caller's rollback leaves the ledger as it was.
 */
public final class BatchBooking {

    /**
     * One request of the batch.
     *
     * @param studio the studio as the request saw it, with its own time: the booking acts at that time (or later, when
     *               the member's book already moved past it)
     */
    public record Request(StudioContext studio, Actor actor, Book command, String idempotencyKey) {
    }

    /** What became of a request: a booking or a refusal. */
    public sealed interface Result permits Booked, Refused, Alone {
    }

    public record Booked(Booking booking) implements Result {
    }

    public record Refused(Rejection rejection) implements Result {
    }

    /** A request this batch cannot decide (its member's lots have usage limits to count): it books alone. */
    public record Alone() implements Result {
    }

    private final LedgerWrites writes;
    private final MemberRepository members;
    private final CatalogueRepository catalogue;
    private final LotRepository lots;
    private final BookingRepository bookings;
    private final JournalRepository journal;
    private final RedemptionPolicyPort policies;

    @Inject
    public BatchBooking(LedgerWrites writes, MemberRepository members, CatalogueRepository catalogue,
                        LotRepository lots, BookingRepository bookings, JournalRepository journal,
                        RedemptionPolicyPort policies) {
        this.writes = writes;
        this.members = members;
        this.catalogue = catalogue;
        this.lots = lots;
        this.bookings = bookings;
        this.journal = journal;
        this.policies = policies;
    }

    /** Whether the studio's bookings may be batched now (it has no redemption policies). */
    public boolean accepts(StudioContext s) {
        return !s.testMode() && !policies.activeFor(s.id());
    }

    /** Books the requests (all of studio {@code s}) in order; the results are in the same order. */
    public Future<List<Result>> book(SqlConnection c, StudioContext s, List<Request> requests) {
        if (!accepts(s)) {
            return Future.failedFuture(new IllegalStateException("studio " + s.id() + " cannot batch bookings"));
        }
        Set<String> memberIds = new LinkedHashSet<>();
        Set<String> schedulerIds = new LinkedHashSet<>();
        requests.forEach(r -> {
            memberIds.add(r.command().memberId());
            schedulerIds.add(r.command().schedulerId());
        });
        // Sent together, executed in order: the locks first, so the lots read are the members' as locked.
        Future<List<Member>> locked = members.lockAll(c, s.id(), memberIds);
        Future<List<Scheduler>> found = catalogue.schedulers(c, s.id(), schedulerIds);
        Future<List<Lot>> held = lots.liveOfMembers(c, s.id(), memberIds);
        return Future.all(locked, found, held).compose(read -> {
            Map<String, Member> memberById = new HashMap<>();
            locked.result().forEach(m -> memberById.put(m.id(), m));
            Map<String, Scheduler> schedulerById = new HashMap<>();
            found.result().forEach(sc -> schedulerById.put(sc.id(), sc));
            Map<String, List<Lot>> lotsByMember = new HashMap<>();
            held.result().forEach(lot -> lotsByMember.computeIfAbsent(lot.memberId(), k -> new ArrayList<>()).add(lot));
            Map<String, LotBook> books = new HashMap<>();
            Writes pending = new Writes();
            List<Result> results = new ArrayList<>();
            for (Request request : requests) {
                try {
                    Book command = request.command();
                    LedgerWrites.requireActive(memberById.get(command.memberId()), command.memberId(), "memberId");
                    if (limited(lotsByMember.getOrDefault(command.memberId(), List.of()), command.schedulerId())) {
                        results.add(new Alone());
                        continue;
                    }
                    LotBook book = books.computeIfAbsent(command.memberId(), id ->
                            new LotBook(lotsByMember.getOrDefault(id, List.of()), request.studio().now()));
                    // A member's requests act in order: time never runs back within the book.
                    if (request.studio().now().isAfter(book.now())) {
                        book.asOf(request.studio().now());
                    }
                    results.add(new Booked(decide(request, schedulerById.get(command.schedulerId()), book,
                            pending)));
                } catch (Rejection refusal) {
                    results.add(new Refused(refusal));
                }
            }
            List<Lot> changed = new ArrayList<>();
            books.values().forEach(book -> changed.addAll(book.changed()));
            Future<Void> lotsWritten = lots.update(c, s.id(), changed).compose(done -> writes.after("lots", c));
            Future<Void> bookingsWritten = bookings.insertAll(c, s.id(), pending.bookings, pending.actors)
                    .compose(done -> writes.after("booking", c));
            Future<Void> journalWritten = journal.append(c, s.id(), pending.entries)
                    .compose(done -> writes.after("journal", c));
            return Future.all(lotsWritten, bookingsWritten, journalWritten).map(results);
        });
    }

    /** Whether a usage limit of the lots counts bookings of the scheduler (they are counted on the single path). */
    private static boolean limited(List<Lot> lots, String schedulerId) {
        return lots.stream().anyMatch(lot -> lot.usageLimits().stream().anyMatch(l -> l.counts(schedulerId)));
    }

    /** What the batch will write. */
    private static final class Writes {
        final List<Booking> bookings = new ArrayList<>();
        final List<String> actors = new ArrayList<>();
        final List<JournalEntry> entries = new ArrayList<>();
    }

    /** Decides one request on its member's book (as {@link CreditCommands#book} does), or refuses it. */
    private static Booking decide(Request request, Scheduler scheduler, LotBook book, Writes pending) {
        Book command = request.command();
        StudioContext s = request.studio();
        java.time.Instant now = book.now();
        if (scheduler == null) {
            throw Rejection.notFound("schedulerId", "scheduler", command.schedulerId());
        }
        command.requireTiming(s.now());
        String payWith = CreditCommands.payWith(command.payWith(), scheduler);
        java.time.Instant cancelBy = Validity.before(command.startsAt(), scheduler.cancellationWindow(), s.zone());
        String bookingId = Ids.next("bkg");
        Booking booking;
        if (payWith.equals("direct")) {
            booking = new Booking(bookingId, command.memberId(), scheduler.id(), scheduler.name(), command.startsAt(),
                    cancelBy, BookingRepository.Status.BOOKED, payWith, 0, 0, now, null, List.of());
        } else {
            EligibilityReport report = Eligibility.explain(book.lots(), scheduler, book.now(), s.order());
            Redemption.Outcome outcome = Redemption.redeem(book, scheduler, report, s.zone());
            if (outcome instanceof Redemption.Insufficient insufficient) {
                throw Rejection.insufficient(insufficient.report());
            }
            Redemption.Redeemed redeemed = (Redemption.Redeemed) outcome;
            booking = new Booking(bookingId, command.memberId(), scheduler.id(), scheduler.name(), command.startsAt(),
                    cancelBy, BookingRepository.Status.BOOKED, payWith, scheduler.creditCost(), 0, now, null,
                    redeemed.allocations());
            JournalEntry.Context context = new JournalEntry.Context(command.memberId(), request.actor(),
                    command.reason(), bookingId, null, request.idempotencyKey(), now);
            pending.entries.addAll(LedgerWrites.entries(redeemed.entries(), context));
        }
        pending.bookings.add(booking);
        pending.actors.add(request.actor().name());
        return booking;
    }
}
