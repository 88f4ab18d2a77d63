-- V8: secret rotation with overlap (the previous secret's hash and until when it still works, 0 for no previous
-- secret), the client's name as a column so that the admin API can filter by it, and an id for each initial access
-- token that is not the token (ids of tokens made before are cut from their hash). No index on (as_id, client_id) for
-- the admin API's pages: a random client_id lands on a random page of such an index, and those pages, written with
-- every registration's commit, cut registrations per second by a third. A page sorts one server's clients instead.
ALTER TABLE clients ADD COLUMN previous_secret_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN previous_secret_expires_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN client_name TEXT NOT NULL DEFAULT '';
UPDATE clients SET client_name = COALESCE(metadata::json ->> 'client_name', '');
ALTER TABLE initial_access_tokens ADD COLUMN id TEXT NOT NULL DEFAULT '';
UPDATE initial_access_tokens SET id = substr(token_hash, 8, 22);
CREATE UNIQUE INDEX initial_access_tokens_by_id ON initial_access_tokens (as_id, id);
