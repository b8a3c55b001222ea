package dev.creditline.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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

    /**
     * Claims several keys at once (one round trip); answers, per key in order, whether this transaction holds it
     * now. A key not claimed was used before: its request is answered by {@link #claim} on its own.
     */
    public Future<List<Boolean>> claimAll(SqlClient client, String studioId, List<String> keys,
                                          List<byte[]> requestHashes) {
        if (keys.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        List<Tuple> batch = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            batch.add(Tuple.of(studioId, keys.get(i), Buffer.buffer(requestHashes.get(i))));
        }
        return client.preparedQuery("""
                        INSERT INTO idempotency_keys (studio_id, key, request_hash) VALUES ($1, $2, $3)
                        ON CONFLICT (studio_id, key) DO NOTHING""")
                .executeBatch(batch)
                .map(rows -> {
                    List<Boolean> claimed = new ArrayList<>();
                    for (RowSet<Row> each = rows; each != null; each = each.next()) {
                        claimed.add(each.rowCount() == 1);
                    }
                    return claimed;
                });
    }

    /** Stores the answers of keys claimed by {@link #claimAll}, in the claiming transaction. */
    public Future<Void> completeAll(SqlClient client, String studioId, Map<String, StoredResponse> responses) {
        if (responses.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Tuple> batch = new ArrayList<>();
        responses.forEach((key, response) -> batch.add(Tuple.of(studioId, key, response.status(), response.body())));
        return client.preparedQuery(
                        "UPDATE idempotency_keys SET status = $3, response = $4 WHERE studio_id = $1 AND key = $2")
                .executeBatch(batch)
                .mapEmpty();
    }

    /** Gives back keys claimed by {@link #claimAll} in this transaction whose requests it did not answer. */
    public Future<Void> releaseAll(SqlClient client, String studioId, List<String> keys) {
        if (keys.isEmpty()) {
            return Future.succeededFuture();
        }
        return client.preparedQuery("DELETE FROM idempotency_keys WHERE studio_id = $1 AND key = ANY($2)"
                        + " AND status IS NULL")
                .execute(Tuple.tuple().addValue(studioId).addValue(keys.toArray(String[]::new)))
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
