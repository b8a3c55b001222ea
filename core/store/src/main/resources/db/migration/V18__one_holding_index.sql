-- One partial index finds the holds falling due: every booking made in its window enters it, so a second one (by
-- studio) cost each booking another index insert. A studio's sweep (a test clock) reads the due holds of every
-- studio from this one and keeps its own: due holds are few, as each pass posts them.
DROP INDEX bookings_holding_by_studio;
