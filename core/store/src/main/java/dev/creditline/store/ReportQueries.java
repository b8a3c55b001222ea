package dev.creditline.store;

import dev.creditline.store.citus.MultiShard;
import dev.creditline.api.spi.ExpiringCredits;
import dev.creditline.api.spi.LedgerEntry;
import dev.creditline.api.spi.LedgerFigures;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What a studio's ledger adds up to, in credits and in money, from the journal: credits sold, used, expired, refunded
 * and granted in a period, and the credit liability (the money value of the credits sold and not yet used).
 *
 * <p>Money is exact to the cent, and adds up exactly: a lot of {@code q} credits that cost {@code c} cents is worth
 * {@code V(r) = c - floor(c * (q - r) / q)} cents while {@code r} credits remain, so every journal entry moves a whole
 * number of cents ({@code V(after) - V(before)}), the liability is the sum of the lots' {@code V}, and over any period
 * the money sold equals what was recognised, broken, refunded, voided, forfeited or adjusted plus the change in
 * liability. Promotional credits cost nothing and so weigh nothing. An unlimited period is sold when paid and
 * recognised when it ends ({@code period_ended}; journals from before that type have an {@code expired} entry on the
 * unlimited lot instead): never breakage.
 */
public final class ReportQueries {

    /** The lot's value in cents of {@code r} remaining credits, as SQL over {@code cost_minor} and {@code quantity}. */
    private static String value(String r) {
        return "(l.cost_minor - (l.cost_minor * (l.quantity - (" + r + "))) / l.quantity)";
    }

    private final Pool pool;

    @Inject
    public ReportQueries(Pool pool) {
        this.pool = pool;
    }

    /** The studio's figures for {@code [from, to)} per currency ({@code from} null: since the beginning). */
    public Future<List<LedgerFigures>> figures(SqlClient client, String studioId, Instant from, Instant to,
                                         Instant threeMonthsBefore) {
        // One pass over the studio's journal up to the period's end: each entry's value is its lot's V after it
        // less V before it (the running sum of the lot's deltas gives "after"). The lots are the studio's ($1), not
        // the subquery's: Citus then sends the whole query, window and all, to the studio's shard.
        String sql = """
                SELECT currency,
                    coalesce(sum(delta) FILTER (WHERE p AND type = 'purchased' AND category = 'paid'
                        AND NOT unlimited), 0) AS sold_credits,
                    coalesce(sum(delta) FILTER (WHERE p AND NOT unlimited AND (type = 'granted'
                        OR (type = 'purchased' AND category = 'promotional'))), 0) AS granted_credits,
                    coalesce(-sum(delta) FILTER (WHERE p AND NOT unlimited AND (type = 'redeemed'
                        OR (type = 'refunded' AND booking_id IS NOT NULL))), 0) AS used_credits,
                    coalesce(-sum(delta) FILTER (WHERE p AND NOT unlimited AND type = 'expired'), 0)
                        AS expired_credits,
                    coalesce(-sum(delta) FILTER (WHERE p AND NOT unlimited AND type = 'refunded'
                        AND booking_id IS NULL), 0) AS refunded_credits,
                    coalesce(sum(delta) FILTER (WHERE NOT unlimited), 0) AS outstanding,
                    coalesce(sum(held) FILTER (WHERE NOT unlimited), 0) AS held_credits,
                    coalesce(sum(value) FILTER (WHERE p AND type = 'purchased'), 0) AS sold,
                    coalesce(-sum(value) FILTER (WHERE p AND (type = 'redeemed'
                        OR (type = 'refunded' AND booking_id IS NOT NULL) OR type = 'period_ended'
                        OR (type = 'expired' AND unlimited))), 0) AS recognised,
                    coalesce(-sum(value) FILTER (WHERE p AND type = 'expired' AND NOT unlimited), 0) AS breakage,
                    coalesce(-sum(value) FILTER (WHERE p AND type = 'refunded' AND booking_id IS NULL), 0)
                        AS refunded,
                    coalesce(-sum(value) FILTER (WHERE p AND type IN ('voided', 'forfeited', 'transferred', 'set',
                        'granted')), 0) AS other_out,
                    coalesce(sum(value) FILTER (WHERE NOT p), 0) AS liability_start,
                    coalesce(sum(value), 0) AS liability,
                    coalesce(sum(value) FILTER (WHERE type = 'purchased' AND at >= $4), 0) AS sales_3m
                FROM (SELECT j.at, j.type, j.delta, j.held, j.booking_id, l.category, l.unlimited, l.currency,
                             %s - %s AS value, ($2::timestamptz IS NULL OR j.at >= $2) AS p
                      FROM (SELECT studio_id, lot_id, at, type, delta, held, booking_id,
                                   sum(delta) OVER (PARTITION BY lot_id ORDER BY seq) AS after
                            FROM journal WHERE studio_id = $1 AND at < $3) j
                      JOIN lots l ON l.studio_id = $1 AND l.id = j.lot_id) e
                GROUP BY currency ORDER BY currency""".formatted(value("j.after"), value("j.after - j.delta"));
        return client.preparedQuery(sql)
                .execute(Tuple.of(studioId, Rows.timestamp(from), Rows.timestamp(to),
                        Rows.timestamp(threeMonthsBefore)))
                .map(rows -> Rows.all(rows, ReportQueries::figures));
    }

