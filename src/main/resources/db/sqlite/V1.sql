-- V1: registered clients and signing keys.
CREATE TABLE clients (
    client_id          TEXT    NOT NULL PRIMARY KEY,
    as_id              TEXT    NOT NULL,
    secret_hash        TEXT    NOT NULL,
    metadata           TEXT    NOT NULL,
    issued_at          INTEGER NOT NULL,
    secret_expires_at  INTEGER NOT NULL
);
CREATE INDEX clients_by_as ON clients (as_id);

CREATE TABLE signing_keys (
    kid         TEXT    NOT NULL PRIMARY KEY,
    as_id       TEXT    NOT NULL,
    algorithm   TEXT    NOT NULL,
    private_key TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    retired_at  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX signing_keys_by_as ON signing_keys (as_id);
