package dev.creditline.store;

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
 * The first answer to each {@code Idempotency-Key} of a studio. A key is claimed inside the transaction of the change
 * it guards, so the change and its answer commit together; a concurrent request with the same key waits on the claim
 * and then replays the answer.
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

    @Inject
    public IdempotencyRepository() {
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
     * Claims keys of several studios in one statement, in {@link ScopedId} order (every batch inserts in that order,
     * so two batches that share keys wait for each other at most once, never in a cycle); answers, per key in the order
     * given, what the claim found. A key another transaction holds makes this wait until that one ends, then shows its
     * answer.
     */
    public Future<List<Claim>> claimAll(SqlClient client, List<KeyClaim> claims) {
        if (claims.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        List<KeyClaim> sorted = claims.stream().sorted(Comparator.comparing(KeyClaim::scoped)).toList();
        return client.preparedQuery("""
                        INSERT INTO idempotency_keys (studio_id, key, request_hash)
                        SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[]) ORDER BY 1, 2
                        ON CONFLICT (studio_id, key) DO NOTHING RETURNING studio_id, key""")
                .execute(Rows.args(sorted.stream().map(KeyClaim::studioId).toArray(String[]::new),
                        sorted.stream().map(KeyClaim::key).toArray(String[]::new),
                        sorted.stream().map(k -> Buffer.buffer(k.requestHash())).toArray(Buffer[]::new)))
                .compose(inserted -> {
                    Set<ScopedId> claimed = new HashSet<>();
                    inserted.forEach(row -> claimed.add(new ScopedId(row.getString("studio_id"), row.getString("key"))));
                    List<KeyClaim> used = claims.stream().filter(k -> !claimed.contains(k.scoped())).toList();
                    return storedAnswers(client, used).map(stored -> claims.stream().map(k -> claimed.contains(k.scoped())
                            ? new Claimed() : stored.get(k.scoped()).against(k.requestHash())).toList());
                });
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
                        JOIN idempotency_keys k ON k.studio_id = want.studio_id AND k.key = want.key""")
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

    /** Stores the answers of keys claimed by {@link #claimAll}, in the claiming transaction. */
    public Future<Void> completeAll(SqlClient client, Map<ScopedId, StoredResponse> responses) {
        if (responses.isEmpty()) {
            return Future.succeededFuture();
        }
        List<ScopedId> keys = List.copyOf(responses.keySet());
        return client.preparedQuery("""
                        UPDATE idempotency_keys k SET status = a.status, response = a.response
                        FROM unnest($1::text[], $2::text[], $3::int[], $4::text[]) AS a(studio_id, key, status, response)
                        WHERE k.studio_id = a.studio_id AND k.key = a.key""")
                .execute(Rows.args(ScopedId.studios(keys), ScopedId.ids(keys),
                        keys.stream().map(k -> responses.get(k).status()).toArray(Integer[]::new),
                        keys.stream().map(k -> responses.get(k).body()).toArray(String[]::new)))
                .mapEmpty();
    }

    /** Gives back keys claimed by {@link #claimAll} in this transaction whose requests it did not answer. */
    public Future<Void> releaseAll(SqlClient client, Collection<ScopedId> keys) {
        if (keys.isEmpty()) {
            return Future.succeededFuture();
        }
        List<ScopedId> list = List.copyOf(keys);
        return client.preparedQuery("""
                        DELETE FROM idempotency_keys k USING unnest($1::text[], $2::text[]) AS r(studio_id, key)
                        WHERE k.studio_id = r.studio_id AND k.key = r.key AND k.status IS NULL""")
                .execute(Rows.args(ScopedId.studios(list), ScopedId.ids(list)))
                .mapEmpty();
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
        return client.preparedQuery("DELETE FROM idempotency_keys WHERE created_at < $1")
                .execute(Tuple.of(Rows.timestamp(before)))
                .map(rows -> rows.rowCount());
    }
}
