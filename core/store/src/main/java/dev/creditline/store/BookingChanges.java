package dev.creditline.store;

import dev.creditline.api.EntryType;
import dev.creditline.api.Lot;
import dev.creditline.ledger.Allocation;
import dev.creditline.ledger.Cancellation;
import dev.creditline.ledger.Descriptions;
import dev.creditline.ledger.EntryDraft;
import dev.creditline.ledger.LotBook;
import dev.creditline.ledger.PenaltyRule;
import dev.creditline.api.spi.PenaltyPolicy;
import dev.creditline.ledger.Redemption;
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
 * Changes of bookings of any studios in one transaction (a cancellation, a check-in, a no-show, a penalty's waiver),
 * each decided as if it ran alone in arrival order: the bookings' members locked (in {@link ScopedId} order, as every
 * transaction locks members), the bookings locked and read with their lots, each change decided by the ledger on its
 * member's book, then every write at once. Within its cancellation window a booking's credits go back to the lots
 * they came from, with those lots' expiry (released if it still holds them); after it the cancellation is late, and
 * a late cancel or a no-show costs what the studio's penalty setting (or a {@link PenaltyPolicyPort} plugin) says.
 */
public final class BookingChanges implements Batch<BookingChanges.Request, BookingChanges.Changed> {

    /** What happens to the booking. */
    public enum Action {
        /** The member cancels (late after the window). */
        CANCEL,
        /** The member came: a hold posts now. */
        CHECK_IN,
        /** The member did not come (staff, once the class started). */
        NO_SHOW,
        /** Staff give back what a late cancel's or no-show's penalty kept, with a reason. */
        WAIVE
    }

    /** One request of the batch: change this booking, at the request's own time. */
    public record Request(CallContext call, String bookingId, Action action, String reason) implements Batch.Command {
        /** A cancellation. */
        public Request(CallContext call, String bookingId) {
            this(call, bookingId, Action.CANCEL, null);
        }

        ScopedId booking() {
            return new ScopedId(studio().id(), bookingId);
        }
    }

    /** The booking as changed; {@code memberName} for the answer (null for an erased name). */
    public record Changed(Booking booking, String memberName) {
    }

    private final LedgerWrites writes;
    private final MemberRepository members;
    private final BookingRepository bookings;
    private final LotRepository lots;
    private final JournalRepository journal;
    private final BookingPenalties penalties;

    @Inject
    public BookingChanges(LedgerWrites writes, MemberRepository members, BookingRepository bookings, LotRepository lots,
                       JournalRepository journal, PenaltyPolicyPort penalties) {
        this.writes = writes;
        this.members = members;
        this.bookings = bookings;
        this.lots = lots;
        this.journal = journal;
        this.penalties = new BookingPenalties(bookings, penalties);
    }

    @Override
    public Future<List<Result<Changed>>> run(SqlConnection c, List<Request> requests, Runnable locked) {
        Set<ScopedId> bookingIds = requests.stream().map(Request::booking)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        // Sent together, executed in order: the members' locks first (found through their bookings), then the
        // bookings and lots as those members hold them. Lock order is member, then booking, as everywhere.
        Future<Map<ScopedId, Member>> lockedMembers = members.lockOfBookings(c, bookingIds);
        Future<Map<ScopedId, Booking>> found = bookings.findAll(c, bookingIds, true);
        Future<OfBookings> held = lots.ofBookings(c, bookingIds);
        return Future.all(lockedMembers, found, held).compose(all -> {
            locked.run();
            Read read = new Read(lockedMembers.result(), found.result(), held.result());
            return penalties.ask(c, requests, read.bookings(), read.members())
                    .compose(penaltiesOfBatch -> {
                        Decided decided = decide(requests, read, penaltiesOfBatch);
                        return write(c, decided).map(decided.results());
                    });
        });
    }

    /** What the batch read, as its members are locked. */
    private record Read(Map<ScopedId, Member> members, Map<ScopedId, Booking> bookings, OfBookings lots) {
    }

