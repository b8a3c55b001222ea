package dev.creditline.store;

import dev.creditline.api.Lot;
import dev.creditline.ledger.LotBook;
import dev.creditline.ledger.Redemption;
import dev.creditline.store.BookingRepository.Booking;
import dev.creditline.store.BookingRepository.StatusChange;
import dev.creditline.store.LotRepository.OfBookings;
import dev.creditline.store.MemberRepository.Member;
import dev.creditline.store.citus.MultiShard;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Posts the holds of bookings whose cancellation window has closed: their held credits leave their lots as
 * {@code redeemed} entries, dated when the window closed, however late the sweep runs. Exactly once with several
 * nodes: each booking is locked (after its member, as every transaction locks them) and posted only while it still
 * holds, so a second pass, or a cancellation that got there first, leaves nothing to post.
 */
public final class HoldSweep {
    private final MemberRepository members;
    private final BookingRepository bookings;
    private final LotRepository lots;
    private final JournalRepository journal;

    @Inject
    public HoldSweep(MemberRepository members, BookingRepository bookings, LotRepository lots,
                     JournalRepository journal) {
        this.members = members;
        this.bookings = bookings;
        this.lots = lots;
        this.journal = journal;
    }

    /**
     * One batch of the periodic sweep over every studio: real-time studios at {@code realNow}, test-mode studios at
     * their own clock.
     *
     * @return the number of bookings posted
     */
    public Future<Integer> sweepBatch(Pool pool, Instant realNow, int batchSize) {
        return MultiShard.query(pool, """
                        (SELECT b.studio_id, b.id, $1::timestamptz AS now
                         FROM bookings b JOIN studios s ON s.id = b.studio_id
                         WHERE %1$s AND b.cancel_by < $1 AND NOT s.test_mode LIMIT $2)
                        UNION ALL
                        (SELECT b.studio_id, b.id, s.clock_now AS now
                         FROM bookings b JOIN studios s ON s.id = b.studio_id
                         WHERE %1$s AND s.test_mode AND b.cancel_by < s.clock_now LIMIT $2)"""
                                .formatted(BookingRepository.HOLDING),
                        Tuple.of(Rows.timestamp(realNow), batchSize))
                .compose(rows -> DuePerStudio.run(pool, rows, "id", this::post));
    }

    /**
     * Posts every hold due in one studio at {@code now} (a test-mode studio's clock moved).
     *
     * @return the number of bookings posted
     */
    public Future<Integer> sweepStudio(Pool pool, String studioId, Instant now, int batchSize) {
        return pool.preparedQuery("""
                        SELECT id FROM bookings WHERE studio_id = $1 AND %s AND cancel_by < $2 LIMIT $3"""
                        .formatted(BookingRepository.HOLDING))
                .execute(Tuple.of(studioId, Rows.timestamp(now), batchSize))
                .compose(rows -> {
                    List<String> due = Rows.all(rows, row -> row.getString("id"));
                    if (due.isEmpty()) {
                        return Future.succeededFuture(0);
                    }
                    return pool.withTransaction(c -> post(c, studioId, due, now))
                            .compose(posted -> posted == 0
                                    ? Future.succeededFuture(0)
                                    : sweepStudio(pool, studioId, now, batchSize).map(more -> posted + more));
                });
    }

    private Future<Integer> post(SqlConnection c, String studioId, List<String> bookingIds, Instant now) {
        List<ScopedId> ids = bookingIds.stream().map(id -> new ScopedId(studioId, id)).toList();
        // Read as a cancellation reads: members locked first (through their bookings), then the bookings and lots.
        Future<Map<ScopedId, Member>> locked = members.lockOfBookings(c, ids);
        Future<Map<ScopedId, Booking>> found = bookings.findAll(c, ids, true);
        Future<OfBookings> held = lots.ofBookings(c, ids);
        return Future.all(locked, found, held).compose(all -> {
            Map<ScopedId, LotBook> books = new LinkedHashMap<>();
            List<JournalEntry> entries = new ArrayList<>();
            List<StatusChange> changes = new ArrayList<>();
            for (ScopedId id : ScopedId.sorted(ids)) {
                Booking booking = found.result().get(id);
                if (booking == null || !booking.holding() || !booking.cancelBy().isBefore(now)) {
                    continue;  // cancelled, posted or moved meanwhile
                }
                ScopedId member = new ScopedId(studioId, booking.memberId());
                if (!locked.result().containsKey(member)) {
                    continue;  // a merge moved it between the lock and the read: the next pass finds it
                }
                LotBook book = books.computeIfAbsent(member, m -> new LotBook(held.result().of(m), now));
                Instant at = booking.cancelBy();
                book.asOf(at);
                entries.addAll(LedgerWrites.entries(Redemption.post(book, booking.allocations(),
                        booking.schedulerName()), new JournalEntry.Context(booking.memberId(), Actor.SYSTEM, null,
                        booking.id(), null, null, at)));
                book.asOf(now);
                changes.add(new StatusChange(studioId, booking.posted(at)));
            }
            if (changes.isEmpty()) {
                return Future.succeededFuture(0);
            }
            List<Lot> changed = new ArrayList<>();
            books.values().forEach(book -> changed.addAll(book.changed()));
            return Future.all(lots.update(c, studioId, changed), journal.append(c, studioId, entries),
                            bookings.updateStatusAll(c, changes))
                    .map(changes.size());
        });
    }
}
