package dev.creditline.store;

import dev.creditline.api.EntryType;
import dev.creditline.ledger.Descriptions;
import dev.creditline.ledger.PenaltyRule;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The append-only journal: written in batches, read as credit logs. The database refuses UPDATE and DELETE. */
public final class JournalRepository {

    /**
     * A page of a credit log, newest first; {@code next} is where the next page starts, or null.
     *
     * @param unlimited the journal positions of entries that issue or end an unlimited period
     */
    public record Page(List<JournalEntry> items, Position next, java.util.Set<Long> unlimited) {
    }

    /** A place in a credit log: entries are ordered by studio time, then by journal order. */
    public record Position(Instant at, long seq) {
    }

    private static final String COLUMNS = """
            seq, member_id, account, lot_id, type, delta, balance_after, description, reason, actor, booking_id,
            purchase_id, idempotency_key, at, held""";

    /*
     * The subqueries below name the studio as the query's $1 rather than the outer row's: the same rows, and Citus
     * sees that they stay on the studio's shard.
     */

    /** Whether an entry's lot is unlimited (its period's entries read "+unlimited", "-unlimited", "-1"). */
    private static final String LOT_IS_UNLIMITED = "(SELECT unlimited FROM lots l WHERE l.studio_id = $1"
            + " AND l.id = journal.lot_id) AS unlimited";

    /**
     * For a {@code transferred} entry of a merge, the other member: a merge moves each lot with two entries of one
     * transaction on that lot, one per member (a reissue's two entries are on two lots of one member, so it has none).
     * Looked up by the lot's entries, which are few.
     */
    private static final String COUNTERPART = "CASE WHEN journal.type = 'transferred' THEN (SELECT c.member_id"
            + " FROM journal c WHERE c.studio_id = $1 AND c.lot_id = journal.lot_id"
            + " AND c.type = 'transferred' AND c.at = journal.at AND c.action IS NOT DISTINCT FROM journal.action"
            + " AND c.member_id <> journal.member_id LIMIT 1) END AS counterpart_member_id";

    /** The entries in the order given: their journal positions (seq) follow that order. */
    private static final String INSERT = """
            INSERT INTO journal (studio_id, member_id, account, lot_id, type, delta, balance_after, description, reason,
                actor, booking_id, purchase_id, idempotency_key, at, held)
            SELECT studio_id, member_id, account, lot_id, type, delta, balance_after, description, reason, actor,
                booking_id, purchase_id, idempotency_key, at, held
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[],
                $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::timestamptz[], $15::int[])
                WITH ORDINALITY AS e(studio_id, member_id, account, lot_id, type, delta, balance_after, description,
                    reason, actor, booking_id, purchase_id, idempotency_key, at, held, n)
            ORDER BY n""";

    /** An entry to append, with its studio. */
    private record NewEntry(String studioId, JournalEntry entry) {
    }

    private final OutboxPolicy outbox;

    @Inject
    public JournalRepository(OutboxPolicy outbox) {
        this.outbox = outbox;
    }

    /**
     * Appends entries; for a studio with ledger listeners each also goes to the outbox, in the same statement, so it
     * is delivered exactly when it commits.
     */
    public Future<Void> append(SqlClient client, String studioId, List<JournalEntry> entries) {
        return appendAll(client, Map.of(studioId, entries));
    }

    /** Appends the entries of several studios in one statement, studio by studio in the map's order. */
    public Future<Void> appendAll(SqlClient client, Map<String, List<JournalEntry>> entriesByStudio) {
        List<NewEntry> rows = new ArrayList<>();
        List<String> listened = new ArrayList<>();
        entriesByStudio.forEach((studioId, entries) -> {
            entries.forEach(e -> rows.add(new NewEntry(studioId, e)));
            if (!entries.isEmpty() && outbox.wanted(studioId)) {
                listened.add(studioId);
            }
        });
        if (rows.isEmpty()) {
            return Future.succeededFuture();
        }
        Tuple args = new Columns<>(rows).text(NewEntry::studioId).text(e -> e.entry().memberId())
                .text(e -> e.entry().account()).text(e -> e.entry().lotId()).text(e -> e.entry().type().wireName())
                .integer(e -> e.entry().delta()).integer(e -> e.entry().balanceAfter())
                .text(e -> e.entry().description()).text(e -> e.entry().reason()).text(e -> e.entry().actor())
                .text(e -> e.entry().bookingId()).text(e -> e.entry().purchaseId())
                .text(e -> e.entry().idempotencyKey()).timestamp(e -> e.entry().at())
                .integer(e -> e.entry().held()).tuple();
        if (listened.isEmpty()) {
            return client.preparedQuery(INSERT).execute(args).mapEmpty();
        }
        return client.preparedQuery("WITH entry AS (" + INSERT + " RETURNING studio_id, seq)"
                        + " INSERT INTO outbox (studio_id, journal_seq) SELECT studio_id, seq FROM entry"
                        + " WHERE studio_id = ANY($16) ORDER BY seq")
                .execute(args.addValue(listened.toArray(String[]::new))).mapEmpty();
    }