    private static LedgerFigures figures(Row r) {
        return new LedgerFigures(r.getString("currency").trim(), r.getLong("sold_credits"), r.getLong("granted_credits"),
                r.getLong("used_credits"), r.getLong("expired_credits"), r.getLong("refunded_credits"),
                r.getLong("outstanding"), r.getLong("sold"), r.getLong("recognised"), r.getLong("breakage"),
                r.getLong("refunded"), r.getLong("other_out"), r.getLong("liability_start"), r.getLong("liability"),
                r.getLong("sales_3m"), r.getLong("held_credits"));
    }

    /**
     * The liability now per studio and currency, from the lots (the sum of their values; equal to the journal's sum):
     * what the metrics publish. Also the finite credits the members hold, and those of them bookings hold.
     */
    public Future<List<Liability>> liabilities(SqlClient client) {
        return MultiShard.query(client, """
                        SELECT l.studio_id, l.currency, sum(%s) AS liability,
                               sum(CASE WHEN l.unlimited THEN 0 ELSE l.remaining END) AS outstanding,
                               sum(CASE WHEN l.unlimited THEN 0 ELSE l.held END) AS held
                        FROM lots l WHERE l.live GROUP BY l.studio_id, l.currency""".formatted(value("l.remaining")),
                        Tuple.tuple())
                .map(rows -> Rows.all(rows, r -> new Liability(r.getString("studio_id"),
                        r.getString("currency").trim(), r.getLong("liability"), r.getLong("outstanding"),
                        r.getLong("held"))));
    }

    /**
     * Money sold per studio and currency in the three months up to each studio's time (a test-mode studio's clock,
     * else {@code realNow}), in the studio's zone: the {@code purchased} entries' value, as the summary report
     * counts them (lots re-issued by a transfer or an extension are no sale).
     */
    public Future<List<Liability>> salesLastThreeMonths(SqlClient client, Instant realNow) {
        return MultiShard.query(client, """
                        SELECT j.studio_id, l.currency, sum(l.cost_minor) AS sold
                        FROM studios s
                        JOIN journal j ON j.studio_id = s.id AND j.type = 'purchased'
                            AND j.at >= ((CASE WHEN s.test_mode THEN s.clock_now ELSE $1 END) AT TIME ZONE s.timezone
                                - interval '3 months') AT TIME ZONE s.timezone
                            AND j.at <= (CASE WHEN s.test_mode THEN s.clock_now ELSE $1 END)
                        JOIN lots l ON l.studio_id = j.studio_id AND l.id = j.lot_id
                        GROUP BY j.studio_id, l.currency""", Tuple.of(Rows.timestamp(realNow)))
                .map(rows -> Rows.all(rows, r -> new Liability(r.getString("studio_id"),
                        r.getString("currency").trim(), r.getLong("sold"), 0, 0)));
    }

