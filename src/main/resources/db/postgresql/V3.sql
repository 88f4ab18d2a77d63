-- V3: jti values of client assertions (RFC 7523) and DPoP proofs (RFC 9449) already used, kept until they expire.
CREATE TABLE used_jtis (
    jti_key     TEXT    NOT NULL PRIMARY KEY,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX used_jtis_by_expiry ON used_jtis (expires_at);
