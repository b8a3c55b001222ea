-- Voucher codes and their redemptions. A voucher's value is in the column of its type.
CREATE TABLE vouchers (
    studio_id       text        NOT NULL,
    code            text        NOT NULL,
    type            text        NOT NULL CHECK (type IN ('percent', 'amount', 'free_credits', 'free_package')),
    percent         integer CHECK (percent BETWEEN 1 AND 100),
    amount_minor    bigint CHECK (amount_minor > 0),
    currency        char(3),
    credits         integer CHECK (credits > 0),
    product_id      text,
    product_ids     text[],
    max_redemptions integer CHECK (max_redemptions > 0),
    once_per_member boolean     NOT NULL DEFAULT false,
    valid_from      timestamptz,
    valid_until     timestamptz,
    redemptions     integer     NOT NULL DEFAULT 0 CHECK (redemptions >= 0),
    created_at      timestamptz NOT NULL,
    created_by      text        NOT NULL,
    PRIMARY KEY (studio_id, code),
    CHECK (max_redemptions IS NULL OR redemptions <= max_redemptions)
);

CREATE TABLE redemptions (
    studio_id   text        NOT NULL,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    code        text        NOT NULL,
    member_id   text        NOT NULL,
    purchase_id text,
    at          timestamptz NOT NULL,
    PRIMARY KEY (studio_id, id),
    FOREIGN KEY (studio_id, code) REFERENCES vouchers (studio_id, code)
);
CREATE INDEX redemptions_by_member ON redemptions (studio_id, code, member_id);
