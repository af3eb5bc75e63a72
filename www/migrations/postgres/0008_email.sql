-- Outgoing email: durable jobs, written in the same transaction as what they tell of and
-- sent by the mail worker until the SMTP server accepts them, retried with backoff.
CREATE TABLE emails (
    id              BIGSERIAL PRIMARY KEY,
    -- The Message-ID, the same on every try: a repeat is recognised as the same message,
    -- and the same email is never queued twice (a retried request, two instances).
    message_id      TEXT    NOT NULL UNIQUE,
    -- confirmation, team_offline, …: what the inbox's log calls it.
    kind            TEXT    NOT NULL,
    conversation_id BIGINT  REFERENCES conversations (id) ON DELETE CASCADE,
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    text_body       TEXT    NOT NULL,
    html_body       TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        BIGINT  NOT NULL,
    next_attempt_at BIGINT  NOT NULL,
    last_error      TEXT,
    created_at      BIGINT  NOT NULL,
    sent_at         BIGINT 
);
CREATE INDEX emails_due ON emails (status, next_attempt_at);

-- Whether a person of the team gets alert emails (offline handoffs, shoppers waiting).
ALTER TABLE agents ADD COLUMN email_alerts BIGINT  NOT NULL DEFAULT 1;

-- Whether a person of the team has said "away" in the inbox: then an open inbox does not
-- count them as available for live handoffs.
ALTER TABLE agents ADD COLUMN away BIGINT  NOT NULL DEFAULT 0;

-- The links in emails that bring a shopper back into their conversation: a separate token
-- (its SHA-256 kept), which expires; never the conversation's own bearer token.
CREATE TABLE resume_tokens (
    token_hash      TEXT    PRIMARY KEY,
    conversation_id BIGINT  NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    created_at      BIGINT  NOT NULL,
    expires_at      BIGINT  NOT NULL
);
