-- V4: which clients registered themselves through RFC 7591, and how many there are per authorization server,
-- for the cap on dynamic registrations (clients created by operators are not counted).
ALTER TABLE clients ADD COLUMN dynamic INTEGER NOT NULL DEFAULT 0;
UPDATE clients SET dynamic = 1 WHERE registration_token_hash <> '';
CREATE TABLE registered_clients (
    as_id    TEXT    NOT NULL PRIMARY KEY,
    clients  BIGINT  NOT NULL
);
INSERT INTO registered_clients (as_id, clients) SELECT as_id, COUNT(*) FROM clients WHERE dynamic = 1 GROUP BY as_id;
