-- Bookings over their life: check-in, no-show, what a late cancel or no-show cost, and its waiver.

-- What a late cancel or no-show costs ({"lateCancel","noShow","freePerPeriod"}): the studio's, a scheduler's own.
ALTER TABLE studios ADD COLUMN penalty jsonb;
ALTER TABLE schedulers ADD COLUMN penalty jsonb;

ALTER TABLE bookings DROP CONSTRAINT bookings_status_check;
ALTER TABLE bookings ADD CONSTRAINT bookings_status_check
    CHECK (status IN ('booked', 'cancelled', 'late_cancelled', 'no_show'));
ALTER TABLE bookings
    ADD COLUMN checked_in_at  timestamptz,
    -- How the penalty of a late cancel or no-show was decided, and the credits it kept (fixed once decided).
    ADD COLUMN penalty        text CHECK (penalty IN ('forfeit', 'partial', 'refund', 'free', 'none')),
    ADD COLUMN penalty_credits integer NOT NULL DEFAULT 0 CHECK (penalty_credits >= 0),
    ADD COLUMN penalized_at   timestamptz,
    -- A waiver gives the kept credits back, once, with its reason.
    ADD COLUMN waived_at      timestamptz,
    ADD COLUMN waived_by      text,
    ADD COLUMN waive_reason   text,
    ADD CHECK ((penalty IS NULL) = (penalized_at IS NULL)),
    ADD CHECK (waived_at IS NULL OR penalty_credits > 0);

-- A member's free allowance used: counted per period at every late cancel and no-show.
CREATE INDEX bookings_free_penalties ON bookings (studio_id, member_id, penalized_at) WHERE penalty = 'free';
