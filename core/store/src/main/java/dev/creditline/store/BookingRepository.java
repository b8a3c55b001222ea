package dev.creditline.store;

import dev.creditline.store.citus.Distribution;
import dev.creditline.ledger.Allocation;
import dev.creditline.ledger.PenaltyRule;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/** Bookings and the credits each took from which lot. */
public final class BookingRepository {

    /** A booking's state. */
    public enum Status { BOOKED, CANCELLED, LATE_CANCELLED, NO_SHOW }

    /**
     * What a late cancel or a no-show cost, decided once.
     *
     * @param kind        what it was for
     * @param outcome     how it was decided
     * @param credits     the credits the studio kept
     * @param at          when
     * @param waivedAt    when staff gave the kept credits back, or null
     * @param waivedBy    who did
     * @param waiveReason why
     */
    public record Penalty(PenaltyRule.Kind kind, PenaltyRule.Outcome outcome, int credits, Instant at,
                          Instant waivedAt, String waivedBy, String waiveReason) {
        public boolean waived() {
            return waivedAt != null;
        }

        Penalty waived(Instant time, String by, String reason) {
            return new Penalty(kind, outcome, credits, at, time, by, reason);
        }
    }

    /**
     * A booking.
     *
     * @param cancelBy until when a cancellation refunds the credits
     * @param cost     the credits it cost when it was made
     * @param refunded the credits returned by its cancellation
     * @param postedAt when its credits were redeemed (at once, or when its hold posted), or null while it holds
     *                 them or holds nothing (paid directly, released)
     * @param checkedInAt when the member checked in, or null
     * @param penalty  what its late cancel or no-show cost, or null
     */
    public record Booking(String id, String memberId, String schedulerId, String schedulerName, Instant startsAt,
                          Instant cancelBy, Status status, String payWith, int cost, int refunded, Instant createdAt,
                          Instant cancelledAt, List<Allocation> allocations, Instant postedAt, Instant checkedInAt,
                          Penalty penalty) {

        public Booking {
            allocations = List.copyOf(allocations);
        }

        /**
         * Whether it holds its credits now: booked with credits in its cancellation window, neither posted nor
         * released ({@link #HOLDING} in SQL).
         */
        public boolean holding() {
            return status == Status.BOOKED && cost > 0 && postedAt == null;
        }

        /** Cancelled: whatever it held is released or was posted. */
        public Booking cancelled(Status newStatus, int refundedCredits, Instant at) {
            return new Booking(id, memberId, schedulerId, schedulerName, startsAt, cancelBy, newStatus, payWith, cost,
                    refundedCredits, createdAt, at, allocations, postedAt, checkedInAt, penalty);
        }

        /** A late cancel or a no-show, with what its penalty kept and what went back. */
        public Booking penalized(Status newStatus, int refundedCredits, Penalty decided) {
            return new Booking(id, memberId, schedulerId, schedulerName, startsAt, cancelBy, newStatus, payWith, cost,
                    refundedCredits, createdAt, newStatus == Status.LATE_CANCELLED ? decided.at() : cancelledAt,
                    allocations, postedAt, checkedInAt, decided);
        }

        /** The member checked in. */
        public Booking checkedIn(Instant at) {
            return new Booking(id, memberId, schedulerId, schedulerName, startsAt, cancelBy, status, payWith, cost,
                    refunded, createdAt, cancelledAt, allocations, postedAt, at, penalty);
        }

        /** Its penalty waived: the kept credits ({@code returned} of them still the member's) went back. */
        public Booking waived(int returned, Instant at, String by, String reason) {
            return new Booking(id, memberId, schedulerId, schedulerName, startsAt, cancelBy, status, payWith, cost,
                    refunded + returned, createdAt, cancelledAt, allocations, postedAt, checkedInAt,
                    penalty.waived(at, by, reason));
        }

        /** Its hold posted: the credits are redeemed. */
        public Booking posted(Instant at) {
            return new Booking(id, memberId, schedulerId, schedulerName, startsAt, cancelBy, status, payWith, cost,
                    refunded, createdAt, cancelledAt, allocations, at, checkedInAt, penalty);
        }
    }

    /** {@link Booking#holding()} as a condition on a row of {@code bookings} (the partial indexes' predicate). */
    public static final String HOLDING = "status = 'booked' AND cost > 0 AND posted_at IS NULL";

