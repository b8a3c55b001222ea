-- A booking made inside its cancellation window holds its credits until its class is certain (the window closes, the
-- member checks in, or the class starts), as two-phase ledgers keep a transfer pending: the credits stay in their lot
-- (remaining) but no longer count in the balance or pay anything else (held). A cancel in the window releases them;
-- otherwise the hold posts, and only then are they redeemed.
ALTER TABLE lots ADD COLUMN held integer NOT NULL DEFAULT 0;
ALTER TABLE lots ADD CONSTRAINT lots_held_check CHECK (held >= 0 AND held <= remaining);

-- The journal records holds too, so that a lot's held credits rebuild from it like its remaining ones: `held` is the
-- signed change of the lot's held credits. A hold is (delta 0, held +n), its release (0, -n), its post a `redeemed`
-- entry (-n, -n).
ALTER TABLE journal ADD COLUMN held integer NOT NULL DEFAULT 0;
ALTER TABLE journal DROP CONSTRAINT journal_type_check;
ALTER TABLE journal ADD CONSTRAINT journal_type_check CHECK (type IN ('purchased', 'granted', 'set', 'redeemed',
    'refunded', 'expired', 'transferred', 'forfeited', 'voided', 'period_ended', 'held', 'released'));
ALTER TABLE journal DROP CONSTRAINT journal_delta_check;
ALTER TABLE journal ADD CONSTRAINT journal_delta_check CHECK (delta <> 0 OR held <> 0 OR type IN ('redeemed', 'refunded'));

-- When a booking's credits were redeemed: at once (booked after its window), or when its hold posted. A booked one of
-- credits without it holds them. Bookings made before this migration redeemed at once.
ALTER TABLE bookings ADD COLUMN posted_at timestamptz;
UPDATE bookings SET posted_at = created_at WHERE pay_with = 'credits' AND cost > 0;

-- The holds due to post (BookingRepository.HOLDING): the periodic sweep's search over every studio, and a test
-- clock's over its studio.
CREATE INDEX bookings_holding ON bookings (cancel_by) WHERE status = 'booked' AND cost > 0 AND posted_at IS NULL;
CREATE INDEX bookings_holding_by_studio ON bookings (studio_id, cancel_by)
    WHERE status = 'booked' AND cost > 0 AND posted_at IS NULL;
