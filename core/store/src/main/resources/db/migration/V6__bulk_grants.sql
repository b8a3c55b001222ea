-- A grant to every member with a tag, made in chunks (a transaction each) so that thousands of members never wait
-- on one lock: each member granted is recorded with the lot it got, in the chunk's transaction, so a retry (the same
-- Idempotency-Key) after a crash halfway grants the rest and nobody twice.
CREATE TABLE bulk_grants (
    studio_id    text        NOT NULL REFERENCES studios (id),
    id           text        NOT NULL,
    request_hash bytea       NOT NULL,
    tag          text        NOT NULL,
    account      text        NOT NULL,
    amount       integer     NOT NULL CHECK (amount > 0),
    expires_at   timestamptz,
    reason       text        NOT NULL,
    actor        text        NOT NULL,
    created_at   timestamptz NOT NULL,
    done_at      timestamptz,
    granted      integer,
    PRIMARY KEY (studio_id, id)
);

CREATE TABLE bulk_grant_members (
    studio_id text NOT NULL,
    bulk_id   text NOT NULL,
    member_id text NOT NULL,
    lot_id    text, -- null: not granted (the account is at its limit)
    PRIMARY KEY (studio_id, bulk_id, member_id),
    FOREIGN KEY (studio_id, bulk_id) REFERENCES bulk_grants (studio_id, id),
    FOREIGN KEY (studio_id, lot_id) REFERENCES lots (studio_id, id)
);
