-- The plugin platform: per-studio plugin settings, the outbox that feeds ledger listeners, and purchases paid through
-- payment providers or with vouchers.

CREATE TABLE plugin_settings (
    studio_id  text        NOT NULL REFERENCES studios (id),
    plugin_id  text        NOT NULL,
    enabled    boolean     NOT NULL,
    settings   jsonb       NOT NULL DEFAULT '{}',
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (studio_id, plugin_id)
);
CREATE INDEX plugin_settings_by_update ON plugin_settings (updated_at);

-- Journal entries waiting for delivery to ledger listeners. Written in the transaction of the entries, deleted once
-- every listener of the studio took them: a crash between commit and delivery loses nothing.
CREATE TABLE outbox (
    studio_id   text   NOT NULL,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    journal_seq bigint NOT NULL,
    PRIMARY KEY (studio_id, id),
    FOREIGN KEY (studio_id, journal_seq) REFERENCES journal (studio_id, seq)
);

ALTER TABLE purchases
    -- What was actually paid (after a voucher); the lots' cost basis.
    ADD COLUMN amount_paid_minor   bigint CHECK (amount_paid_minor >= 0),
    ADD COLUMN voucher_code        text,
    ADD COLUMN provider_reference  text,
    ADD COLUMN checkout_url        text,
    -- Flagged when credits were taken back and money is owed (a trainer left, say).
    ADD COLUMN refund_due          boolean NOT NULL DEFAULT false,
    ADD COLUMN refunded_at         timestamptz,
    ADD COLUMN refund_amount_minor bigint CHECK (refund_amount_minor >= 0);
UPDATE purchases SET amount_paid_minor = price_minor WHERE status <> 'pending';
CREATE UNIQUE INDEX purchases_by_provider_reference ON purchases (studio_id, payment, provider_reference)
    WHERE provider_reference IS NOT NULL;

-- Lots bound to a trainer, for offboarding.
CREATE INDEX lots_by_trainer ON lots (studio_id, trainer_id) WHERE trainer_id IS NOT NULL AND remaining > 0;
