-- Creditline's ledger schema. Every table is keyed by studio first: every query is scoped by it, and the schema can
-- be distributed by studio id. Money is in minor units with an ISO 4217 code; times are UTC instants; periods are
-- ISO 8601 text.

-- Server-wide settings, such as the hash of a generated admin token.
CREATE TABLE server_settings (
    name       text PRIMARY KEY,
    value      text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE studios (
    id                text PRIMARY KEY,
    name              text        NOT NULL,
    timezone          text        NOT NULL,
    currency          char(3)     NOT NULL,
    test_mode         boolean     NOT NULL DEFAULT false,
    -- A test-mode studio's own clock; NULL for studios on real time.
    clock_now         timestamptz,
    consumption_order text        NOT NULL DEFAULT 'fifo' CHECK (consumption_order IN ('fifo', 'earliest_expiry')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (test_mode = (clock_now IS NOT NULL))
);

CREATE TABLE members (
    studio_id   text        NOT NULL REFERENCES studios (id),
    id          text        NOT NULL,
    seq         bigint GENERATED ALWAYS AS IDENTITY,
    name        text,
    email       text,
    external_id text,
    tags        text[]      NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    -- Erasure keeps the row (the journal points at it) and drops the personal data.
    deleted_at  timestamptz,
    merged_into text,
    PRIMARY KEY (studio_id, id),
    FOREIGN KEY (studio_id, merged_into) REFERENCES members (studio_id, id)
);
CREATE UNIQUE INDEX members_external_id ON members (studio_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX members_by_seq ON members (studio_id, seq);
CREATE INDEX members_by_tag ON members USING gin (tags);

CREATE TABLE api_keys (
    studio_id  text        NOT NULL REFERENCES studios (id),
    id         text        NOT NULL,
    key_hash   bytea       NOT NULL UNIQUE,
    role       text        NOT NULL CHECK (role IN ('owner', 'coach', 'athlete')),
    member_id  text,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    PRIMARY KEY (studio_id, id),
    FOREIGN KEY (studio_id, member_id) REFERENCES members (studio_id, id),
    CHECK ((role = 'athlete') = (member_id IS NOT NULL))
);

CREATE TABLE trainers (
    studio_id  text        NOT NULL REFERENCES studios (id),
    id         text        NOT NULL,
    name       text        NOT NULL,
    active     boolean     NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (studio_id, id)
);

CREATE TABLE schedulers (
    studio_id           text        NOT NULL REFERENCES studios (id),
    id                  text        NOT NULL,
    name                text        NOT NULL,
    credit_cost         integer     NOT NULL CHECK (credit_cost > 0),
    payment_mode        text        NOT NULL CHECK (payment_mode IN ('credits', 'direct', 'both')),
    trainer_id          text,
    cancellation_window text        NOT NULL,
    price_minor         bigint CHECK (price_minor >= 0),
    price_currency      char(3),
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    PRIMARY KEY (studio_id, id),
    FOREIGN KEY (studio_id, trainer_id) REFERENCES trainers (studio_id, id),
    CHECK ((price_minor IS NULL) = (price_currency IS NULL))
);

CREATE TABLE products (
    studio_id       text        NOT NULL REFERENCES studios (id),
    id              text        NOT NULL,
    current_version integer     NOT NULL,
    active          boolean     NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (studio_id, id)
);

-- A product's terms as sold: PATCH adds a version, and lots keep the version they were sold as.
CREATE TABLE product_versions (
    studio_id                text        NOT NULL,
    product_id               text        NOT NULL,
    version                  integer     NOT NULL CHECK (version > 0),
    name                     text        NOT NULL,
    kind                     text        NOT NULL CHECK (kind IN ('package', 'subscription')),
    credits                  integer CHECK (credits > 0),
    unlimited                boolean     NOT NULL DEFAULT false,
    price_minor              bigint      NOT NULL CHECK (price_minor >= 0),
    currency                 char(3)     NOT NULL,
    validity                 text,
    validity_start           text        NOT NULL CHECK (validity_start IN ('purchase', 'first_use')),
    billing_interval         text,
    redeemable_scheduler_ids text[],
    trainer_id               text,
    usage_limits             jsonb       NOT NULL DEFAULT '[]',
    created_at               timestamptz NOT NULL,
    PRIMARY KEY (studio_id, product_id, version),
    FOREIGN KEY (studio_id, product_id) REFERENCES products (studio_id, id),
    FOREIGN KEY (studio_id, trainer_id) REFERENCES trainers (studio_id, id),
    CHECK (unlimited = (credits IS NULL)),
    CHECK ((kind = 'subscription') = (billing_interval IS NOT NULL))
);

CREATE TABLE purchases (
    studio_id       text        NOT NULL REFERENCES studios (id),
    id              text        NOT NULL,
    member_id       text        NOT NULL,
    product_id      text        NOT NULL,
    product_version integer     NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'completed', 'voided', 'refunded')),
    payment         text        NOT NULL,
    price_minor     bigint      NOT NULL CHECK (price_minor >= 0),
    currency        char(3)     NOT NULL,
    created_at      timestamptz NOT NULL,
    actor           text        NOT NULL,
    voided_at       timestamptz,
    PRIMARY KEY (studio_id, id),
    FOREIGN KEY (studio_id, member_id) REFERENCES members (studio_id, id),
    FOREIGN KEY (studio_id, product_id, product_version) REFERENCES product_versions (studio_id, product_id, version)
);
CREATE INDEX purchases_by_member ON purchases (studio_id, member_id);

-- A block of credits. remaining = the sum of the lot's journal deltas (the first issued quantity); the journal is
-- the truth and this row is its running total, kept under the member's row lock.
CREATE TABLE lots (
    studio_id                text        NOT NULL,
    id                       text        NOT NULL,
    seq                      bigint GENERATED ALWAYS AS IDENTITY,
    member_id                text        NOT NULL,
    account                  text        NOT NULL,
    product_id               text,
    product_version          integer,
    purchase_id              text,
    quantity                 integer     NOT NULL CHECK (quantity >= 0),
    remaining                integer     NOT NULL CHECK (remaining >= 0),
    unlimited                boolean     NOT NULL DEFAULT false,
    acquired_at              timestamptz NOT NULL,
    valid_from               timestamptz NOT NULL,
    expires_at               timestamptz,
    validity                 text,
    validity_start           text        NOT NULL CHECK (validity_start IN ('purchase', 'first_use')),
    cost_minor               bigint      NOT NULL CHECK (cost_minor >= 0),
    currency                 char(3)     NOT NULL,
    category                 text        NOT NULL CHECK (category IN ('paid', 'promotional')),
    redeemable_scheduler_ids text[],
    trainer_id               text,
    paused                   boolean     NOT NULL DEFAULT false,
    -- Set when the lot's purchase was voided: refunds to it are voided again.
    voided_at                timestamptz,
    PRIMARY KEY (studio_id, id),
    FOREIGN KEY (studio_id, member_id) REFERENCES members (studio_id, id),
    FOREIGN KEY (studio_id, purchase_id) REFERENCES purchases (studio_id, id),
    FOREIGN KEY (studio_id, product_id, product_version) REFERENCES product_versions (studio_id, product_id, version),
    CHECK (unlimited OR quantity > 0),
    CHECK ((account = 'master') = (product_id IS NULL))
);
-- The member's live lots: what every booking reads.
CREATE INDEX lots_live ON lots (studio_id, member_id) WHERE remaining > 0;
-- Lots due to expire: what the sweep reads.
CREATE INDEX lots_due ON lots (expires_at) WHERE remaining > 0 AND expires_at IS NOT NULL;
CREATE INDEX lots_by_member_expiry ON lots (studio_id, member_id, expires_at);
CREATE INDEX lots_by_purchase ON lots (studio_id, purchase_id) WHERE purchase_id IS NOT NULL;

CREATE TABLE bookings (
    studio_id      text        NOT NULL,
    id             text        NOT NULL,
    member_id      text        NOT NULL,
    scheduler_id   text        NOT NULL,
    scheduler_name text        NOT NULL,
    starts_at      timestamptz NOT NULL,
    -- The deadline for a cancellation with refund, fixed when booked.
    cancel_by      timestamptz NOT NULL,
    status         text        NOT NULL CHECK (status IN ('booked', 'cancelled', 'late_cancelled')),
    pay_with       text        NOT NULL CHECK (pay_with IN ('credits', 'direct')),
    cost           integer     NOT NULL CHECK (cost >= 0),
    refunded       integer     NOT NULL DEFAULT 0 CHECK (refunded >= 0),
    created_at     timestamptz NOT NULL,
    actor          text        NOT NULL,
    cancelled_at   timestamptz,
    PRIMARY KEY (studio_id, id),
    FOREIGN KEY (studio_id, member_id) REFERENCES members (studio_id, id),
    FOREIGN KEY (studio_id, scheduler_id) REFERENCES schedulers (studio_id, id)
);
CREATE INDEX bookings_by_member ON bookings (studio_id, member_id, created_at);

CREATE TABLE booking_allocations (
    studio_id  text    NOT NULL,
    booking_id text    NOT NULL,
    lot_id     text    NOT NULL,
    account    text    NOT NULL,
    credits    integer NOT NULL CHECK (credits >= 0),
    position   integer NOT NULL,
    PRIMARY KEY (studio_id, booking_id, lot_id),
    FOREIGN KEY (studio_id, booking_id) REFERENCES bookings (studio_id, id),
    FOREIGN KEY (studio_id, lot_id) REFERENCES lots (studio_id, id)
);

-- The journal: one row per change of a lot's remaining credits. Append-only (see the trigger below).
CREATE TABLE journal (
    studio_id       text        NOT NULL,
    seq             bigint GENERATED ALWAYS AS IDENTITY,
    member_id       text        NOT NULL,
    account         text        NOT NULL,
    lot_id          text        NOT NULL,
    type            text        NOT NULL CHECK (type IN ('purchased', 'granted', 'set', 'redeemed', 'refunded',
                                                         'expired', 'transferred', 'forfeited', 'voided')),
    delta           integer     NOT NULL CHECK (delta <> 0),
    balance_after   integer     NOT NULL,
    description     text        NOT NULL,
    reason          text,
    actor           text        NOT NULL,
    booking_id      text,
    purchase_id     text,
    idempotency_key text,
    -- The studio's time of the change (a test-mode studio's clock), and the server's.
    at              timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (studio_id, seq),
    FOREIGN KEY (studio_id, member_id) REFERENCES members (studio_id, id),
    FOREIGN KEY (studio_id, lot_id) REFERENCES lots (studio_id, id)
);
-- Credit logs, newest first.
CREATE INDEX journal_by_member ON journal (studio_id, member_id, at DESC, seq DESC);
CREATE INDEX journal_by_lot ON journal (studio_id, lot_id);

CREATE FUNCTION journal_is_append_only() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'the journal is append-only: % is not allowed; write a compensating entry', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER journal_no_update_or_delete
    BEFORE UPDATE OR DELETE ON journal
    FOR EACH ROW EXECUTE FUNCTION journal_is_append_only();
CREATE TRIGGER journal_no_truncate
    BEFORE TRUNCATE ON journal
    FOR EACH STATEMENT EXECUTE FUNCTION journal_is_append_only();

-- The first answer to each Idempotency-Key, replayed to retries.
CREATE TABLE idempotency_keys (
    studio_id    text        NOT NULL REFERENCES studios (id),
    key          text        NOT NULL,
    request_hash bytea       NOT NULL,
    status       integer,
    response     text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (studio_id, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
