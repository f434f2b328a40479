-- Nonce claims are the hottest write of the gateway (one row per signed request, decision 0017): compare the
-- primary key byte by byte (no collation rules for random nonce strings and access key ids). The expiry index
-- stays a B-tree: expiry times only grow, so its inserts land on the rightmost leaf, and the purge reads just
-- the expired range (a BRIN index would lose its ordering once purged space is reused).
ALTER TABLE gateway.signature_nonce
    ALTER COLUMN access_key_id TYPE varchar(64) COLLATE "C",
    ALTER COLUMN nonce TYPE varchar(128) COLLATE "C";
