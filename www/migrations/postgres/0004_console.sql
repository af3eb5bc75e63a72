-- The merchant console: who may edit and publish flows, and the flows themselves.
--
-- An account is an `agent` (the inbox only) or an `owner` (the inbox, and the console:
-- flows and accounts). Accounts made before roles existed stay agents.
ALTER TABLE agents ADD COLUMN role TEXT NOT NULL DEFAULT 'agent' CHECK (role IN ('agent', 'owner'));

-- One row per flow (the name it is served under, `/flows/NAME.json`): the draft being
-- edited, as the JSON document the merchant would write by hand.
CREATE TABLE flows (
    name       TEXT    PRIMARY KEY,
    draft      TEXT    NOT NULL,
    -- Bumped by every save: a save made from an older page is refused, not lost silently.
    revision   BIGINT  NOT NULL DEFAULT 0,
    updated_at BIGINT  NOT NULL,
    updated_by TEXT,
    created_at BIGINT  NOT NULL
);

-- What shoppers got, version by version. The newest is served; a rollback publishes a copy
-- of an older one as the newest, so history only grows.
CREATE TABLE flow_versions (
    id           BIGSERIAL PRIMARY KEY,
    flow         TEXT    NOT NULL REFERENCES flows (name) ON DELETE CASCADE,
    number       BIGINT  NOT NULL,
    source       TEXT    NOT NULL,
    published_at BIGINT  NOT NULL,
    -- The owner's name and email as they were (accounts may go), or how it came in.
    published_by TEXT    NOT NULL,
    note         TEXT    NOT NULL DEFAULT '',
    UNIQUE (flow, number)
);
