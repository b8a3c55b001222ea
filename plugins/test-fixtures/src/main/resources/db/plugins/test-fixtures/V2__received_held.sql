-- Ledger entries carry the change of held credits (a booking's hold, release and post).
ALTER TABLE received ADD COLUMN held integer NOT NULL DEFAULT 0;