    /** The batch's answers and what it writes. */
    private record Decided(List<Result<Changed>> results, Map<ScopedId, LotBook> books,
                           Map<String, List<JournalEntry>> entries, List<StatusChange> changes) {
    }

    /** What deciding the batch builds up, shared by the requests of one member. */
    private record Work(Read read, BookingPenalties.Asked penalties, Map<ScopedId, LotBook> books,
                        Map<String, List<JournalEntry>> entries, Map<ScopedId, List<Instant>> freeInBatch) {
    }

    private static Decided decide(List<Request> requests, Read read, BookingPenalties.Asked penaltiesOfBatch) {
        // The bookings as this batch leaves them: a second change of one sees the first.
        Map<ScopedId, Booking> current = new HashMap<>(read.bookings());
        Work work = new Work(read, penaltiesOfBatch, new LinkedHashMap<>(), new LinkedHashMap<>(), new HashMap<>());
        Map<ScopedId, StatusChange> changes = new LinkedHashMap<>();
        List<Result<Changed>> results = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            Booking booking = current.get(request.booking());
            if (booking == null) {
                results.add(new Refused<>(Rejection.notFound("bookingId", "booking", request.bookingId())));
                continue;
            }
            ScopedId memberId = new ScopedId(request.studio().id(), booking.memberId());
            Member member = read.members().get(memberId);
            if (member == null) {
                // A merge moved the booking to another member between the lock and the read: the next batch locks
                // the member that holds it now.
                results.add(new Deferred<>());
                continue;
            }
            Object asked = penaltiesOfBatch.answers().get(i);
            if (asked instanceof Deferred<?>) {
                results.add(new Deferred<>());
                continue;
            }
            if (asked instanceof Refused<?> refused) {
                results.add(new Refused<>(refused.refusal()));
                continue;
            }
            Booking done;
            try {
                done = change(request, booking, member, (PenaltyPolicy.Penalty) asked, work);
            } catch (Rejection refusal) {
                results.add(new Refused<>(refusal));
                continue;
            }
            current.put(request.booking(), done);
            changes.put(request.booking(), new StatusChange(request.studio().id(), done));
            results.add(new Done<>(new Changed(done, member.name())));
        }
        return new Decided(results, work.books(), work.entries(), List.copyOf(changes.values()));
    }

    /** Refuses a change the booking's state does not allow; nothing is written for it. */
    private static Booking change(Request request, Booking booking, Member member, PenaltyPolicy.Penalty asked,
                                  Work work) {
        if (request.action() == Action.WAIVE) {
            BookingRepository.Penalty penalty = booking.penalty();
            if (penalty == null || penalty.credits() == 0) {
                throw Rejection.conflict("nothing_to_waive", "booking " + booking.id()
                        + " kept no credits for a late cancel or no-show");
            }
            if (penalty.waived()) {
                throw Rejection.conflict("already_waived", "booking " + booking.id() + "'s penalty was waived already");
            }
            if (member.deletedAt() != null) {
                throw Rejection.conflict("member_erased", "the member of booking " + booking.id()
                        + " was erased: their credits were forfeited with their data");
            }
            return waive(request, booking, member, work);
        }
        if (booking.status() != Status.BOOKED) {
            throw Rejection.conflict("booking_not_active", "booking " + booking.id() + " is already "
                    + booking.status().name().toLowerCase(Locale.ROOT));
        }
        if (booking.checkedInAt() != null) {
            throw Rejection.conflict(request.action() == Action.CHECK_IN ? "already_checked_in" : "checked_in",
                    "the member checked in to booking " + booking.id());
        }
        StudioContext s = request.studio();
        return switch (request.action()) {
            case CANCEL -> cancel(request, booking, member, asked, work);
            case CHECK_IN -> {
                Booking posted = postIfHolding(request, booking, member, work, request.actor());
                yield posted.checkedIn(s.now());
            }
            case NO_SHOW -> {
                if (s.now().isBefore(booking.startsAt())) {
                    throw Rejection.conflict("class_not_started", "booking " + booking.id() + "'s class starts at "
                            + booking.startsAt() + ": a no-show is marked once it started");
                }
                yield penalize(request, booking, member, PenaltyRule.Kind.NO_SHOW, asked, work);
            }
            case WAIVE -> throw new IllegalStateException("decided above");
        };
    }

    /** The member's book of the lots the batch's bookings drew on, at the request's time. */
    private static LotBook book(Request request, Member member, Work work) {
        StudioContext s = request.studio();
        ScopedId memberId = new ScopedId(s.id(), member.id());
        LotBook book = work.books().computeIfAbsent(memberId, id -> new LotBook(work.read().lots().of(id), s.now()));
        // A member's requests act in order: time never runs back within the book.
        if (s.now().isAfter(book.now())) {
            book.asOf(s.now());
        }
        return book;
    }

    private static List<JournalEntry> entriesOf(Request request, Work work) {
        return work.entries().computeIfAbsent(request.studio().id(), id -> new ArrayList<>());
    }

    private static JournalEntry.Context context(Request request, Booking booking, LotBook book, String reason) {
        return new JournalEntry.Context(booking.memberId(), request.actor(), reason, booking.id(), null,
                request.idempotencyKey(), book.now());
    }

    /** Posts the booking's hold now, if it still holds: its credits leave their lots as redeemed. */
    private static Booking postIfHolding(Request request, Booking booking, Member member, Work work, Actor by) {
        if (!booking.holding()) {
            return booking;
        }
        LotBook book = book(request, member, work);
        entriesOf(request, work).addAll(LedgerWrites.entries(
                Redemption.post(book, booking.allocations(), booking.schedulerName()),
                context(request, booking, book, null).by(by)));
        return booking.posted(book.now());
    }

    /**
     * Cancels one booking on its member's book (shared by the member's requests of the batch). A booking that still
     * holds its credits releases them in its window; after it, its hold posts first (the window closed before the
     * sweep came by) and the late cancel's penalty applies. An erased member's held credits are forfeited, not
     * released.
     */
    private static Booking cancel(Request request, Booking booking, Member member, PenaltyPolicy.Penalty asked,
                                  Work work) {
        StudioContext s = request.studio();
        boolean late = Cancellation.isLate(s.now(), booking.cancelBy());
        boolean erased = member.deletedAt() != null;
        if (late && !erased) {
            return penalize(request, booking, member, PenaltyRule.Kind.LATE_CANCEL, asked, work);
        }
        if (!booking.holding()
                && !Cancellation.returnsCredits(s.now(), booking.cancelBy(), booking.cost(), erased)) {
            return booking.cancelled(late ? Status.LATE_CANCELLED : Status.CANCELLED, 0, s.now());
        }
        LotBook book = book(request, member, work);
        Instant now = book.now();
        JournalEntry.Context context = context(request, booking, book, null);
        List<JournalEntry> ofStudio = entriesOf(request, work);
        if (late) {
            ofStudio.addAll(LedgerWrites.entries(
                    Redemption.post(book, booking.allocations(), booking.schedulerName()), context.by(Actor.SYSTEM)));
            return booking.posted(now).cancelled(Status.LATE_CANCELLED, 0, now);
        }
        if (erased) {
            List<EntryDraft> forfeited = new ArrayList<>(
                    Redemption.release(book, booking.allocations(), booking.schedulerName()));
            for (Allocation allocation : booking.allocations()) {
                if (allocation.credits() > 0) {
                    forfeited.add(book.change(allocation.lotId(), -allocation.credits(), EntryType.FORFEITED,
                            Descriptions.forfeited(request.actor().name())));
                }
            }
            ofStudio.addAll(LedgerWrites.entries(forfeited, context));
            return booking.cancelled(Status.CANCELLED, 0, now);
        }
        Cancellation.Returned returned = Cancellation.returnCredits(book, booking.allocations(),
                booking.schedulerName(), booking.holding(), voided(request, booking, work), request.actor().name());
        ofStudio.addAll(LedgerWrites.entries(returned.entries(), context));
        ofStudio.addAll(LedgerWrites.entries(returned.expiredAgain(), context.by(Actor.SYSTEM)));
        return booking.cancelled(Status.CANCELLED, returned.refunded(), now);
    }

    /** The booking's lots whose purchase was voided since the booking. */
    private static Set<String> voided(Request request, Booking booking, Work work) {
        return booking.allocations().stream().map(Allocation::lotId)
                .filter(lotId -> work.read().lots().voided().contains(new ScopedId(request.studio().id(), lotId)))
                .collect(Collectors.toSet());
    }

    /**
     * A late cancel or a no-show: the hold posts (the system's: the window had closed), then the penalty keeps its
     * credits and gives the rest back, worded as the penalty's.
     */
    private static Booking penalize(Request request, Booking booking, Member member, PenaltyRule.Kind kind,
                                    PenaltyPolicy.Penalty asked, Work work) {
        ScopedId memberId = new ScopedId(request.studio().id(), member.id());
        PenaltyRule.Decision decided = asked != null ? BookingPenalties.fromPolicy(asked, booking)
                : BookingPenalties.kernels(request, booking, kind, work.penalties().terms()
                        .getOrDefault(request.booking(), new BookingRepository.PenaltyTerms(null, List.of())),
                        work.freeInBatch().getOrDefault(memberId, List.of()));
        Booking posted = postIfHolding(request, booking, member, work, Actor.SYSTEM);
        LotBook book = book(request, member, work);
        Instant now = book.now();
        int refunded = 0;
        PenaltyRule.Split split = PenaltyRule.split(posted.allocations(), decided.forfeited());
        if (decided.outcome() != PenaltyRule.Outcome.NONE && !split.returned().isEmpty()) {
            Cancellation.Returned returned = Cancellation.giveBack(book, split.returned(),
                    Descriptions.penaltyReturned(kind, booking.schedulerName(), decided.outcome()),
                    voided(request, booking, work), request.actor().name());
            JournalEntry.Context context = context(request, booking, book, null);
            entriesOf(request, work).addAll(LedgerWrites.entries(returned.entries(), context));
            entriesOf(request, work).addAll(LedgerWrites.entries(returned.expiredAgain(), context.by(Actor.SYSTEM)));
            refunded = returned.refunded();
        }
        if (decided.outcome() == PenaltyRule.Outcome.FREE) {
            work.freeInBatch().computeIfAbsent(memberId, id -> new ArrayList<>()).add(now);
        }
        return posted.penalized(kind == PenaltyRule.Kind.NO_SHOW ? Status.NO_SHOW : Status.LATE_CANCELLED, refunded,
                new BookingRepository.Penalty(kind, decided.outcome(), decided.forfeited(), now, null, null, null));
    }

    /** Gives back the credits the booking's penalty kept, with the waiver's reason and who gave it. */
    private static Booking waive(Request request, Booking booking, Member member, Work work) {
        BookingRepository.Penalty penalty = booking.penalty();
        LotBook book = book(request, member, work);
        PenaltyRule.Split split = PenaltyRule.split(booking.allocations(), penalty.credits());
        Cancellation.Returned returned = Cancellation.giveBack(book, split.forfeited(),
                Descriptions.waived(penalty.kind(), request.actor().name()), voided(request, booking, work),
                request.actor().name());
        JournalEntry.Context context = context(request, booking, book, request.reason());
        entriesOf(request, work).addAll(LedgerWrites.entries(returned.entries(), context));
        entriesOf(request, work).addAll(LedgerWrites.entries(returned.expiredAgain(), context.by(Actor.SYSTEM)));
        return booking.waived(returned.refunded(), book.now(), request.actor().name(), request.reason());
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
