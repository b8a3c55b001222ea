package dev.creditline.store;

import dev.creditline.api.Lot;
import dev.creditline.ledger.AccountLimit;
import dev.creditline.ledger.Adjustment;
import dev.creditline.ledger.EntryDraft;
import dev.creditline.ledger.LotBook;
import dev.creditline.store.CatalogueRepository.Product;
import dev.creditline.store.MemberRepository.Member;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Grants credits to every active member with a tag: in chunks of {@link #CHUNK} members, a transaction each, every
 * member granted recorded with its lot in that transaction. Named by the request's Idempotency-Key, a bulk grant
 * that crashed halfway resumes where it stopped when the request is retried, and one that finished answers its count
 * again: each member gets one grant per request.
 */
public final class BulkGrants {
    /** Members granted per transaction. */
    static final int CHUNK = 500;

    /**
     * A bulk grant to make.
     *
     * @param account "master" or a product id
     */
    public record Request(String tag, String account, int amount, Instant expiresAt, String reason) {
    }

    /**
     * Its outcome.
     *
     * @param replayed whether it had finished before (a retry)
     */
    public record Result(String id, int granted, boolean replayed) {
    }

    private final LedgerWrites writes;
    private final MemberRepository members;
    private final LotRepository lots;
    private final CatalogueRepository catalogue;
    private final JournalRepository journal;

    @Inject
    public BulkGrants(LedgerWrites writes, MemberRepository members, LotRepository lots,
                      CatalogueRepository catalogue, JournalRepository journal) {
        this.journal = journal;
        this.writes = writes;
        this.members = members;
        this.lots = lots;
        this.catalogue = catalogue;
    }

    /** Starts, resumes or answers again the bulk grant of this key (a new one when there is no key). */
    public Future<Result> run(Pool pool, StudioContext s, Actor actor, Request request, String key,
                              byte[] requestHash) {
        String id = key == null ? Ids.next("blk") : Ids.derived("blk", s.id() + "\u0000" + key);
        return catalogue.accountProduct(pool, s.id(), request.account())
                .compose(product -> pool.preparedQuery("""
                                INSERT INTO bulk_grants (studio_id, id, request_hash, tag, account, amount, expires_at,
                                    reason, actor, created_at)
                                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (studio_id, id) DO NOTHING""")
                        .execute(Tuple.of(s.id(), id, Buffer.buffer(requestHash), request.tag(), request.account(),
                                        request.amount())
                                .addValue(Rows.timestamp(request.expiresAt())).addValue(request.reason())
                                .addValue(actor.name()).addValue(Rows.timestamp(s.now())))
                        .compose(inserted -> pool.preparedQuery("SELECT request_hash, granted, done_at"
                                        + " FROM bulk_grants WHERE studio_id = $1 AND id = $2")
                                .execute(Tuple.of(s.id(), id)))
                        .compose(rows -> {
                            Row row = rows.iterator().next();
                            if (!Arrays.equals(row.getBuffer("request_hash").getBytes(), requestHash)) {
                                throw Rejection.invalid("Idempotency-Key",
                                        "this Idempotency-Key was used for a different request; use a new key");
                            }
                            if (row.getValue("done_at") != null) {
                                return Future.succeededFuture(new Result(id, row.getInteger("granted"), true));
                            }
                            return chunks(pool, s, actor, id, request, product)
                                    .compose(done -> finish(pool, s, id))
                                    .map(granted -> new Result(id, granted, false));
                        }));
    }

    /** Grants chunk after chunk until no member is left. */
    private Future<Void> chunks(Pool pool, StudioContext s, Actor actor, String id, Request request,
                                Product product) {
        return pool.<Integer>withTransaction(c -> chunk(c, s, actor, id, request, product)).compose(n ->
                n == 0 ? Future.succeededFuture() : chunks(pool, s, actor, id, request, product));
    }

    /**
     * One chunk: the next members with the tag not granted yet, locked, each given a lot. Answers how many. Requests
     * that run one bulk grant at the same time (a retry while the first still runs) take its row's lock first, so
     * their chunks follow each other and each sees the members the one before granted.
     */
    private Future<Integer> chunk(SqlConnection c, StudioContext s, Actor actor, String id, Request request,
                                  Product product) {
        return c.preparedQuery("SELECT 1 FROM bulk_grants WHERE studio_id = $1 AND id = $2 FOR UPDATE")
                .execute(Tuple.of(s.id(), id))
                .compose(locked -> c.preparedQuery("""
                        SELECT m.id FROM members m
                        WHERE m.studio_id = $1 AND m.tags @> ARRAY[$2]::text[] AND m.deleted_at IS NULL
                          AND m.merged_into IS NULL
                          AND NOT EXISTS (SELECT 1 FROM bulk_grant_members g
                                          WHERE g.studio_id = $1 AND g.bulk_id = $3 AND g.member_id = m.id)
                        ORDER BY m.seq LIMIT $4""")
                .execute(Tuple.of(s.id(), request.tag(), id, CHUNK)))
                .map(rows -> Rows.all(rows, row -> row.getString("id")))
                .compose(ids -> ids.isEmpty() ? Future.succeededFuture(0)
                        : grantTo(c, s, actor, id, request, product, ids));
    }

    private Future<Integer> grantTo(SqlConnection c, StudioContext s, Actor actor, String id, Request request,
                                    Product product, List<String> ids) {
        Future<List<Member>> locked = members.lockAll(c, s.id(), ids);
        Future<List<Lot>> held = lots.liveOfMembers(c, s.id(), ids);
        return Future.all(locked, held).compose(read -> {
            Map<String, List<Lot>> byMember = new HashMap<>();
            held.result().forEach(lot -> byMember.computeIfAbsent(lot.memberId(), k -> new ArrayList<>()).add(lot));
            List<JournalEntry> entries = new ArrayList<>();
            List<Lot> created = new ArrayList<>();
            List<String[]> granted = new ArrayList<>();
            for (Member member : locked.result()) {
                if (!member.active()) {
                    continue;
                }
                LotBook book = new LotBook(byMember.getOrDefault(member.id(), List.of()), s.now());
                if (!AccountLimit.hasRoom(book, request.account(), request.amount())) {
                    // Recorded as passed over, so that the next chunk does not take the member again.
                    took(granted, member.id(), null);
                    continue;
                }
                Lot lot = CreditCommands.grantedLot(s, member.id(), request.account(), product, request.amount(),
                        request.expiresAt());
                EntryDraft draft = Adjustment.add(book, lot, actor.name());
                entries.add(JournalEntry.of(draft, new JournalEntry.Context(member.id(), actor, request.reason(),
                        null, null, "bulk:" + id, s.now())));
                created.addAll(book.created());
                took(granted, member.id(), lot.id());
            }
            if (granted.isEmpty()) {
                return Future.succeededFuture(ids.size());
            }
            // Sent together, executed in order: the lots, the entries that name them, the members granted.
            // The members in one statement, not one each: on Citus every statement is a round trip to a worker.
            return Future.all(lots.insert(c, s.id(), created), journal.append(c, s.id(), entries),
                            c.preparedQuery("INSERT INTO bulk_grant_members (studio_id, bulk_id, member_id, lot_id)"
                                    + " SELECT $1, $2, m, l FROM unnest($3::text[], $4::text[]) AS t(m, l)")
                                    .execute(Tuple.of(s.id(), id,
                                            granted.stream().map(g -> g[0]).toArray(String[]::new),
                                            granted.stream().map(g -> g[1]).toArray(String[]::new))))
                    .compose(done -> writes.after("bulk-chunk", c))
                    .map(ids.size());
        });
    }

    /** A member the chunk took: granted the lot, or (null) passed over. */
    private static void took(List<String[]> taken, String memberId, String lotId) {
        taken.add(new String[] {memberId, lotId});
    }

    /** Marks the bulk grant done with its count. */
    private Future<Integer> finish(Pool pool, StudioContext s, String id) {
        return pool.preparedQuery("""
                        UPDATE bulk_grants SET done_at = $3,
                            granted = (SELECT count(lot_id) FROM bulk_grant_members WHERE studio_id = $1
                                       AND bulk_id = $2)
                        WHERE studio_id = $1 AND id = $2 RETURNING granted""")
                .execute(Tuple.of(s.id(), id, Rows.timestamp(s.now())))
                .map(rows -> rows.iterator().next().getInteger("granted"));
    }
}
