-- The credit log shows one line per action ("-3 Credits | Redeemed for Workshop"), however many lots it touched. The
-- entries of one action are written in one transaction, so each entry records its transaction: entries of one
-- transaction, member, account, type, booking, purchase and time are one action. Entries written before this
-- migration have none and stay a line each.
ALTER TABLE journal ADD COLUMN action bigint;
ALTER TABLE journal ALTER COLUMN action SET DEFAULT pg_current_xact_id()::text::bigint;

-- A booking paid by an unlimited lot changes no balance, yet the coach reads it in the log ("-1", unlimited) and
-- counts it in "3/∞": it is an entry of delta 0 on the unlimited lot, and so is its cancellation.
ALTER TABLE journal DROP CONSTRAINT journal_delta_check;
ALTER TABLE journal ADD CONSTRAINT journal_delta_check CHECK (delta <> 0 OR type IN ('redeemed', 'refunded'));

-- A product's account stays in the credit view after its credits are used up, until its lots expire or the purchase
-- is voided: the view finds those lots without reading the member's live ones or their history.
CREATE INDEX lots_used_up_by_member ON lots (studio_id, member_id, expires_at)
    WHERE NOT live AND product_id IS NOT NULL AND voided_at IS NULL;

-- The sales of the last months per studio (the metrics' months of sales, every minute): purchases only, by time.
CREATE INDEX journal_purchased_by_time ON journal (studio_id, at) WHERE type = 'purchased';
