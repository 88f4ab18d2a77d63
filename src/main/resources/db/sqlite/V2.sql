-- V2: RFC 7592 registration access tokens, RFC 7009 revocations, RFC 7591 initial access tokens.
ALTER TABLE clients ADD COLUMN registration_token_hash TEXT NOT NULL DEFAULT '';

CREATE TABLE revoked_tokens (
    jti         TEXT    NOT NULL PRIMARY KEY,
    as_id       TEXT    NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX revoked_tokens_by_expiry ON revoked_tokens (expires_at);

CREATE TABLE initial_access_tokens (
    token_hash  TEXT    NOT NULL PRIMARY KEY,
    as_id       TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    uses_left   INTEGER NOT NULL
);
