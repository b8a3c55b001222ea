package dev.creditline.store;

import dev.creditline.store.citus.MultiShard;
import dev.creditline.api.Lot;
import dev.creditline.ledger.EntryDraft;
import dev.creditline.ledger.LotBook;
import dev.creditline.ledger.Removal;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code expired} entries for lots whose expiry has passed, for their free credits: those a booking holds are
 * not the sweep's (they post or are released first; a cancellation expires released ones at once). Safe on several
 * nodes at once: members are locked ({@code SKIP LOCKED} for the periodic sweep), and a lot already expired holds no credits, so a second pass finds
 * nothing to do. Each entry is dated at the lot's expiry, whenever the sweep runs.
 */
public final class ExpirySweep {
    private final LotRepository lots;
    private final JournalRepository journal;

    @Inject
    public ExpirySweep(LotRepository lots, JournalRepository journal) {
        this.lots = lots;
        this.journal = journal;
    }

    /**
     * One batch of the periodic sweep over every studio: real-time studios at {@code realNow}, test-mode studios at
     * their own clock. Members another transaction holds are skipped until the next batch.
     *
     * @return the number of lots expired (0 when nothing was due or every due member was busy)
     */
    public Future<Integer> sweepBatch(Pool pool, Instant realNow, int batchSize) {
        // Each studio is swept at its own time: the real one, or a test-mode studio's clock. Due lots, not
        // DISTINCT members: the index scan stops at the limit instead of collecting every due lot first, and the
        // members of the batch are told apart here.
        return MultiShard.query(pool, """
                        (SELECT l.studio_id, l.member_id, $1::timestamptz AS now
                         FROM lots l JOIN studios s ON s.id = l.studio_id
                         WHERE l.live AND l.remaining > l.held AND l.expires_at <= $1 AND NOT s.test_mode LIMIT $2)
                        UNION ALL
                        (SELECT l.studio_id, l.member_id, s.clock_now AS now
                         FROM lots l JOIN studios s ON s.id = l.studio_id
                         WHERE l.live AND l.remaining > l.held AND s.test_mode AND l.expires_at <= s.clock_now LIMIT $2)""",
                        Tuple.of(Rows.timestamp(realNow), batchSize))
                .compose(rows -> DuePerStudio.run(pool, rows, "member_id",
                        (c, studioId, members, now) -> expireMembers(c, studioId, members, now, true)));
    }

    /**
     * Expires everything due in one test-mode studio at its clock's {@code now}, waiting for members that are busy.
     *
     * @return the number of lots expired
     */
    public Future<Integer> sweepStudio(Pool pool, String studioId, Instant now, int batchSize) {
        return pool.preparedQuery("""
                        SELECT member_id FROM lots
                        WHERE studio_id = $1 AND live AND remaining > held AND expires_at <= $2 LIMIT $3""")
                .execute(Tuple.of(studioId, Rows.timestamp(now), batchSize))
                .compose(rows -> {
                    List<String> due = Rows.all(rows, row -> row.getString("member_id")).stream().distinct().toList();
                    if (due.isEmpty()) {
                        return Future.succeededFuture(0);
                    }
                    return pool.withTransaction(c -> expireMembers(c, studioId, due, now, false))
                            .compose(expired -> expired == 0
                                    ? Future.succeededFuture(0)
                                    : sweepStudio(pool, studioId, now, batchSize).map(more -> expired + more));
                });
    }

    private Future<Integer> expireMembers(SqlConnection c, String studioId, List<String> memberIds, Instant now,
                                          boolean skipLocked) {
        // Locked in the order MemberRepository#lockAll locks members, one primary-key lookup each.
        return c.preparedQuery("SELECT m.id FROM unnest($2::text[]) WITH ORDINALITY AS want(id, n), LATERAL"
                        + " (SELECT id FROM members WHERE studio_id = $1 AND id = want.id FOR UPDATE"
                        + (skipLocked ? " SKIP LOCKED" : "") + ") m ORDER BY want.n")
                .execute(Rows.args(studioId, memberIds.stream().distinct().sorted().toArray(String[]::new)))
                .compose(rows -> {
                    List<String> locked = Rows.all(rows, row -> row.getString("id"));
                    if (locked.isEmpty()) {
                        return Future.succeededFuture(0);
                    }
                    return lots.liveOfMembers(c, studioId, locked).compose(live -> {
                        Map<String, List<Lot>> byMember = new HashMap<>();
                        live.forEach(lot -> byMember.computeIfAbsent(lot.memberId(), k -> new ArrayList<>()).add(lot));
                        List<Lot> changed = new ArrayList<>();
                        List<JournalEntry> entries = new ArrayList<>();
                        for (var member : byMember.entrySet()) {
                            LotBook book = new LotBook(member.getValue(), now);
                            for (EntryDraft draft : Removal.expireDue(book)) {
                                Lot lot = book.lot(draft.lotId());
                                entries.add(JournalEntry.of(draft, new JournalEntry.Context(member.getKey(),
                                        Actor.SYSTEM, null, null, lot.purchaseId(), null, lot.expiresAt())));
                            }
                            changed.addAll(book.changed());
                        }
                        return lots.update(c, studioId, changed)
                                .compose(done -> journal.append(c, studioId, entries))
                                .map(entries.size());
                    });
                });
    }
}
