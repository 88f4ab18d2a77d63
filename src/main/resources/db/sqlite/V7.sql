-- V7: whether a client may exchange tokens (RFC 8693) where its authorization server allows it (1 unless an operator said no).
ALTER TABLE clients ADD COLUMN token_exchange INTEGER NOT NULL DEFAULT 1;