    private static final String COLUMNS = """
            id, member_id, scheduler_id, scheduler_name, starts_at, cancel_by, status, pay_with, cost, refunded,
            created_at, cancelled_at, posted_at, checked_in_at, penalty, penalty_credits, penalized_at, waived_at,
            waived_by, waive_reason""";

    private final Distribution distribution;

    @Inject
    public BookingRepository(Distribution distribution) {
        this.distribution = distribution;
    }

    /** A booking to insert: its studio, the booking with its allocations, and who made it. */
    public record NewBooking(String studioId, Booking booking, String actor) {
    }

    /** One allocation of a new booking, at its position. */
    private record NewAllocation(String studioId, String bookingId, Allocation allocation, int position) {
    }

    /**
     * Inserts bookings of any studios and their allocations: two statements, one row each per booking or allocation,
     * sent together (one round trip).
     */
    public Future<Void> insertAll(SqlClient client, List<NewBooking> bookings) {
        if (bookings.isEmpty()) {
            return Future.succeededFuture();
        }
        List<NewAllocation> allocations = new ArrayList<>();
        for (NewBooking b : bookings) {
            for (int i = 0; i < b.booking().allocations().size(); i++) {
                allocations.add(new NewAllocation(b.studioId(), b.booking().id(), b.booking().allocations().get(i), i));
            }
        }
        Future<?> booked = client.preparedQuery("""
                        INSERT INTO bookings (studio_id, id, member_id, scheduler_id, scheduler_name, starts_at,
                            cancel_by, status, pay_with, cost, created_at, actor, posted_at)
                        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                            $6::timestamptz[], $7::timestamptz[], $8::text[], $9::text[], $10::int[],
                            $11::timestamptz[], $12::text[], $13::timestamptz[])""")
                .execute(new Columns<>(bookings).text(NewBooking::studioId).text(b -> b.booking().id())
                        .text(b -> b.booking().memberId()).text(b -> b.booking().schedulerId())
                        .text(b -> b.booking().schedulerName()).timestamp(b -> b.booking().startsAt())
                        .timestamp(b -> b.booking().cancelBy())
                        .text(b -> b.booking().status().name().toLowerCase(java.util.Locale.ROOT))
                        .text(b -> b.booking().payWith()).integer(b -> b.booking().cost())
                        .timestamp(b -> b.booking().createdAt()).text(NewBooking::actor)
                        .timestamp(b -> b.booking().postedAt()).tuple());
        Future<?> allocated = allocations.isEmpty() ? Future.succeededFuture() : client.preparedQuery("""
                        INSERT INTO booking_allocations (studio_id, booking_id, lot_id, account, credits, position)
                        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[])""")
                .execute(new Columns<>(allocations).text(NewAllocation::studioId).text(NewAllocation::bookingId)
                        .text(a -> a.allocation().lotId()).text(a -> a.allocation().account())
                        .integer(a -> a.allocation().credits()).integer(NewAllocation::position).tuple());
        // The allocations go out right behind their bookings, executed in order.
        return Future.all(booked, allocated).mapEmpty();
    }

    /** The booking with its allocations, or null; {@code lock} takes the row lock for a cancellation. */
    public Future<Booking> find(SqlClient client, String studioId, String id, boolean lock) {
        // Both go out together (allocations never change once written): one round trip.
        Future<RowSet<Row>> bookingRows = client.preparedQuery("SELECT " + COLUMNS
                        + " FROM bookings WHERE studio_id = $1 AND id = $2" + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(studioId, id));
        Future<RowSet<Row>> allocationRows = client.preparedQuery("""
                        SELECT lot_id, account, credits FROM booking_allocations
                        WHERE studio_id = $1 AND booking_id = $2 ORDER BY position""")
                .execute(Tuple.of(studioId, id));
        return Future.all(bookingRows, allocationRows).map(read -> {
            RowSet<Row> rows = bookingRows.result();
            if (rows.size() == 0) {
                return null;
            }
            return booking(rows.iterator().next(), Rows.all(allocationRows.result(), a -> new Allocation(
                    a.getString("lot_id"), a.getString("account"), a.getInteger("credits"))));
        });
    }

