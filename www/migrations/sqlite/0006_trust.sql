-- Trust, round two.

-- Browsers that logged in to an account before (the device cookie, by the SHA-256 of its
-- value): with the right password they get in however many failures strangers caused.
CREATE TABLE login_devices (
    id_hash    TEXT    PRIMARY KEY,
    agent_id   INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_used  INTEGER NOT NULL
);
CREATE INDEX login_devices_agent ON login_devices (agent_id, last_used);

-- Where a handoff came from, as a keyed digest of the client's address (never the address
-- itself): an agent can close a flood from one address in one action.
ALTER TABLE conversations ADD COLUMN client_digest TEXT;
CREATE INDEX conversations_client ON conversations (client_digest, status);

-- The visitors of the day who asked a missed or unsure question, with a keyed digest of
-- their address: a question is listed only once two different visitors from two different
-- addresses asked it, so one stranger cannot put words on the owner's page.
CREATE TABLE insight_question_visitors (
    flow       TEXT NOT NULL,
    day        TEXT NOT NULL,
    normalized TEXT NOT NULL,
    visitor    TEXT NOT NULL,
    client     TEXT NOT NULL,
    PRIMARY KEY (flow, day, normalized, visitor)
);

-- Reports taken per flow and day: storage has a ceiling whatever is sent.
CREATE TABLE insight_days (
    flow      TEXT NOT NULL,
    day       TEXT NOT NULL,
    reports   INTEGER NOT NULL,
    questions INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (flow, day)
);

-- Handoff reasons take the engine's names.
UPDATE insight_counts SET k1 = 'frustrated' WHERE metric = 'handoffs' AND k1 = 'frustration';
UPDATE insight_counts SET k1 = 'answer_failed' WHERE metric = 'handoffs' AND k1 = 'other';

-- Secrets of this deployment, made on first use and shared by every instance: the key of
-- the client-address digests above.
CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
