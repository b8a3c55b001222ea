package dev.creditline.store;

import dev.creditline.store.citus.Distribution;
import dev.creditline.store.citus.MultiShard;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The first answer to each {@code Idempotency-Key} of a studio, written in the transaction of the change it guards, so
 * the change and its answer commit together. A single write claims its key first ({@link #claim}: a concurrent
 * request with the same key waits on the claim and then replays the answer); the write pipeline looks its keys up
 * ({@link #lookupAll}) and stores them with their answers at the end ({@link #storeAll}).
 */
public final class IdempotencyRepository {

    /**
     * An answer stored for a key.
     *
     * @param status the HTTP status
     * @param body   the response body
     */
    public record StoredResponse(int status, String body) {
    }

    /** What a claim found. */
    public sealed interface Claim permits Claimed, Replay, Mismatch {
    }

    /** The key is new: this request runs and must {@link #complete} it. */
    public record Claimed() implements Claim {
    }

    /** The key was used by the same request: answer with the stored response. */
    public record Replay(StoredResponse response) implements Claim {
    }

    /** The key was used by another request. */
    public record Mismatch() implements Claim {
    }

    private final Distribution distribution;

    @Inject
    public IdempotencyRepository(Distribution distribution) {
        this.distribution = distribution;
    }

    /**
     * Claims the key for a request with the given hash. Blocks (in the database) while another transaction holds a
     * claim on the same key, then sees its answer.
     */
    public Future<Claim> claim(SqlClient client, String studioId, String key, byte[] requestHash) {
        return client.preparedQuery("""
                        INSERT INTO idempotency_keys (studio_id, key, request_hash) VALUES ($1, $2, $3)
                        ON CONFLICT (studio_id, key) DO NOTHING""")
                .execute(Tuple.of(studioId, key, Buffer.buffer(requestHash)))
                .compose(inserted -> inserted.rowCount() == 1
                        ? Future.succeededFuture(new Claimed())
                        : existing(client, studioId, key, requestHash));
    }

    /** A key to claim for a request of a studio. */
    public record KeyClaim(String studioId, String key, byte[] requestHash) {
        ScopedId scoped() {
            return new ScopedId(studioId, key);
        }
    }

    /**
     * What each key of several studios was used for before, in the order given: {@link Claimed} for a key never
     * answered. Takes no lock and waits for nothing: the batch that then answers a key {@link #storeAll stores} it,
     * and of two transactions that answered one key at once, only the first commits.
     */
    public Future<List<Claim>> lookupAll(SqlClient client, List<KeyClaim> claims) {
        return storedAnswers(client, claims).map(stored -> claims.stream().map(k -> {
            Stored found = stored.get(k.scoped());
            return found == null ? (Claim) new Claimed() : found.against(k.requestHash());
        }).toList());
    }

    /** A key's request and the answer it got, to store. */
    public record KeyAnswer(KeyClaim key, StoredResponse response) {
    }

    /**
     * The key of a batch's request was answered meanwhile by another transaction (another node's): the batch must
     * roll back, and its requests find that answer when they run again.
     */
    public static final class KeyTaken extends RuntimeException {
        KeyTaken(int taken) {
            super(taken + " idempotency key(s) answered meanwhile by another transaction");
        }
    }

    /**
     * Stores the answers of keys {@link #lookupAll} found new, in the transaction that made the changes they guard,
     * so the change and its answer commit together; one statement, in {@link ScopedId} order (two batches that share
     * keys wait for each other at most once, never in a cycle). Fails with {@link KeyTaken} when another transaction
     * stored one of them first (waiting for it to end): the caller's rollback then undoes this transaction's changes.
     */
    public Future<Void> storeAll(SqlClient client, List<KeyAnswer> answers) {
        if (answers.isEmpty()) {
            return Future.succeededFuture();
        }
        List<KeyAnswer> sorted = answers.stream().sorted(Comparator.comparing(a -> a.key().scoped())).toList();
        return client.preparedQuery("""
                        INSERT INTO idempotency_keys (studio_id, key, request_hash, status, response)
                        SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::int[], $5::text[]) ORDER BY 1, 2
                        ON CONFLICT (studio_id, key) DO NOTHING RETURNING key""")
                .execute(Rows.args(sorted.stream().map(a -> a.key().studioId()).toArray(String[]::new),
                        sorted.stream().map(a -> a.key().key()).toArray(String[]::new),
                        sorted.stream().map(a -> Buffer.buffer(a.key().requestHash())).toArray(Buffer[]::new),
                        sorted.stream().map(a -> a.response().status()).toArray(Integer[]::new),
                        sorted.stream().map(a -> a.response().body()).toArray(String[]::new)))
                // The rows returned, not the row count: Citus counts the rows it pulled through its coordinator,
                // whether or not they conflicted.
                .compose(inserted -> inserted.size() == answers.size() ? Future.<Void>succeededFuture()
                        : Future.failedFuture(new KeyTaken(answers.size() - inserted.size())));
    }

    /** A key's first request and its answer, as stored. */
    private record Stored(byte[] requestHash, StoredResponse response) {
        Claim against(byte[] hash) {
            return Arrays.equals(requestHash, hash) ? new Replay(response) : new Mismatch();
        }
    }

    private Future<Map<ScopedId, Stored>> storedAnswers(SqlClient client, List<KeyClaim> keys) {
        if (keys.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        return client.preparedQuery("""
                        SELECT k.studio_id, k.key, k.request_hash, k.status, k.response
                        FROM unnest($1::text[], $2::text[]) AS want(studio_id, key)
                        JOIN idempotency_keys k ON %sk.studio_id = want.studio_id
                          AND k.key = want.key""".formatted(distribution.batchShard("k.studio_id")))
                .execute(Rows.args(keys.stream().map(KeyClaim::studioId).toArray(String[]::new),
                        keys.stream().map(KeyClaim::key).toArray(String[]::new)))
                .map(rows -> {
                    Map<ScopedId, Stored> found = new HashMap<>();
                    rows.forEach(row -> found.put(new ScopedId(row.getString("studio_id"), row.getString("key")),
                            new Stored(row.getBuffer("request_hash").getBytes(),
                                    new StoredResponse(row.getInteger("status"), row.getString("response")))));
                    return found;
                });
    }

    private Future<Claim> existing(SqlClient client, String studioId, String key, byte[] requestHash) {
        return client.preparedQuery(
                        "SELECT request_hash, status, response FROM idempotency_keys WHERE studio_id = $1 AND key = $2")
                .execute(Tuple.of(studioId, key))
                .map(rows -> {
                    var row = rows.iterator().next();
                    if (!Arrays.equals(row.getBuffer("request_hash").getBytes(), requestHash)) {
                        return new Mismatch();
                    }
                    return new Replay(new StoredResponse(row.getInteger("status"), row.getString("response")));
                });
    }

    /** Stores the answer of a claimed key, in the claiming transaction. */
    public Future<Void> complete(SqlClient client, String studioId, String key, StoredResponse response) {
        return client.preparedQuery("UPDATE idempotency_keys SET status = $3, response = $4 WHERE studio_id = $1 AND key = $2")
                .execute(Tuple.of(studioId, key, response.status(), response.body()))
                .mapEmpty();
    }

    /**
     * Stores a refusal (the change rolled back) as the key's answer, unless a concurrent request stored one first.
     * Returns the claim that now holds.
     */
    public Future<Claim> remember(SqlClient client, String studioId, String key, byte[] requestHash,
                                  StoredResponse response) {
        return client.preparedQuery("""
                        INSERT INTO idempotency_keys (studio_id, key, request_hash, status, response)
                        VALUES ($1, $2, $3, $4, $5) ON CONFLICT (studio_id, key) DO NOTHING""")
                .execute(Tuple.of(studioId, key, Buffer.buffer(requestHash), response.status(), response.body()))
                .compose(inserted -> inserted.rowCount() == 1
                        ? Future.succeededFuture(new Replay(response))
                        : existing(client, studioId, key, requestHash));
    }

    /** Forgets answers older than the given instant; returns how many. */
    public Future<Integer> purgeBefore(SqlClient client, Instant before) {
        return MultiShard.query(client, "DELETE FROM idempotency_keys WHERE created_at < $1",
                        Tuple.of(Rows.timestamp(before)))
                .map(rows -> rows.rowCount());
    }
}