    /**
     * The credit log of the given members (a member and those merged into it), newest first.
     *
     * @param account only this account, or null for all
     * @param from    only entries at or after this studio time, or null
     * @param to      only entries before this studio time, or null
     * @param below   only entries after this position (the cursor), or null
     */
    public Future<Page> log(SqlClient client, String studioId, List<String> memberIds, String account, Instant from,
                            Instant to, Position below, int limit) {
        Tuple args = Tuple.of(studioId, memberIds.toArray(String[]::new), limit + 1);
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + ", " + LOT_IS_UNLIMITED
                + " FROM journal WHERE studio_id = $1 AND member_id = ANY($2)");
        filters(sql, args, account, from, to, below);
        sql.append(" ORDER BY at DESC, seq DESC LIMIT $3");
        return client.preparedQuery(sql.toString()).execute(args).map(rows -> {
            List<JournalEntry> entries = Rows.all(rows, JournalRepository::entry);
            java.util.Set<Long> unlimited = new java.util.HashSet<>();
            rows.forEach(row -> {
                if (Boolean.TRUE.equals(row.getBoolean("unlimited"))) {
                    unlimited.add(row.getLong("seq"));
                }
            });
            if (entries.size() > limit) {
                List<JournalEntry> page = List.copyOf(entries.subList(0, limit));
                JournalEntry last = page.get(limit - 1);
                return new Page(page, new Position(last.at(), last.seq()), unlimited);
            }
            return new Page(entries, null, unlimited);
        });
    }

    /**
     * The credit log of the given members as actions, newest first: the entries of one transaction, member, type,
     * booking, purchase and time are one action, and each account it touched is one item. A page ends between
     * actions, so it may hold a few more items than {@code limit}. Filters as in {@link #log}.
     */
    public Future<CreditLog.Page> actions(SqlClient client, String studioId, List<String> memberIds, String account,
                                          Instant from, Instant to, Position below, int limit) {
        return actions(client, studioId, memberIds, account, from, to, below, limit, Math.max(64, 2 * (limit + 1)));
    }

    private Future<CreditLog.Page> actions(SqlClient client, String studioId, List<String> memberIds, String account,
                                           Instant from, Instant to, Position below, int limit, int fetch) {
        Tuple args = Tuple.of(studioId, memberIds.toArray(String[]::new), fetch);
        // A booking is one line: its hold reads "Held for ..." until it posts, then "Redeemed for ..."; the post's
        // own entries (which leave the balance as it was) are not lines of their own.
        // The entry's booking, if any, read once: its scheduler's name and whether its hold posted.
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + ", action, " + LOT_IS_UNLIMITED
                + ", bk.scheduler_name, " + COUNTERPART
                + ", journal.type = 'held' AND bk.posted_at IS NOT NULL AS hold_posted"
                // The booking's charge (its hold, or its redemption at once) once a penalty kept credits of it.
                + ", CASE WHEN (journal.type = 'held' OR journal.type = 'redeemed' AND journal.held = 0)"
                + " AND bk.penalty_credits > 0 THEN bk.status END AS penalized"
                + ", bk.penalty_credits"
                + " FROM journal LEFT JOIN LATERAL (SELECT scheduler_name, posted_at, status, penalty_credits"
                + " FROM bookings b"
                + " WHERE b.studio_id = $1 AND b.id = journal.booking_id) bk ON true"
                + " WHERE studio_id = $1 AND member_id = ANY($2)"
                + " AND NOT (journal.type = 'redeemed' AND journal.held <> 0)");
        filters(sql, args, account, from, to, below);
        sql.append(" ORDER BY at DESC, seq DESC LIMIT $3");
        return client.preparedQuery(sql.toString()).execute(args).compose(rows -> {
            // The entries of one action are adjacent in journal order (one transaction, under the member's lock), but
            // its accounts may alternate (lots spent oldest first across accounts): an action is a block of adjacent
            // rows, and each account of a block is one item.
            List<List<CreditLog.Item>> blocks = new ArrayList<>();
            List<JournalEntry> blockOldest = new ArrayList<>();
            Map<String, Group> groups = new LinkedHashMap<>();
            List<Object> blockKey = null;
            JournalEntry previous = null;
            for (Row row : rows) {
                JournalEntry entry = entry(row);
                String penalized = row.getString("penalized");
                if (penalized != null) {
                    entry = entry.posted(Descriptions.penalty(penalized.equals("no_show") ? PenaltyRule.Kind.NO_SHOW
                            : PenaltyRule.Kind.LATE_CANCEL, row.getInteger("penalty_credits")));
                } else if (Boolean.TRUE.equals(row.getBoolean("hold_posted"))) {
                    entry = entry.posted(Descriptions.redeemed(row.getString("scheduler_name")));
                }
                Long action = row.getLong("action");
                // Entries written before actions were recorded are a line each.
                List<Object> key = java.util.Arrays.asList(action != null ? action : -entry.seq(), entry.memberId(),
                        entry.type(), entry.bookingId(), entry.purchaseId(), entry.at());
                if (!key.equals(blockKey) && !groups.isEmpty()) {
                    blocks.add(items(groups));
                    blockOldest.add(previous);
                    groups = new LinkedHashMap<>();
                }
                blockKey = key;
                previous = entry;
                groups.computeIfAbsent(entry.account(), a -> new Group()).add(entry, row);
            }
            boolean exhausted = rows.size() < fetch;
            // Unless every row was read, the last action may go on past them: it is left for the next read.
            if (!groups.isEmpty() && exhausted) {
                blocks.add(items(groups));
                blockOldest.add(previous);
            }
            List<CreditLog.Item> page = new ArrayList<>();
            int taken = 0;
            while (taken < blocks.size() && (page.isEmpty() || page.size() + blocks.get(taken).size() <= limit)) {
                page.addAll(blocks.get(taken));
                taken++;
            }
            if (taken == blocks.size() && !exhausted && page.size() < limit) {
                return actions(client, studioId, memberIds, account, from, to, below, limit, fetch * 4);
            }
            if (taken == blocks.size() && exhausted) {
                return Future.succeededFuture(new CreditLog.Page(page, null));
            }
            JournalEntry oldest = blockOldest.get(taken - 1);
            return Future.succeededFuture(new CreditLog.Page(page, new Position(oldest.at(), oldest.seq())));
        });
    }

    /** One account's entries of an action, as they are read. */
    private static final class Group {
        final List<JournalEntry> entries = new ArrayList<>();
        final java.util.Set<String> unlimited = new java.util.HashSet<>();
        String schedulerName;
        String counterpart;

        void add(JournalEntry entry, Row row) {
            entries.add(entry);
            schedulerName = row.getString("scheduler_name");
            if (row.getString("counterpart_member_id") != null) {
                counterpart = row.getString("counterpart_member_id");
            }
            if (Boolean.TRUE.equals(row.getBoolean("unlimited"))) {
                unlimited.add(entry.lotId());
            }
        }
    }

    private static List<CreditLog.Item> items(Map<String, Group> groups) {
        List<CreditLog.Item> items = new ArrayList<>();
        groups.values().forEach(g -> items.add(new CreditLog.Item(g.entries, g.unlimited, g.schedulerName,
                g.counterpart, null)));
        return items;
    }

    private static void filters(StringBuilder sql, Tuple args, String account, Instant from, Instant to,
                                Position below) {
        if (account != null) {
            args.addValue(account);
            sql.append(" AND account = $").append(args.size());
        }
        if (from != null) {
            args.addValue(Rows.timestamp(from));
            sql.append(" AND at >= $").append(args.size());
        }
        if (to != null) {
            args.addValue(Rows.timestamp(to));
            sql.append(" AND at < $").append(args.size());
        }
        if (below != null) {
            args.addValue(Rows.timestamp(below.at())).addValue(below.seq());
            sql.append(" AND (at, seq) < ($").append(args.size() - 1).append(", $").append(args.size()).append(")");
        }
    }

    /** Credits expired per lot, for the given lots. */
    public Future<java.util.Map<String, Integer>> expiredPerLot(SqlClient client, String studioId,
                                                                 List<String> lotIds) {
        if (lotIds.isEmpty()) {
            return Future.succeededFuture(java.util.Map.of());
        }
        return client.preparedQuery("""
                        SELECT lot_id, -sum(delta)::int AS expired FROM journal
                        WHERE studio_id = $1 AND lot_id = ANY($2) AND type = 'expired' GROUP BY lot_id""")
                .execute(Rows.args(studioId, lotIds.toArray(String[]::new)))
                .map(rows -> {
                    java.util.Map<String, Integer> out = new java.util.HashMap<>();
                    for (Row row : rows) {
                        out.put(row.getString("lot_id"), row.getInteger("expired"));
                    }
                    return out;
                });
    }

    static JournalEntry entry(Row row) {
        return new JournalEntry(row.getLong("seq"), row.getString("member_id"), row.getString("account"),
                row.getString("lot_id"), EntryType.fromWire(row.getString("type")), row.getInteger("delta"),
                row.getInteger("balance_after"), row.getString("description"), row.getString("reason"),
                row.getString("actor"), row.getString("booking_id"), row.getString("purchase_id"),
                row.getString("idempotency_key"), Rows.instant(row, "at"), row.getInteger("held"));
    }
}