    /**
     * The bookings of any studios with their allocations, each by its scoped id (absent when not found); {@code lock}
     * takes the row locks, in {@link ScopedId} order.
     */
    public Future<Map<ScopedId, Booking>> findAll(SqlClient client, Collection<ScopedId> ids, boolean lock) {
        Tuple wanted = ScopedId.args(ScopedId.sorted(ids));
        // Both go out together: one round trip.
        Future<RowSet<Row>> bookingRows = client.preparedQuery("SELECT want.studio_id AS of_studio, b.* FROM"
                        + " unnest($1::text[], $2::text[]) WITH ORDINALITY AS want(studio_id, id, n), LATERAL (SELECT "
                        + COLUMNS + " FROM bookings WHERE "
                        + distribution.batchShard("studio_id") + "studio_id = want.studio_id"
                        + " AND id = want.id"
                        + (lock ? " FOR UPDATE" : "") + ") b ORDER BY want.n")
                .execute(wanted);
        Future<RowSet<Row>> allocationRows = client.preparedQuery("""
                        SELECT want.studio_id AS of_studio, a.booking_id, a.lot_id, a.account, a.credits
                        FROM unnest($1::text[], $2::text[]) AS want(studio_id, id),
                        LATERAL (SELECT booking_id, lot_id, account, credits, position FROM booking_allocations
                            WHERE %sstudio_id = want.studio_id AND booking_id = want.id
                            OFFSET 0) a
                        ORDER BY 1, 2, a.position""".formatted(distribution.batchShard("studio_id")))
                .execute(wanted);
        return Future.all(bookingRows, allocationRows).map(read -> {
            Map<ScopedId, List<Allocation>> allocations = new HashMap<>();
            for (Row a : allocationRows.result()) {
                allocations.computeIfAbsent(ScopedId.of(a, "booking_id"), k -> new ArrayList<>()).add(new Allocation(
                        a.getString("lot_id"), a.getString("account"), a.getInteger("credits")));
            }
            Map<ScopedId, Booking> found = new HashMap<>();
            for (Row row : bookingRows.result()) {
                ScopedId id = ScopedId.of(row, "id");
                found.put(id, booking(row, allocations.getOrDefault(id, List.of())));
            }
            return found;
        });
    }

    /**
     * The studio's bookings with their allocations, newest first, filtered by member, scheduler, status and class
     * start ({@code from} inclusive, {@code to} exclusive) when those are given.
     */
    public Future<ListPage<Booking>> list(SqlClient client, String studioId, String memberId, String schedulerId,
                                             Status status, Instant from, Instant to, Long after, int limit) {
        return new ListQuery("SELECT " + COLUMNS + ", seq FROM bookings", "", studioId)
                .equal("member_id", memberId)
                .equal("scheduler_id", schedulerId)
                .equal("status", status == null ? null : status.name().toLowerCase(java.util.Locale.ROOT))
                .when(Rows.timestamp(from), "starts_at >= ?")
                .when(Rows.timestamp(to), "starts_at < ?")
                .run(client, after, limit)
                .compose(rows -> {
                    ListPage<Row> page = ListPage.of(rows, limit, row -> row);
                    String[] ids = page.items().stream().map(row -> row.getString("id")).toArray(String[]::new);
                    return allocations(client, studioId, ids).map(allocations -> new ListPage<>(
                            page.items().stream().map(row -> booking(row,
                                    allocations.getOrDefault(row.getString("id"), List.of()))).toList(),
                            page.next()));
                });
    }

    /** The allocations of the given bookings, each booking's in order. */
    private Future<Map<String, List<Allocation>>> allocations(SqlClient client, String studioId, String[] ids) {
        if (ids.length == 0) {
            return Future.succeededFuture(Map.of());
        }
        return client.preparedQuery("""
                        SELECT booking_id, lot_id, account, credits FROM booking_allocations
                        WHERE studio_id = $1 AND booking_id = ANY($2) ORDER BY booking_id, position""")
                .execute(Rows.args(studioId, ids))
                .map(rows -> {
                    Map<String, List<Allocation>> out = new HashMap<>();
                    for (Row a : rows) {
                        out.computeIfAbsent(a.getString("booking_id"), k -> new ArrayList<>()).add(new Allocation(
                                a.getString("lot_id"), a.getString("account"), a.getInteger("credits")));
                    }
                    return out;
                });
    }