    /**
     * Finite credits per studio and kind over all time. They reconcile with what the members hold: {@code sold +
     * granted + setAdded + returned - redeemed - expired - refunded - voided - forfeited - setRemoved} is the
     * outstanding credits (transfers move credits between lots and add up to nothing; unlimited lots count in none).
     */
    public Future<List<Totals>> totals(SqlClient client) {
        return MultiShard.query(client, """
                        SELECT j.studio_id,
                            coalesce(sum(j.delta) FILTER (WHERE j.type = 'purchased' AND l.category = 'paid'), 0)
                                AS sold,
                            coalesce(sum(j.delta) FILTER (WHERE j.type = 'granted'
                                OR (j.type = 'purchased' AND l.category = 'promotional')), 0) AS granted,
                            coalesce(-sum(j.delta) FILTER (WHERE j.type = 'redeemed'), 0) AS redeemed,
                            coalesce(sum(j.delta) FILTER (WHERE j.type = 'refunded' AND j.booking_id IS NOT NULL),
                                0) AS returned,
                            coalesce(-sum(j.delta) FILTER (WHERE j.type = 'refunded' AND j.booking_id IS NULL), 0)
                                AS refunded,
                            coalesce(-sum(j.delta) FILTER (WHERE j.type = 'expired'), 0) AS expired,
                            coalesce(-sum(j.delta) FILTER (WHERE j.type = 'voided'), 0) AS voided,
                            coalesce(-sum(j.delta) FILTER (WHERE j.type = 'forfeited'), 0) AS forfeited,
                            coalesce(sum(j.delta) FILTER (WHERE j.type = 'set' AND j.delta > 0), 0) AS set_added,
                            coalesce(-sum(j.delta) FILTER (WHERE j.type = 'set' AND j.delta < 0), 0) AS set_removed
                        FROM journal j JOIN lots l ON l.studio_id = j.studio_id AND l.id = j.lot_id
                        WHERE NOT l.unlimited
                        GROUP BY j.studio_id""", Tuple.tuple())
                .map(rows -> Rows.all(rows, r -> new Totals(r.getString("studio_id"), r.getLong("sold"),
                        r.getLong("granted"), r.getLong("redeemed"), r.getLong("returned"), r.getLong("refunded"),
                        r.getLong("expired"), r.getLong("voided"), r.getLong("forfeited"), r.getLong("set_added"),
                        r.getLong("set_removed"))));
    }

    /** A studio's finite credits by kind, over all time (see {@link #totals}). */
    public record Totals(String studioId, long sold, long granted, long redeemed, long returned, long refunded,
                         long expired, long voided, long forfeited, long setAdded, long setRemoved) {
    }

    /** How long the oldest entry has waited in the outbox, in seconds (0 when it is empty). */
    public Future<Double> outboxLag(SqlClient client) {
        return MultiShard.query(client, "SELECT coalesce(extract(epoch FROM clock_timestamp() - min(j.recorded_at)), 0)"
                        + " AS lag FROM outbox o JOIN journal j ON j.studio_id = o.studio_id AND j.seq = o.journal_seq",
                        Tuple.tuple())
                .map(rows -> rows.iterator().next().getNumeric("lag").doubleValue());
    }

    /**
     * A studio's liability in one currency now, the finite credits it owes, and those of them bookings hold (in
     * their cancel window: owed until they post).
     */
    public record Liability(String studioId, String currency, long liability, long outstanding, long held) {
    }

