-- V9: a key ring re-reads its server's live signing keys every store.cache-seconds (the active key and those retired
-- within a token lifetime), a handful of rows however many keys rotation has made over the years. This index finds
-- them without reading the server's retired keys, and replaces the index on as_id alone, which it begins with.
CREATE INDEX signing_keys_live ON signing_keys (as_id, retired_at);
DROP INDEX signing_keys_by_as;
