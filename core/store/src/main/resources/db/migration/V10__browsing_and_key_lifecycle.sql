-- Browsing a studio: every list is the studio's rows newest first. A seq column gives each table its creation order
-- (created_at alone ties: a test-mode studio's clock stands still between moves); rows that existed before get
-- theirs in created_at order. The lists page by seq, scoped by studio.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['trainers', 'schedulers', 'products', 'purchases', 'bookings', 'subscriptions', 'api_keys']
    LOOP
        EXECUTE format('ALTER TABLE %I ADD COLUMN seq bigint', t);
        EXECUTE format('UPDATE %1$I x SET seq = o.n FROM (SELECT studio_id, id,'
                           || ' row_number() OVER (ORDER BY created_at, id) AS n FROM %1$I) o'
                           || ' WHERE x.studio_id = o.studio_id AND x.id = o.id', t);
        EXECUTE format('ALTER TABLE %I ALTER COLUMN seq SET NOT NULL', t);
        EXECUTE format('ALTER TABLE %I ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY', t);
        EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, ''seq''), (SELECT coalesce(max(seq), 0) + 1 FROM %I),'
                           || ' false)', t, t);
        EXECUTE format('CREATE INDEX %I ON %I (studio_id, seq)', t || '_newest_first', t);
    END LOOP;
END
$$;
-- The lists' filters: a member's purchases and bookings, a scheduler's bookings.
CREATE INDEX purchases_by_member_newest_first ON purchases (studio_id, member_id, seq);
CREATE INDEX bookings_by_member_newest_first ON bookings (studio_id, member_id, seq);
CREATE INDEX bookings_by_scheduler_newest_first ON bookings (studio_id, scheduler_id, seq);

-- API keys as an owner sees them: the first characters of the secret (shown as "clk_yOO9…"; unknown for keys
-- made before this column), and when the key was last used (recorded at most once a minute per key and server).
ALTER TABLE api_keys ADD COLUMN key_prefix text;
ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz;
