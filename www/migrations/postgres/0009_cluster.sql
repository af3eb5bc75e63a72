-- What several instances on one database share (README, "Several instances").

-- Who is here, as each instance last said (every 5 s, good for 15 s): people of the team
-- with the inbox open (kind 'agent', key the agent's id) and shoppers following their
-- conversation (kind 'shopper', key the conversation's id).
CREATE TABLE presence (
    instance TEXT   NOT NULL,
    kind     TEXT   NOT NULL CHECK (kind IN ('agent', 'shopper')),
    key      BIGINT NOT NULL,
    until    BIGINT NOT NULL,
    PRIMARY KEY (instance, kind, key)
);
CREATE INDEX presence_who ON presence (kind, key, until);

-- Rate limits' token buckets for the whole deployment; `key` is a keyed digest (no
-- client address is stored). A bucket idle for a minute is full again, so it is deleted.
CREATE TABLE rate_buckets (
    key     TEXT             PRIMARY KEY,
    tokens  DOUBLE PRECISION NOT NULL,
    at      BIGINT           NOT NULL,
    granted BIGINT           NOT NULL
);

-- The login throttle's counts for the whole deployment (keyed digests too).
CREATE TABLE login_counts (
    key          TEXT   PRIMARY KEY,
    failures     BIGINT NOT NULL,
    last         BIGINT NOT NULL,
    locked_until BIGINT NOT NULL
);

-- Periodic work that must run once per period in the whole deployment: an instance runs it
-- when it moves `due_at` on (a conditional UPDATE only one can win).
CREATE TABLE periodic (
    name   TEXT   PRIMARY KEY,
    due_at BIGINT NOT NULL
);
