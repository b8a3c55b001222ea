-- Every booking pays for each index of bookings on its insert, and bookings are the ledger's hottest write.
-- bookings_by_member (studio_id, member_id, created_at) serves no query since the lists page by seq (V10):
-- a member's bookings are read by start (bookings_by_member_start) or newest first
-- (bookings_by_member_newest_first), and counted by either.
DROP INDEX IF EXISTS bookings_by_member;
