-- The outbox also carries member events (created, tagged, untagged) for the studios' member listeners, in the
-- member's transaction, delivered after commit like journal entries.
ALTER TABLE outbox ALTER COLUMN journal_seq DROP NOT NULL;
ALTER TABLE outbox ADD COLUMN member_event jsonb;
ALTER TABLE outbox ADD CONSTRAINT outbox_entry_or_event CHECK (journal_seq IS NOT NULL OR member_event IS NOT NULL);
