-- What expired of each lot, for the credit view: read without walking a long-used lot's redemption entries.
CREATE INDEX journal_expired_by_lot ON journal (studio_id, lot_id) WHERE type = 'expired';

-- No statistics on studio_id. Statistics know only the studios there were at the last ANALYZE; a studio created
-- since looks like it holds no rows, and then any index that starts with studio_id looks as good as the primary key
-- (studio_id, id), so a lookup by id may scan the whole studio. Without statistics the planner assumes a studio is
-- a fair share of the table, and the index that also matches the id wins.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT c.table_name FROM information_schema.columns c
             JOIN information_schema.tables s ON s.table_schema = c.table_schema AND s.table_name = c.table_name
             WHERE c.table_schema = current_schema() AND c.column_name = 'studio_id' AND s.table_type = 'BASE TABLE'
    LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN studio_id SET STATISTICS 0', t.table_name);
    END LOOP;
END
$$;
