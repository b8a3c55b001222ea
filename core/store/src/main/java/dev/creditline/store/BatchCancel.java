package dev.creditline.store;

import dev.creditline.api.Lot;
import dev.creditline.ledger.Allocation;
import dev.creditline.ledger.Cancellation;
import dev.creditline.ledger.LotBook;
import dev.creditline.store.BookingRepository.Booking;
import dev.creditline.store.BookingRepository.Status;
import dev.creditline.store.BookingRepository.StatusChange;
import dev.creditline.store.LotRepository.OfBookings;
import dev.creditline.store.MemberRepository.Member;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cancellations of bookings of any studios in one transaction, each decided as if it ran alone in arrival order: the
 * bookings' members locked (in {@link ScopedId} order, as every transaction locks members), the bookings locked and
 * read with their lots, each cancellation decided by the ledger ({@link Cancellation}) on its member's book, then
 * every write at once. Within its cancellation window a booking's credits go back to the lots they came from, with
 * those lots' expiry; after it the cancellation is late and gives nothing back.
 */
public final class BatchCancel implements Batch<BatchCancel.Request, BatchCancel.Cancelled> {

    /** One request of the batch: cancel this booking, at the request's own time. */
    public record Request(CallContext call, String bookingId) implements Batch.Command {
        ScopedId booking() {
            return new ScopedId(studio().id(), bookingId);
        }
    }

    /** Cancelled; {@code memberName} for the answer (null for an erased name). */
    public record Cancelled(Booking booking, String memberName) {
    }

    private final LedgerWrites writes;
    private final MemberRepository members;
    private final BookingRepository bookings;
    private final LotRepository lots;
    private final JournalRepository journal;

    @Inject
    public BatchCancel(LedgerWrites writes, MemberRepository members, BookingRepository bookings, LotRepository lots,
                       JournalRepository journal) {
        this.writes = writes;
        this.members = members;
        this.bookings = bookings;
        this.lots = lots;
        this.journal = journal;
    }

    @Override
    public Future<List<Result<Cancelled>>> run(SqlConnection c, List<Request> requests, Runnable locked) {
        Set<ScopedId> bookingIds = requests.stream().map(Request::booking)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        // Sent together, executed in order: the members' locks first (found through their bookings), then the
        // bookings and lots as those members hold them. Lock order is member, then booking, as everywhere.
        Future<Map<ScopedId, Member>> lockedMembers = members.lockOfBookings(c, bookingIds);
        Future<Map<ScopedId, Booking>> found = bookings.findAll(c, bookingIds, true);
        Future<OfBookings> held = lots.ofBookings(c, bookingIds);
        return Future.all(lockedMembers, found, held).compose(all -> {
            locked.run();
            Decided decided = decide(requests, lockedMembers.result(), found.result(), held.result());
            return write(c, decided).map(decided.results());
        });
    }

    /** The batch's answers and what it writes. */
    private record Decided(List<Result<Cancelled>> results, Map<ScopedId, LotBook> books,
                           Map<String, List<JournalEntry>> entries, List<StatusChange> changes) {
    }

    private static Decided decide(List<Request> requests, Map<ScopedId, Member> lockedMembers,
                                  Map<ScopedId, Booking> found, OfBookings held) {
        // The bookings as this batch leaves them: a second cancellation of one sees the first.
        Map<ScopedId, Booking> current = new HashMap<>(found);
        Map<ScopedId, LotBook> books = new LinkedHashMap<>();
        Map<String, List<JournalEntry>> entries = new LinkedHashMap<>();
        Map<ScopedId, StatusChange> changes = new LinkedHashMap<>();
        List<Result<Cancelled>> results = new ArrayList<>();
        for (Request request : requests) {
            Booking booking = current.get(request.booking());
            if (booking == null) {
                results.add(new Refused<>(Rejection.notFound("bookingId", "booking", request.bookingId())));
                continue;
            }
            ScopedId memberId = new ScopedId(request.studio().id(), booking.memberId());
            Member member = lockedMembers.get(memberId);
            if (member == null) {
                // A merge moved the booking to another member between the lock and the read: the next batch locks
                // the member that holds it now.
                results.add(new Deferred<>());
                continue;
            }
            if (booking.status() != Status.BOOKED) {
                results.add(new Refused<>(Rejection.conflict("booking_not_active", "booking " + booking.id()
                        + " is already " + booking.status().name().toLowerCase(Locale.ROOT))));
                continue;
            }
            Booking done = cancel(request, booking, member, held, books, entries);
            current.put(request.booking(), done);
            changes.put(request.booking(), new StatusChange(request.studio().id(), done));
            results.add(new Done<>(new Cancelled(done, member.name())));
        }
        return new Decided(results, books, entries, List.copyOf(changes.values()));
    }

    /** Cancels one booking on its member's book (shared by the member's requests of the batch). */
    private static Booking cancel(Request request, Booking booking, Member member, OfBookings held,
                                  Map<ScopedId, LotBook> books, Map<String, List<JournalEntry>> entries) {
        StudioContext s = request.studio();
        if (!Cancellation.returnsCredits(s.now(), booking.cancelBy(), booking.cost(), member.deletedAt() != null)) {
            Status status = Cancellation.isLate(s.now(), booking.cancelBy()) ? Status.LATE_CANCELLED
                    : Status.CANCELLED;
            return booking.cancelled(status, 0, s.now());
        }
        ScopedId memberId = new ScopedId(s.id(), member.id());
        LotBook book = books.computeIfAbsent(memberId, id -> new LotBook(held.of(id), s.now()));
        // A member's requests act in order: time never runs back within the book.
        if (s.now().isAfter(book.now())) {
            book.asOf(s.now());
        }
        Instant now = book.now();
        Set<String> voided = booking.allocations().stream().map(Allocation::lotId)
                .filter(lotId -> held.voided().contains(new ScopedId(s.id(), lotId)))
                .collect(Collectors.toSet());
        Cancellation.Returned returned = Cancellation.returnCredits(book, booking.allocations(),
                booking.schedulerName(), voided, request.actor().name());
        JournalEntry.Context context = new JournalEntry.Context(booking.memberId(), request.actor(), null,
                booking.id(), null, request.idempotencyKey(), now);
        List<JournalEntry> ofStudio = entries.computeIfAbsent(s.id(), id -> new ArrayList<>());
        ofStudio.addAll(LedgerWrites.entries(returned.entries(), context));
        ofStudio.addAll(LedgerWrites.entries(returned.expiredAgain(), context.by(Actor.SYSTEM)));
        return booking.cancelled(Status.CANCELLED, returned.refunded(), now);
    }

    /** Every studio's writes at once: one statement per table for the whole batch. */
    private Future<Void> write(SqlConnection c, Decided decided) {
        if (decided.changes().isEmpty()) {
            return Future.succeededFuture();
        }
        Map<String, List<Lot>> changed = new LinkedHashMap<>();
        List<Future<?>> created = new ArrayList<>();
        decided.books().forEach((member, book) -> {
            changed.computeIfAbsent(member.studioId(), id -> new ArrayList<>()).addAll(book.changed());
            created.add(lots.insert(c, member.studioId(), book.created()));
        });
        created.add(lots.updateAll(c, changed));
        return Future.all(Future.all(created).compose(done -> writes.after("lots", c)),
                        journal.appendAll(c, decided.entries()).compose(done -> writes.after("journal", c)),
                        bookings.updateStatusAll(c, decided.changes()).compose(done -> writes.after("booking", c)))
                .mapEmpty();
    }
}
