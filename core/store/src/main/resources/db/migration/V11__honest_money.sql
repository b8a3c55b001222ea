-- Honest money: what was paid, what is owed, and the end of an unlimited period.

-- The end of an unlimited period is its own journal type: it is no expiry of unused credits.
ALTER TABLE journal DROP CONSTRAINT journal_type_check;
ALTER TABLE journal ADD CONSTRAINT journal_type_check CHECK (type IN ('purchased', 'granted', 'set', 'redeemed',
    'refunded', 'expired', 'transferred', 'forfeited', 'voided', 'period_ended'));

-- How many credits a purchase owes money for: taken back (a trainer left) before its refund was paid. The boolean
-- refund_due stays, true while this is above zero.
ALTER TABLE purchases ADD COLUMN refund_due_credits integer NOT NULL DEFAULT 0 CHECK (refund_due_credits >= 0);
UPDATE purchases p SET refund_due_credits = coalesce((SELECT -sum(j.delta) FROM journal j
        WHERE j.studio_id = p.studio_id AND j.purchase_id = p.id AND j.type = 'refunded' AND j.delta < 0
          AND j.booking_id IS NULL), 0)
    WHERE p.refund_due AND p.status = 'completed';

-- The kernel renews subscriptions added without charging and those paid outside Creditline (a standing order).
DROP INDEX subscriptions_due;
CREATE INDEX subscriptions_due ON subscriptions (current_period_end)
    WHERE payment IN ('none', 'outside') AND status = 'active';
