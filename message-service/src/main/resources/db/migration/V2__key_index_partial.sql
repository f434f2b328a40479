-- Only messages with keys enter the key index, and it is maintained on insert (no pending list): a GIN
-- pending-list cleanup stalls the inserting indexer transaction for up to seconds, which showed as the index
-- lag's tail. OnsMessageGetByKey's "keys @> ARRAY[key]" implies keys IS NOT NULL, so the partial index serves it.
DROP INDEX message_by_key;
CREATE INDEX message_by_key ON message USING gin (keys) WITH (fastupdate = off) WHERE keys IS NOT NULL;
