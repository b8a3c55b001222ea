-- Distributed by studio (Citus), a table can only keep unique what includes the studio: an API key is found within
-- the studio its secret names (clk_<studio>.<secret>), so its hash need only be unique there.
ALTER TABLE api_keys DROP CONSTRAINT api_keys_key_hash_key;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_studio_key_hash UNIQUE (studio_id, key_hash);
