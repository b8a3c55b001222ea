-- What the test plugin's extensions received, for tests to read back.
CREATE TABLE notifications (
    studio_id text        NOT NULL,
    key       text        NOT NULL,
    member_id text        NOT NULL,
    kind      text        NOT NULL,
    text      text        NOT NULL,
    at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (studio_id, key)
);
CREATE TABLE received (
    studio_id text        NOT NULL,
    entry_id  bigint      NOT NULL,
    member_id text        NOT NULL,
    type      text        NOT NULL,
    delta     integer     NOT NULL,
    deliveries integer    NOT NULL DEFAULT 1,
    PRIMARY KEY (studio_id, entry_id)
);
CREATE TABLE payments (
    studio_id       text   NOT NULL,
    id              bigint GENERATED ALWAYS AS IDENTITY,
    purchase_id     text   NOT NULL,
    kind            text   NOT NULL,
    amount_minor    bigint NOT NULL,
    currency        char(3) NOT NULL,
    idempotency_key text   NOT NULL,
    PRIMARY KEY (studio_id, id)
);
