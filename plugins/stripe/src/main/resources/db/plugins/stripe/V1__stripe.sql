-- What the plugin knows of Stripe's objects, per studio: which payment paid which purchase (for refunds), which
-- Stripe subscription is which ledger subscription (to route its events), the refunds it made, and the events it
-- handled (a replayed event changes nothing).
CREATE TABLE payments (
    studio_id      text        NOT NULL,
    purchase_id    text        NOT NULL,
    payment_intent text        NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (studio_id, purchase_id)
);
CREATE INDEX payments_by_intent ON payments (payment_intent);

CREATE TABLE subscriptions (
    subscription_id text        PRIMARY KEY,
    studio_id       text        NOT NULL,
    purchase_id     text        NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE refunds (
    refund_id   text        PRIMARY KEY,
    studio_id   text        NOT NULL,
    purchase_id text        NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE events (
    studio_id   text        NOT NULL,
    event_id    text        NOT NULL,
    type        text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (studio_id, event_id)
);

-- The creation time (Stripe's, in seconds) of the newest subscription event applied: an older one that arrives
-- later does not undo it.
ALTER TABLE subscriptions ADD COLUMN last_event_at bigint NOT NULL DEFAULT 0;