    /** A booking's new state, with its studio. */
    public record StatusChange(String studioId, Booking booking) {
    }

    /** Writes the new state of bookings of any studios in one statement: status, refund, hold. */
    public Future<Void> updateStatusAll(SqlClient client, List<StatusChange> changes) {
        if (changes.isEmpty()) {
            return Future.succeededFuture();
        }
        return client.preparedQuery("""
                        UPDATE bookings SET status = c.status, refunded = c.refunded, cancelled_at = c.cancelled_at,
                            posted_at = c.posted_at, checked_in_at = c.checked_in_at, penalty = c.penalty,
                            penalty_credits = c.penalty_credits, penalized_at = c.penalized_at,
                            waived_at = c.waived_at, waived_by = c.waived_by, waive_reason = c.waive_reason
                        FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::timestamptz[],
                            $6::timestamptz[], $7::timestamptz[], $8::text[], $9::int[], $10::timestamptz[],
                            $11::timestamptz[], $12::text[], $13::text[])
                            AS c(studio_id, id, status, refunded, cancelled_at, posted_at, checked_in_at, penalty,
                                penalty_credits, penalized_at, waived_at, waived_by, waive_reason)
                        WHERE %sbookings.studio_id = c.studio_id
                          AND bookings.id = c.id""".formatted(distribution.batchShard("bookings.studio_id")))
                .execute(new Columns<>(changes).text(StatusChange::studioId).text(b -> b.booking().id())
                        .text(b -> b.booking().status().name().toLowerCase(java.util.Locale.ROOT))
                        .integer(b -> b.booking().refunded()).timestamp(b -> b.booking().cancelledAt())
                        .timestamp(b -> b.booking().postedAt()).timestamp(b -> b.booking().checkedInAt())
                        .text(b -> penalty(b, p -> p.outcome().name().toLowerCase(java.util.Locale.ROOT)))
                        .integer(b -> b.booking().penalty() == null ? 0 : b.booking().penalty().credits())
                        .timestamp(b -> penalty(b, Penalty::at)).timestamp(b -> penalty(b, Penalty::waivedAt))
                        .text(b -> penalty(b, Penalty::waivedBy)).text(b -> penalty(b, Penalty::waiveReason))
                        .tuple())
                .mapEmpty();
    }

    private static <T> T penalty(StatusChange change, java.util.function.Function<Penalty, T> part) {
        Penalty penalty = change.booking().penalty();
        return penalty == null ? null : part.apply(penalty);
    }

    /**
     * What decides the penalties of a studio's bookings: per booking, its scheduler's {@code penalty} setting or
     * else the studio's (JSON, null for none), and when its member's penalties went free since {@code since}.
     */
    public record PenaltyTerms(String setting, List<Instant> freeUsed) {
    }

    /** The {@link PenaltyTerms} of bookings of one studio. */
    public Future<Map<String, PenaltyTerms>> penaltyTerms(SqlClient client, String studioId, List<String> bookingIds,
                                                          Instant since) {
        return client.preparedQuery("""
                        SELECT b.id, coalesce(sc.penalty, st.penalty)::text AS setting,
                               ARRAY(SELECT o.penalized_at FROM bookings o WHERE o.studio_id = $1
                                     AND o.member_id = b.member_id AND o.penalty = 'free' AND o.penalized_at >= $3)
                                   AS free_used
                        FROM bookings b
                        JOIN schedulers sc ON sc.studio_id = $1 AND sc.id = b.scheduler_id
                        JOIN studios st ON st.id = $1
                        WHERE b.studio_id = $1 AND b.id = ANY($2)""")
                .execute(Tuple.of(studioId, bookingIds.toArray(String[]::new), Rows.timestamp(since)))
                .map(rows -> {
                    Map<String, PenaltyTerms> out = new HashMap<>();
                    for (Row row : rows) {
                        java.time.OffsetDateTime[] used = row.getArrayOfOffsetDateTimes("free_used");
                        out.put(row.getString("id"), new PenaltyTerms(row.getString("setting"), used == null
                                ? List.of() : java.util.Arrays.stream(used).map(t -> t.toInstant()).toList()));
                    }
                    return out;
                });
    }

