package dev.creditline.store;

import dev.creditline.store.citus.Distribution;
import dev.creditline.api.Lot;
import dev.creditline.api.LotCategory;
import dev.creditline.api.Money;
import dev.creditline.api.ValidityStart;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Lots: the running totals of the journal, one row per block of credits.
 *
 * <p>Reads of several lots or members by id go as one lookup per id ({@code unnest} with a {@code LATERAL} subquery
 * fenced by {@code OFFSET 0}), not as {@code id = ANY(...)}: the planner knows nothing of a studio's size (no
 * statistics on {@code studio_id}), and for an {@code ANY} it may find a scan of the whole studio cheaper, which it is
 * not once the studio is large. A lookup per id is cheap whatever the studio holds.
 */
public final class LotRepository {

    private static final String COLUMNS = """
            id, seq, member_id, account, product_id, product_version, purchase_id, quantity, remaining, unlimited,
            acquired_at, valid_from, expires_at, validity, validity_start, cost_minor, currency, category,
            redeemable_scheduler_ids, trainer_id, paused, subscription_id, suspended, usage_limits, held""";

    private final Distribution distribution;

    @Inject
    public LotRepository(Distribution distribution) {
        this.distribution = distribution;
    }

    /** The lot, or null. */
    public Future<Lot> find(SqlClient client, String studioId, String lotId) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM lots WHERE studio_id = $1 AND id = $2")
                .execute(Tuple.of(studioId, lotId))
                .map(rows -> Rows.first(rows, LotRepository::lot));
    }

    /** Lots with credits left bound to a trainer, of every member. */
    public Future<List<Lot>> ofTrainer(SqlClient client, String studioId, String trainerId) {
        return client.preparedQuery("SELECT " + COLUMNS
                        + " FROM lots WHERE studio_id = $1 AND trainer_id = $2 AND live ORDER BY seq")
                .execute(Tuple.of(studioId, trainerId))
                .map(rows -> Rows.all(rows, LotRepository::lot));
    }

    /** The member's lots with credits left (expired or not). */
    public Future<List<Lot>> live(SqlClient client, String studioId, String memberId) {
        return client.preparedQuery("SELECT " + COLUMNS
                        + " FROM lots WHERE studio_id = $1 AND member_id = $2 AND live ORDER BY seq")
                .execute(Tuple.of(studioId, memberId))
                .map(rows -> Rows.all(rows, LotRepository::lot));
    }

    /** The member's lots with credits left, and the given lots whatever they hold. */
    public Future<List<Lot>> liveAnd(SqlClient client, String studioId, String memberId, Collection<String> lotIds) {
        // A union, not an OR: each half reads its own index instead of every lot of the studio.
        return client.preparedQuery("SELECT " + COLUMNS + " FROM lots WHERE studio_id = $1 AND member_id = $2"
                        + " AND live UNION SELECT l.* FROM unnest($3::text[]) AS want(id), LATERAL (SELECT " + COLUMNS
                        + " FROM lots WHERE studio_id = $1 AND id = want.id OFFSET 0) l ORDER BY seq")
                .execute(Tuple.of(studioId, memberId, lotIds.toArray(String[]::new)))
                .map(rows -> Rows.all(rows, LotRepository::lot));
    }

    /** The lots with credits left of several members (batched bookings, the expiry sweep). */
    public Future<List<Lot>> liveOfMembers(SqlClient client, String studioId, Collection<String> memberIds) {
        return client.preparedQuery("SELECT l.* FROM unnest($2::text[]) AS want(id), LATERAL (SELECT " + COLUMNS
                        + " FROM lots WHERE studio_id = $1 AND member_id = want.id AND live OFFSET 0) l ORDER BY seq")
                .execute(Rows.args(studioId, memberIds.toArray(String[]::new)))
                .map(rows -> Rows.all(rows, LotRepository::lot));
    }

    /** The live lots of members of several studios, each member's in acquisition order. */
    public Future<Map<ScopedId, List<Lot>>> liveOfMembers(SqlClient client, Collection<ScopedId> memberIds) {
        List<ScopedId> wanted = ScopedId.sorted(memberIds);
        return client.preparedQuery("SELECT want.studio_id AS of_studio, l.* FROM unnest($1::text[], $2::text[])"
                        + " AS want(studio_id, id), LATERAL (SELECT " + COLUMNS + " FROM lots WHERE "
                        + distribution.batchShard("studio_id")
                        + "studio_id = want.studio_id AND member_id = want.id AND live OFFSET 0) l ORDER BY l.seq")
                .execute(ScopedId.args(wanted))
                .map(rows -> {
                    Map<ScopedId, List<Lot>> found = new HashMap<>();
                    rows.forEach(row -> found.computeIfAbsent(ScopedId.of(row, "member_id"), k -> new ArrayList<>())
                            .add(lot(row)));
                    return found;
                });
    }

    /**
     * What cancelling bookings (of any studios) reads: the live lots of the bookings' members and the lots the
     * bookings took credits from, each member's in acquisition order; and which of those lots were voided.
     */
    public record OfBookings(Map<ScopedId, List<Lot>> byMember, Set<ScopedId> voided) {
        public List<Lot> of(ScopedId member) {
            return byMember.getOrDefault(member, List.of());
        }
    }

    /** The lots a cancellation of these bookings works on (see {@link OfBookings}). */
    public Future<OfBookings> ofBookings(SqlClient client, Collection<ScopedId> bookingIds) {
        // A union, not an OR: each half reads its own index, so a long history of used-up lots is never scanned. A
        // live lot a booking took from comes in both halves: kept once below (cheaper than UNION's sort of rows).
        String lotColumns = COLUMNS + ", voided_at IS NOT NULL AS voided";
        return client.preparedQuery("WITH b AS MATERIALIZED (SELECT bk.* FROM unnest($1::text[], $2::text[])"
                        + " AS want(studio_id, id), LATERAL (SELECT studio_id, id, member_id FROM bookings"
                        + " WHERE "
                        + distribution.batchShard("studio_id")
                        + "studio_id = want.studio_id AND id = want.id OFFSET 0) bk)"
                        + " SELECT m.studio_id AS of_studio, m.member_id AS of_member, l.*"
                        + " FROM (SELECT DISTINCT studio_id, member_id FROM b) m, LATERAL (SELECT " + lotColumns
                        + " FROM lots WHERE "
                        + distribution.batchShard("studio_id") + "studio_id = m.studio_id AND member_id = m.member_id"
                        + " AND live OFFSET 0) l"
                        + " UNION ALL SELECT b.studio_id, b.member_id, l.* FROM b JOIN booking_allocations a"
                        + " ON "
                        + distribution.batchShard("a.studio_id") + "a.studio_id = b.studio_id AND a.booking_id = b.id,"
                        + " LATERAL (SELECT " + lotColumns + " FROM lots WHERE "
                        + distribution.batchShard("studio_id")
                        + "studio_id = a.studio_id AND id = a.lot_id OFFSET 0) l ORDER BY seq")
                .execute(ScopedId.args(ScopedId.sorted(bookingIds)))
                .map(rows -> {
                    Map<ScopedId, Map<String, Lot>> byMember = new HashMap<>();
                    Set<ScopedId> voided = new HashSet<>();
                    for (Row row : rows) {
                        Lot lot = lot(row);
                        ScopedId member = new ScopedId(row.getString("of_studio"), row.getString("of_member"));
                        byMember.computeIfAbsent(member, k -> new LinkedHashMap<>()).putIfAbsent(lot.id(), lot);
                        if (row.getBoolean("voided")) {
                            voided.add(new ScopedId(member.studioId(), lot.id()));
                        }
                    }
                    Map<ScopedId, List<Lot>> lists = new HashMap<>();
                    byMember.forEach((member, lots) -> lists.put(member, List.copyOf(lots.values())));
                    return new OfBookings(lists, voided);
                });
    }

    /**
     * In one read (one snapshot): the member's lots with credits left, and those whose credits expired since the given
     * time (found from their {@code expired} entries, also those written before a merge brought the lots here).
     */
    public Future<List<Lot>> liveOrExpiredSince(SqlClient client, String studioId, String memberId, Instant since) {
        // A union, not an OR: each half reads its own index, so a long history of used-up lots is never scanned.
        return client.preparedQuery("WITH RECURSIVE merged(id) AS (SELECT $2::text UNION SELECT m.id FROM members m"
                        + " JOIN merged ON m.merged_into = merged.id WHERE m.studio_id = $1)"
                        + " SELECT " + COLUMNS + " FROM lots WHERE studio_id = $1 AND member_id = $2 AND live"
                        + " UNION SELECT l.* FROM merged, LATERAL (SELECT DISTINCT lot_id FROM journal"
                        + " WHERE studio_id = $1 AND member_id = merged.id AND type = 'expired' AND at >= $3 OFFSET 0) e,"
                        + " LATERAL (SELECT " + COLUMNS + " FROM lots WHERE studio_id = $1 AND id = e.lot_id OFFSET 0) l"
                        + " ORDER BY seq")
                .execute(Tuple.of(studioId, memberId, Rows.timestamp(since)))
                .map(rows -> Rows.all(rows, LotRepository::lot));
    }

    /**
     * The products of the member's used-up lots that have not expired and were not voided or refunded: their accounts
     * stay in the credit view at 0 (a coach still sees the tab, its log and its schedulers) until the lots expire.
     */
    public Future<List<String>> usedUpProducts(SqlClient client, String studioId, String memberId, Instant now) {
        return client.preparedQuery("SELECT DISTINCT product_id FROM lots WHERE studio_id = $1 AND member_id = $2"
                        + " AND NOT live AND product_id IS NOT NULL AND voided_at IS NULL"
                        + " AND (expires_at IS NULL OR expires_at > $3)"
                        // A product refunded is gone like a voided one.
                        + " AND (purchase_id IS NULL OR NOT EXISTS (SELECT 1 FROM purchases p"
                        + " WHERE p.studio_id = $1 AND p.id = lots.purchase_id AND p.status = 'refunded'))")
                .execute(Tuple.of(studioId, memberId, Rows.timestamp(now)))
                .map(rows -> Rows.all(rows, row -> row.getString("product_id")));
    }

    /**
     * A member's lots as they stood at an instant, rebuilt from the journal: each lot acquired by then with the
     * credits its entries up to then leave ({@code remaining}, of them {@code held}), no expiry yet for a lot whose validity starts at first
     * use and that was not used by then; the credits that had expired by then per lot; the lots voided by then.
     * Other terms (paused, restrictions) are the lot's current ones.
     */
    public Future<AsOf> asOf(SqlClient client, String studioId, String memberId, Instant at) {
        return client.preparedQuery("SELECT " + COLUMNS.replace("remaining,", "coalesce(j.remaining, 0) AS remaining,")
                        .replace("usage_limits, held", "usage_limits, coalesce(j.held, 0) AS held")
                        .replace("expires_at,", "CASE WHEN validity_start = 'first_use' AND NOT coalesce(j.used, false)"
                                + " THEN NULL ELSE expires_at END AS expires_at,")
                        + ", coalesce(j.expired, 0) AS expired_then, voided_at IS NOT NULL AND voided_at <= $3 AS voided"
                        + " FROM lots LEFT JOIN LATERAL (SELECT sum(delta)::int AS remaining, sum(held)::int AS held,"
                        + " bool_or(type IN ('redeemed', 'held')) AS used,"
                        + " (-coalesce(sum(delta) FILTER (WHERE type = 'expired'), 0))::int AS expired"
                        + " FROM journal WHERE journal.studio_id = $1 AND journal.lot_id = lots.id"
                        + " AND journal.at <= $3) j ON true"
                        + " WHERE studio_id = $1 AND member_id = $2 AND acquired_at <= $3 ORDER BY seq")
                .execute(Tuple.of(studioId, memberId, Rows.timestamp(at)))
                .map(rows -> {
                    List<Lot> found = new ArrayList<>();
                    Map<String, Integer> expired = new HashMap<>();
                    Set<String> voided = new HashSet<>();
                    for (Row row : rows) {
                        Lot lot = lot(row);
                        found.add(lot);
                        expired.put(lot.id(), row.getInteger("expired_then"));
                        if (row.getBoolean("voided")) {
                            voided.add(lot.id());
                        }
                    }
                    return new AsOf(found, expired, voided);
                });
    }

    /**
     * A member's lots at an instant.
     *
     * @param lots    the lots acquired by then, with what they held then
     * @param expired credits expired by then, per lot
     * @param voided  the lots whose purchase was voided by then
     */
    public record AsOf(List<Lot> lots, Map<String, Integer> expired, Set<String> voided) {
    }

    /** The lots a purchase created. */
    public Future<List<Lot>> ofPurchase(SqlClient client, String studioId, String purchaseId) {
        return client.preparedQuery("SELECT " + COLUMNS
                        + " FROM lots WHERE studio_id = $1 AND purchase_id = $2 ORDER BY seq")
                .execute(Tuple.of(studioId, purchaseId))
                .map(rows -> Rows.all(rows, LotRepository::lot));
    }

    public Future<Void> insert(SqlClient client, String studioId, List<Lot> lots) {
        if (lots.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Tuple> batch = lots.stream().map(lot -> Tuple.of(studioId, lot.id(), lot.memberId(), lot.account(),
                        lot.productId(), lot.productVersion())
                .addValue(lot.purchaseId())
                .addValue(lot.quantity())
                .addValue(lot.remaining())
                .addValue(lot.unlimited())
                .addValue(Rows.timestamp(lot.acquiredAt()))
                .addValue(Rows.timestamp(lot.validFrom()))
                .addValue(Rows.timestamp(lot.expiresAt()))
                .addValue(Rows.text(lot.validity()))
                .addValue(lot.validityStart().wireName())
                .addValue(lot.cost().minor())
                .addValue(lot.cost().currency().getCurrencyCode())
                .addValue(lot.category().wireName())
                .addValue(Rows.array(lot.redeemableSchedulerIds()))
                .addValue(lot.trainerId())
                .addValue(lot.paused())
                .addValue(lot.subscriptionId())
                .addValue(lot.suspended())
                .addValue(Rows.json(lot.usageLimits()))).toList();
        return client.preparedQuery("""
                        INSERT INTO lots (studio_id, id, member_id, account, product_id, product_version, purchase_id,
                            quantity, remaining, unlimited, acquired_at, valid_from, expires_at, validity,
                            validity_start, cost_minor, currency, category, redeemable_scheduler_ids, trainer_id, paused,
                            subscription_id, suspended, usage_limits)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
                            $20, $21, $22, $23, $24)""")
                .executeBatch(batch)
                .mapEmpty();
    }

    /** Writes the state of changed lots: remaining and held credits, expiry and owner. */
    public Future<Void> update(SqlClient client, String studioId, List<Lot> lots) {
        return updateAll(client, Map.of(studioId, lots));
    }

    /** Writes the changed lots of several studios in one statement. */
    public Future<Void> updateAll(SqlClient client, Map<String, List<Lot>> lotsByStudio) {
        List<ScopedLot> rows = new ArrayList<>();
        lotsByStudio.forEach((studioId, lots) -> lots.forEach(lot -> rows.add(new ScopedLot(studioId, lot))));
        if (rows.isEmpty()) {
            return Future.succeededFuture();
        }
        return client.preparedQuery("""
                        UPDATE lots SET remaining = c.remaining, held = c.held, expires_at = c.expires_at,
                            member_id = c.member_id
                        FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[], $5::text[], $6::int[])
                            AS c(studio_id, id, remaining, expires_at, member_id, held)
                        WHERE %slots.studio_id = c.studio_id AND lots.id = c.id""".formatted(
                                distribution.batchShard("lots.studio_id")))
                .execute(new Columns<>(rows).text(ScopedLot::studioId).text(l -> l.lot().id())
                        .integer(l -> l.lot().remaining()).timestamp(l -> l.lot().expiresAt())
                        .text(l -> l.lot().memberId()).integer(l -> l.lot().held()).tuple())
                .mapEmpty();
    }

    /** A lot with its studio. */
    private record ScopedLot(String studioId, Lot lot) {
    }

    /**
     * Sets whether the live lots of a subscription are suspended: its finite lots as {@code finiteSuspended} says, its
     * unlimited period's lot as {@code unlimitedSuspended} (the rule is {@code SubscriptionCommands.suspended}).
     */
    public Future<Void> suspend(SqlClient client, String studioId, String subscriptionId, boolean finiteSuspended,
                                boolean unlimitedSuspended) {
        return client.preparedQuery("""
                        UPDATE lots SET suspended = CASE WHEN unlimited THEN $4::boolean ELSE $3::boolean END
                        WHERE studio_id = $1 AND subscription_id = $2 AND live
                          AND suspended <> CASE WHEN unlimited THEN $4::boolean ELSE $3::boolean END""")
                .execute(Tuple.of(studioId, subscriptionId, finiteSuspended, unlimitedSuspended))
                .mapEmpty();
    }

    /** The finite lots with credits left of a studio that expire in {@code (after, until]}. */
    public Future<List<Lot>> expiring(SqlClient client, String studioId, Instant after, Instant until) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM lots WHERE studio_id = $1 AND live AND NOT unlimited"
                        + " AND expires_at > $2 AND expires_at <= $3 ORDER BY expires_at, seq")
                .execute(Tuple.of(studioId, Rows.timestamp(after), Rows.timestamp(until)))
                .map(rows -> Rows.all(rows, LotRepository::lot));
    }

    /** Marks a purchase's lots voided. */
    public Future<Void> markVoided(SqlClient client, String studioId, String purchaseId, Instant at) {
        return client.preparedQuery("UPDATE lots SET voided_at = $3 WHERE studio_id = $1 AND purchase_id = $2")
                .execute(Tuple.of(studioId, purchaseId, Rows.timestamp(at)))
                .mapEmpty();
    }

    /** Gives every lot of one member, spent or not, to another (a merge). */
    public Future<Void> moveAll(SqlClient client, String studioId, String fromMemberId, String toMemberId) {
        return client.preparedQuery("UPDATE lots SET member_id = $3 WHERE studio_id = $1 AND member_id = $2")
                .execute(Tuple.of(studioId, fromMemberId, toMemberId))
                .mapEmpty();
    }

    static Lot lot(Row row) {
        Money cost = new Money(row.getLong("cost_minor"), Currency.getInstance(row.getString("currency")));
        return new Lot(row.getString("id"), row.getString("member_id"), row.getString("account"),
                row.getString("product_id"), row.getInteger("product_version"), row.getString("purchase_id"),
                row.getInteger("quantity"), row.getInteger("remaining"), row.getBoolean("unlimited"),
                Rows.instant(row, "acquired_at"), Rows.instant(row, "valid_from"), Rows.instant(row, "expires_at"),
                Rows.period(row, "validity"),
                ValidityStart.valueOf(row.getString("validity_start").toUpperCase(Locale.ROOT)), cost,
                LotCategory.valueOf(row.getString("category").toUpperCase(Locale.ROOT)),
                Rows.strings(row, "redeemable_scheduler_ids"), row.getString("trainer_id"), row.getBoolean("paused"),
                row.getString("subscription_id"), row.getBoolean("suspended"),
                Rows.usageLimits((io.vertx.core.json.JsonArray) row.getJson("usage_limits")), row.getLong("seq"),
                row.getInteger("held"));
    }
}
