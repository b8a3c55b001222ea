-- A subscription: a product of kind subscription, sold to a member. Each billing period that is paid issues the
-- period's credits (a top-up, or one unlimited lot valid for the period) with a purchase of its own. A payment
-- provider says when a period is paid and what the status is; a subscription added without payment ('none') is
-- renewed by the kernel at the end of each period until it is cancelled.
CREATE TABLE subscriptions (
    studio_id            text        NOT NULL REFERENCES studios (id),
    id                   text        NOT NULL,
    member_id            text        NOT NULL,
    product_id           text        NOT NULL,
    product_version      integer     NOT NULL,
    purchase_id          text        NOT NULL,
    payment              text        NOT NULL,
    provider_reference   text,
    status               text        NOT NULL
        CHECK (status IN ('pending', 'active', 'past_due', 'paused', 'canceled')),
    current_period_start timestamptz,
    current_period_end   timestamptz,
    cancel_at_period_end boolean     NOT NULL DEFAULT false,
    canceled_at          timestamptz,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    PRIMARY KEY (studio_id, id),
    FOREIGN KEY (studio_id, member_id) REFERENCES members (studio_id, id),
    FOREIGN KEY (studio_id, product_id, product_version) REFERENCES product_versions (studio_id, product_id, version),
    FOREIGN KEY (studio_id, purchase_id) REFERENCES purchases (studio_id, id),
    CHECK ((current_period_start IS NULL) = (current_period_end IS NULL))
);
CREATE INDEX subscriptions_by_member ON subscriptions (studio_id, member_id);
CREATE UNIQUE INDEX subscriptions_by_purchase ON subscriptions (studio_id, purchase_id);
CREATE UNIQUE INDEX subscriptions_by_provider_reference ON subscriptions (studio_id, payment, provider_reference)
    WHERE provider_reference IS NOT NULL;
-- The renewals the kernel makes itself, by when they fall due.
CREATE INDEX subscriptions_due ON subscriptions (current_period_end) WHERE payment = 'none' AND status = 'active';

-- A purchase of a subscription pays for one billing period: each period is paid (and issues credits) once.
ALTER TABLE purchases ADD COLUMN subscription_id text;
ALTER TABLE purchases ADD COLUMN period_start timestamptz;
ALTER TABLE purchases ADD COLUMN period_end timestamptz;
ALTER TABLE purchases ADD FOREIGN KEY (studio_id, subscription_id) REFERENCES subscriptions (studio_id, id);
CREATE UNIQUE INDEX purchases_one_per_period ON purchases (studio_id, subscription_id, period_start)
    WHERE subscription_id IS NOT NULL AND period_start IS NOT NULL;

-- A lot knows its subscription, and whether that is not active (then it cannot pay: subscription_inactive); the
-- flag changes with the subscription's status. Usage limits are copied from the product, like its other terms.
ALTER TABLE lots ADD COLUMN subscription_id text;
ALTER TABLE lots ADD COLUMN suspended boolean NOT NULL DEFAULT false;
ALTER TABLE lots ADD COLUMN usage_limits jsonb NOT NULL DEFAULT '[]';
ALTER TABLE lots ADD FOREIGN KEY (studio_id, subscription_id) REFERENCES subscriptions (studio_id, id);
CREATE INDEX lots_by_subscription ON lots (studio_id, subscription_id) WHERE subscription_id IS NOT NULL AND live;

-- Finite subscription credits carried into a new period are capped at this many (null: no cap).
ALTER TABLE product_versions ADD COLUMN rollover_max integer CHECK (rollover_max >= 0);

-- Usage limits count a member's bookings by when the class starts.
CREATE INDEX bookings_by_member_start ON bookings (studio_id, member_id, starts_at);

-- The bookings a lot paid for (the usage of an unlimited period).
CREATE INDEX booking_allocations_by_lot ON booking_allocations (studio_id, lot_id);
