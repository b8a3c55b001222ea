package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.store.IdempotencyRepository.StoredResponse;

/**
 * A JSON answer: status and body.
 *
 * @param status the HTTP status
 * @param body   the JSON body
 */
public record Reply(int status, ObjectNode body) {

    public static Reply ok(ObjectNode body) {
        return new Reply(200, body);
    }

    public static Reply created(ObjectNode body) {
        return new Reply(201, body);
    }

    /** The form kept for idempotent replays. */
    public StoredResponse stored() {
        return new StoredResponse(status, Json.write(body));
    }

    /** A reply from its stored form. */
    public static Reply of(StoredResponse stored) {
        return new Reply(stored.status(), Json.read(stored.body()));
    }
}
