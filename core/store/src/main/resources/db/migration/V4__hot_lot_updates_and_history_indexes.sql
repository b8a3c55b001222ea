-- A lot is updated at every booking and cancel that draws on it. An update that changes no indexed column is a HOT
-- update (heap-only: no new index entries, the old version pruned in place), several times cheaper than one that
-- adds an entry to each of the lot's indexes. So `remaining` stands in no index and no index predicate: the partial
-- indexes of live lots use `live`, which changes only when a lot is emptied or refilled. Free space on each page
-- (fillfactor) lets the new version of a row stay on its page, which HOT needs.
ALTER TABLE lots ADD COLUMN live boolean GENERATED ALWAYS AS (remaining > 0) STORED;
ALTER TABLE lots SET (fillfactor = 80);

DROP INDEX lots_live;
CREATE INDEX lots_live ON lots (studio_id, member_id) WHERE live;
DROP INDEX lots_due;
CREATE INDEX lots_due ON lots (expires_at) WHERE live AND expires_at IS NOT NULL;
DROP INDEX lots_by_trainer;
CREATE INDEX lots_by_trainer ON lots (studio_id, trainer_id) WHERE trainer_id IS NOT NULL AND live;

-- The credit view lists the expirations of the last year: lots with credits left, and lots whose credits expired.
-- The second are found from their `expired` entries, so a long history of lots used up in time is never read.
CREATE INDEX journal_expired_by_member ON journal (studio_id, member_id, at) WHERE type = 'expired';
-- A merged member's history is found by who it was merged into.
CREATE INDEX members_merged_into ON members (studio_id, merged_into) WHERE merged_into IS NOT NULL;
