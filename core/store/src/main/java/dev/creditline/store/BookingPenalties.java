package dev.creditline.store;

import dev.creditline.api.spi.PenaltyPolicy;
import dev.creditline.ledger.Cancellation;
import dev.creditline.ledger.PenaltyRule;
import dev.creditline.store.Batch.Deferred;
import dev.creditline.store.Batch.Refused;
import dev.creditline.store.BookingChanges.Changed;
import dev.creditline.store.BookingChanges.Request;
import dev.creditline.store.BookingRepository.Booking;
import dev.creditline.store.BookingRepository.PenaltyTerms;
import dev.creditline.store.BookingRepository.Status;
import dev.creditline.store.MemberRepository.Member;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the late cancels and no-shows of a batch of {@link BookingChanges} cost: the studio's (or the scheduler's)
 * penalty setting with the member's free allowance, or the studio's {@link PenaltyPolicyPort} plugin given the
 * setting's answer. Read and asked before the batch decides, for the requests a penalty may fall on only.
 */
final class BookingPenalties {

    /** How far back a member's free penalties are read: the longest allowance period (a year), and a day. */
    private static final Duration FREE_LOOKBACK = Duration.ofDays(367);

    private final BookingRepository bookings;
    private final PenaltyPolicyPort policies;

    BookingPenalties(BookingRepository bookings, PenaltyPolicyPort policies) {
        this.bookings = bookings;
        this.policies = policies;
    }

    /**
     * The batch's penalty terms per booking, and per request the policy plugin's answer where one decides: a
     * {@link PenaltyPolicy.Penalty}, a refusal, or a deferral (a member's second penalty in the batch).
     */
    record Asked(Map<ScopedId, PenaltyTerms> terms, Map<Integer, Object> answers) {
    }

    /** Reads the terms and asks the plugins, for the bookings (and their locked members) as the batch read them. */
    Future<Asked> ask(SqlConnection c, List<Request> requests, Map<ScopedId, Booking> found,
                      Map<ScopedId, Member> members) {
        return terms(c, requests, found, members)
                .compose(terms -> policies(requests, found, members, terms).map(answers -> new Asked(terms, answers)));
    }

    /** The penalty kind a request would incur as its booking stands when read, or null for none. */
    static PenaltyRule.Kind kind(Request request, Booking booking, Member member) {
        if (booking == null || member == null || booking.status() != Status.BOOKED || booking.checkedInAt() != null
                || member.deletedAt() != null) {
            return null;
        }
        StudioContext s = request.studio();
        return switch (request.action()) {
            case CANCEL -> Cancellation.isLate(s.now(), booking.cancelBy()) ? PenaltyRule.Kind.LATE_CANCEL : null;
            case NO_SHOW -> s.now().isBefore(booking.startsAt()) ? null : PenaltyRule.Kind.NO_SHOW;
            default -> null;
        };
    }

    /** The penalty settings and free allowances used, read only for the bookings a penalty may fall on. */
    private Future<Map<ScopedId, PenaltyTerms>> terms(SqlConnection c, List<Request> requests,
                                                      Map<ScopedId, Booking> found, Map<ScopedId, Member> members) {
        Map<String, List<String>> byStudio = new LinkedHashMap<>();
        Map<String, Instant> since = new HashMap<>();
        for (Request r : requests) {
            Booking booking = found.get(r.booking());
            Member member = booking == null ? null : members.get(new ScopedId(r.studio().id(), booking.memberId()));
            if (kind(r, booking, member) != null) {
                byStudio.computeIfAbsent(r.studio().id(), id -> new ArrayList<>()).add(r.bookingId());
                since.merge(r.studio().id(), r.studio().now().minus(FREE_LOOKBACK),
                        (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        Map<ScopedId, PenaltyTerms> terms = new HashMap<>();
        List<Future<?>> reads = new ArrayList<>();
        // One statement per studio, each naming its studio: on Citus each goes to that studio's shard.
        byStudio.forEach((studioId, ids) -> reads.add(bookings.penaltyTerms(c, studioId, ids, since.get(studioId))
                .onSuccess(read -> read.forEach((id, t) -> terms.put(new ScopedId(studioId, id), t)))));
        return Future.all(reads).map(terms);
    }

    private Future<Map<Integer, Object>> policies(List<Request> requests, Map<ScopedId, Booking> found,
                                                  Map<ScopedId, Member> members, Map<ScopedId, PenaltyTerms> terms) {
        Map<Integer, Object> answers = new HashMap<>();
        Set<ScopedId> asking = new HashSet<>();
        List<Future<?>> waits = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Request r = requests.get(i);
            if (!policies.activeFor(r.studio().id()) || !terms.containsKey(r.booking())) {
                continue;
            }
            Booking booking = found.get(r.booking());
            ScopedId member = new ScopedId(r.studio().id(), booking.memberId());
            if (!asking.add(member)) {
                answers.put(i, new Deferred<Changed>());
                continue;
            }
            PenaltyRule.Kind kind = kind(r, booking, members.get(member));
            PenaltyRule.Decision kernels = kernels(r, booking, kind, terms.get(r.booking()), List.of());
            var asked = new PenaltyPolicy.Case(r.studio().id(), booking.memberId(), booking.id(),
                    booking.schedulerId(), PenaltyPolicy.Kind.valueOf(kind.name()), booking.cost(),
                    booking.startsAt(), r.studio().now(), new PenaltyPolicy.Penalty(kernels.forfeited(),
                    kernels.outcome() == PenaltyRule.Outcome.FREE));
            int index = i;
            waits.add(policies.penalty(r.studio(), asked).transform(done -> {
                answers.put(index, done.succeeded() ? done.result()
                        : new Refused<Changed>(done.cause() instanceof RuntimeException runtime ? runtime
                                : new IllegalStateException(done.cause())));
                return Future.succeededFuture();
            }));
        }
        return Future.all(waits).map(answers);
    }

    /** The kernel's penalty: the booking's setting, with the free allowances used (read, and earlier in the batch). */
    static PenaltyRule.Decision kernels(Request r, Booking booking, PenaltyRule.Kind kind, PenaltyTerms terms,
                                        List<Instant> freeInBatch) {
        List<Instant> used = new ArrayList<>(terms.freeUsed());
        used.addAll(freeInBatch);
        return PenaltySettings.rule(terms.setting()).decide(kind, booking.cost(), used, r.studio().now(),
                r.studio().zone());
    }

    /** A plugin's penalty as the ledger records it; one outside 0..cost is the plugin's fault. */
    static PenaltyRule.Decision fromPolicy(PenaltyPolicy.Penalty penalty, Booking booking) {
        int kept = penalty.forfeitCredits();
        if (kept < 0 || kept > booking.cost()) {
            throw new IllegalStateException("the penalty policy kept " + kept + " credits of a booking that cost "
                    + booking.cost());
        }
        if (booking.cost() == 0) {
            return new PenaltyRule.Decision(PenaltyRule.Outcome.NONE, 0);
        }
        PenaltyRule.Outcome outcome = kept == booking.cost() ? PenaltyRule.Outcome.FORFEIT
                : kept > 0 ? PenaltyRule.Outcome.PARTIAL
                : penalty.free() ? PenaltyRule.Outcome.FREE : PenaltyRule.Outcome.REFUND;
        return new PenaltyRule.Decision(outcome, kept);
    }
}
