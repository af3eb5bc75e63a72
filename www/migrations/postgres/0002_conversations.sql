-- Handoffs to a person, the live conversations that follow, the agents who answer them,
-- their inbox sessions and the webhook deliveries to a merchant's help desk.
-- Times are Unix milliseconds; JSON is stored as TEXT (written and read by `www` only).

CREATE TABLE agents (
    id            BIGSERIAL PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL
);

CREATE TABLE sessions (
    -- SHA-256 of the cookie's value: a stolen database does not log anyone in.
    id_hash    TEXT    PRIMARY KEY,
    agent_id   BIGINT  NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    csrf       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL
);

CREATE TABLE conversations (
    id             BIGSERIAL PRIMARY KEY,
    -- The widget's idempotency key: a retried handoff finds its conversation again.
    handoff_key    TEXT    NOT NULL UNIQUE,
    -- The bearer token the shopper's browser holds; it alone grants access.
    token          TEXT    NOT NULL UNIQUE,
    status         TEXT    NOT NULL CHECK (status IN ('waiting', 'open', 'closed')),
    -- Whether a person was available when it was created (else: reply by email).
    live           BIGINT  NOT NULL,
    agent_id       BIGINT  REFERENCES agents (id),
    email          TEXT,
    context        TEXT    NOT NULL,
    rating         BIGINT ,
    rating_comment TEXT,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    closed_at      BIGINT 
);
CREATE INDEX conversations_status ON conversations (status, created_at);

CREATE TABLE messages (
    id              BIGSERIAL PRIMARY KEY,
    conversation_id BIGINT  NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    sender          TEXT    NOT NULL CHECK (sender IN ('bot', 'shopper', 'agent', 'system')),
    author          TEXT,
    body            TEXT    NOT NULL,
    -- The shopper's idempotency key for a message sent live (NULL for the transcript).
    client_key      TEXT,
    at              BIGINT  NOT NULL,
    UNIQUE (conversation_id, client_key)
);
CREATE INDEX messages_conversation ON messages (conversation_id, id);

-- What happened in a conversation, in order: the shopper's event stream (joined, message,
-- closed) and the inbox's live updates read it with `id > last seen`.
CREATE TABLE events (
    id              BIGSERIAL PRIMARY KEY,
    conversation_id BIGINT  NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL,
    data            TEXT    NOT NULL,
    at              BIGINT  NOT NULL
);
CREATE INDEX events_conversation ON events (conversation_id, id);

CREATE TABLE webhook_deliveries (
    id              BIGSERIAL PRIMARY KEY,
    -- Sent as `Bellhop-Delivery`: the receiver's key for ignoring a repeated delivery.
    delivery_id     TEXT    NOT NULL UNIQUE,
    event           TEXT    NOT NULL,
    conversation_id BIGINT  REFERENCES conversations (id) ON DELETE SET NULL,
    body            TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        BIGINT  NOT NULL,
    next_attempt_at BIGINT  NOT NULL,
    last_status     BIGINT ,
    last_error      TEXT,
    created_at      BIGINT  NOT NULL,
    delivered_at    BIGINT 
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
