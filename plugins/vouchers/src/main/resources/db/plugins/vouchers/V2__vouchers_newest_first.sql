-- GET /v1/vouchers: the studio's vouchers newest first, paged by creation order (seq; vouchers that existed before
-- get theirs in created_at order).
ALTER TABLE vouchers ADD COLUMN seq bigint;
UPDATE vouchers v SET seq = o.n
FROM (SELECT studio_id, code, row_number() OVER (ORDER BY created_at, code) AS n FROM vouchers) o
WHERE v.studio_id = o.studio_id AND v.code = o.code;
ALTER TABLE vouchers ALTER COLUMN seq SET NOT NULL;
ALTER TABLE vouchers ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY;
SELECT setval(pg_get_serial_sequence('vouchers', 'seq'), (SELECT coalesce(max(seq), 0) + 1 FROM vouchers), false);
CREATE INDEX vouchers_newest_first ON vouchers (studio_id, seq);
