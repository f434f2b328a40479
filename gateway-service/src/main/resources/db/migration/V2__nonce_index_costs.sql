-- Nonce claims are the hottest write of the gateway (one row per signed request, decision 0017).
-- Byte-order comparison for the primary key (no collation rules for random nonce strings), and a BRIN index for
-- the purge: rows arrive in expiry order, so a block-range index finds the expired ones at almost no cost per
-- insert, where a B-tree on expires_at was a second tree to update for every request.
ALTER TABLE gateway.signature_nonce
    ALTER COLUMN access_key_id TYPE varchar(64) COLLATE "C",
    ALTER COLUMN nonce TYPE varchar(128) COLLATE "C";
DROP INDEX gateway.signature_nonce_expiry;
CREATE INDEX signature_nonce_expiry ON gateway.signature_nonce USING brin (expires_at);