    /** How many bookings the member holds that are not cancelled. */
    public Future<Long> activeCount(SqlClient client, String studioId, String memberId) {
        return client.preparedQuery(
                        "SELECT count(*) AS n FROM bookings WHERE studio_id = $1 AND member_id = $2 AND status = 'booked'")
                .execute(Tuple.of(studioId, memberId))
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    /** Gives every booking of one member to another (a merge). */
    /**
     * The member's bookings (not cancelled) that start in {@code [from, to)} and were paid by lots of the product,
     * of one scheduler or of all when {@code schedulerId} is null: what counts against a usage limit.
     */
    public Future<Integer> usage(SqlClient client, String studioId, String memberId, String productId,
                                 String schedulerId, Instant from, Instant to) {
        return client.preparedQuery("""
                        SELECT count(*)::int AS used FROM bookings b
                        WHERE b.studio_id = $1 AND b.member_id = $2 AND b.starts_at >= $3 AND b.starts_at < $4
                          AND b.status <> 'cancelled' AND ($5::text IS NULL OR b.scheduler_id = $5)
                          AND EXISTS (SELECT 1 FROM booking_allocations a
                                      JOIN lots l ON l.studio_id = a.studio_id AND l.id = a.lot_id
                                      WHERE a.studio_id = b.studio_id AND a.booking_id = b.id AND l.product_id = $6)""")
                .execute(Tuple.of(studioId, memberId, Rows.timestamp(from), Rows.timestamp(to), schedulerId,
                        productId))
                .map(rows -> rows.iterator().next().getInteger("used"));
    }

    /** Per lot, the bookings (not cancelled) it paid for, per scheduler. */
    public Future<Map<String, Map<String, Integer>>> usageOfLots(SqlClient client, String studioId,
                                                                 List<String> lotIds) {
        if (lotIds.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        return client.preparedQuery("""
                        SELECT a.lot_id, b.scheduler_id, count(*)::int AS used
                        FROM unnest($2::text[]) AS want(id)
                        JOIN LATERAL (SELECT lot_id, booking_id FROM booking_allocations
                                      WHERE studio_id = $1 AND lot_id = want.id OFFSET 0) a ON true
                        JOIN bookings b ON b.studio_id = $1 AND b.id = a.booking_id AND b.status <> 'cancelled'
                        GROUP BY a.lot_id, b.scheduler_id""")
                .execute(Rows.args(studioId, lotIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, Map<String, Integer>> out = new HashMap<>();
                    for (Row row : rows) {
                        out.computeIfAbsent(row.getString("lot_id"), k -> new HashMap<>())
                                .put(row.getString("scheduler_id"), row.getInteger("used"));
                    }
                    return out;
                });
    }

    public Future<Void> moveAll(SqlClient client, String studioId, String fromMemberId, String toMemberId) {
        return client.preparedQuery("UPDATE bookings SET member_id = $3 WHERE studio_id = $1 AND member_id = $2")
                .execute(Tuple.of(studioId, fromMemberId, toMemberId))
                .mapEmpty();
    }

    private static Booking booking(Row row, List<Allocation> allocations) {
        return new Booking(row.getString("id"), row.getString("member_id"), row.getString("scheduler_id"),
                row.getString("scheduler_name"), Rows.instant(row, "starts_at"), Rows.instant(row, "cancel_by"),
                Status.valueOf(row.getString("status").toUpperCase(java.util.Locale.ROOT)), row.getString("pay_with"),
                row.getInteger("cost"), row.getInteger("refunded"), Rows.instant(row, "created_at"),
                Rows.instant(row, "cancelled_at"), allocations, Rows.instant(row, "posted_at"),
                Rows.instant(row, "checked_in_at"), penalty(row));
    }

    private static Penalty penalty(Row row) {
        String outcome = row.getString("penalty");
        if (outcome == null) {
            return null;
        }
        Status status = Status.valueOf(row.getString("status").toUpperCase(java.util.Locale.ROOT));
        return new Penalty(status == Status.NO_SHOW ? PenaltyRule.Kind.NO_SHOW : PenaltyRule.Kind.LATE_CANCEL,
                PenaltyRule.Outcome.valueOf(outcome.toUpperCase(java.util.Locale.ROOT)),
                row.getInteger("penalty_credits"), Rows.instant(row, "penalized_at"), Rows.instant(row, "waived_at"),
                row.getString("waived_by"), row.getString("waive_reason"));
    }
}
