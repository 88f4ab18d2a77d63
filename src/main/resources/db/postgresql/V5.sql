-- V5: how many live client-assertion jtis each client holds, for as.<id>.client-assertion.max-live-jtis: a count
-- per owner (a hash of the authorization server and client), minute of expiry and node (each node changes only
-- its own rows). jtis recorded before this version are not counted (they expire within the hour).
CREATE TABLE live_jti_counts (
    owner   TEXT    NOT NULL,
    minute  BIGINT  NOT NULL,
    node    TEXT    NOT NULL,
    jtis    BIGINT  NOT NULL,
    PRIMARY KEY (owner, minute, node)
);
CREATE INDEX live_jti_counts_by_minute ON live_jti_counts (minute);
