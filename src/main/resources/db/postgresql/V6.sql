-- V6: what an operator sets for one client's access tokens: its lifetime (0: the server's) and claims of its own (JSON).
ALTER TABLE clients ADD COLUMN token_lifetime BIGINT NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN token_claims TEXT NOT NULL DEFAULT '{}';
