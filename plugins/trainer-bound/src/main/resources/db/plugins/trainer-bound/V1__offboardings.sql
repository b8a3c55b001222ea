-- One offboarding per trainer: what happened to their bound credits.
CREATE TABLE offboardings (
    studio_id     text        NOT NULL,
    trainer_id    text        NOT NULL,
    action        text        NOT NULL CHECK (action IN ('transfer', 'extend', 'refund')),
    to_trainer_id text,
    extend_by     text,
    actor         text        NOT NULL,
    at            timestamptz NOT NULL,
    PRIMARY KEY (studio_id, trainer_id)
);