    /** What the live lots hold, by the month they expire in (the liability that will turn into breakage when). */
    public Future<List<ExpiringCredits>> byExpiryMonth(SqlClient client, String studioId, String zone) {
        return client.preparedQuery("""
                        SELECT to_char(l.expires_at AT TIME ZONE $2, 'YYYY-MM') AS month, l.currency,
                               sum(CASE WHEN l.unlimited THEN 0 ELSE l.remaining END) AS credits,
                               sum(%s) AS value
                        FROM lots l WHERE l.studio_id = $1 AND l.live
                        GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2""".formatted(value("l.remaining")))
                .execute(Tuple.of(studioId, zone))
                .map(rows -> Rows.all(rows, r -> new ExpiringCredits(r.getString("month"), r.getString("currency").trim(),
                        r.getLong("credits"), r.getLong("value"))));
    }

    /**
     * Streams the studio's journal entries of {@code [from, to)} (of some members only, when given), in journal
     * order, a batch at a time: the next batch is read once {@code sink} completes, so a slow reader holds back the
     * database, never the other way round, and no more than one batch is in memory.
     */
    public Future<Void> entries(String studioId, Instant from, Instant to, List<String> memberIds, int batchSize,
                                Function<List<LedgerEntry>, Future<Void>> sink) {
        String sql = "SELECT seq, member_id, account, lot_id, type, delta, held, balance_after, description, reason,"
                + " actor, booking_id, purchase_id, at FROM journal WHERE studio_id = $1"
                + " AND ($2::timestamptz IS NULL OR at >= $2) AND ($3::timestamptz IS NULL OR at < $3)"
                + " AND ($4::text[] IS NULL OR member_id = ANY($4)) ORDER BY seq";
        Tuple args = Tuple.tuple().addValue(studioId).addValue(Rows.timestamp(from)).addValue(Rows.timestamp(to))
                .addValue(memberIds == null ? null : memberIds.toArray(String[]::new));
        return pool.withTransaction(c -> c.prepare(sql).compose(statement -> {
            var cursor = statement.cursor(args);
            return pump(cursor, studioId, batchSize, sink).eventually(cursor::close);
        }));
    }

    /** Reads the cursor to its end, a batch per turn of the event loop (a long export must not deepen the stack). */
    private static Future<Void> pump(io.vertx.sqlclient.Cursor cursor, String studioId, int batchSize,
                                     Function<List<LedgerEntry>, Future<Void>> sink) {
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        step(cursor, studioId, batchSize, sink, done, io.vertx.core.Vertx.currentContext());
        return done.future();
    }

    private static void step(io.vertx.sqlclient.Cursor cursor, String studioId, int batchSize,
                             Function<List<LedgerEntry>, Future<Void>> sink, io.vertx.core.Promise<Void> done,
                             io.vertx.core.Context context) {
        cursor.read(batchSize).compose(rows -> {
            List<LedgerEntry> batch = new ArrayList<>(rows.size());
            rows.forEach(row -> batch.add(entry(studioId, row)));
            return batch.isEmpty() ? Future.<Void>succeededFuture() : sink.apply(batch);
        }).onComplete(written -> {
            if (written.failed()) {
                done.fail(written.cause());
            } else if (!cursor.hasMore()) {
                done.complete();
            } else if (context != null) {
                context.runOnContext(v -> step(cursor, studioId, batchSize, sink, done, context));
            } else {
                step(cursor, studioId, batchSize, sink, done, null);
            }
        });
    }

    /** A journal row (the journal's columns) as plugins see it. */
    public static LedgerEntry entry(String studioId, Row row) {
        return new LedgerEntry(row.getLong("seq"), studioId, row.getString("member_id"), row.getString("account"),
                row.getString("lot_id"), dev.creditline.api.EntryType.fromWire(row.getString("type")),
                row.getInteger("delta"), row.getInteger("balance_after"), row.getString("description"),
                row.getString("reason"), row.getString("actor"), row.getString("booking_id"),
                row.getString("purchase_id"), Rows.instant(row, "at"),
                OpaqueIds.entryId(studioId, row.getLong("seq")), row.getInteger("held"));
    }
}
