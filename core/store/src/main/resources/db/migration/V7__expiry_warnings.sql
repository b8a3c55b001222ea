-- Warnings that a member's credits expire soon: one per member and expiry date (the day, in the studio's time zone),
-- written once when it falls due and delivered from here (retried with a growing pause while the notifier fails).
CREATE TABLE expiry_warnings (
    studio_id       text        NOT NULL REFERENCES studios (id),
    member_id       text        NOT NULL,
    expires_on      date        NOT NULL,
    lots            jsonb       NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    sent_at         timestamptz,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (studio_id, member_id, expires_on),
    FOREIGN KEY (studio_id, member_id) REFERENCES members (studio_id, id)
);
CREATE INDEX expiry_warnings_due ON expiry_warnings (studio_id, next_attempt_at) WHERE sent_at IS NULL;

-- The lots of a studio that expire soon, by when.
CREATE INDEX lots_expiring ON lots (studio_id, expires_at) WHERE live AND NOT unlimited AND expires_at IS NOT NULL;
