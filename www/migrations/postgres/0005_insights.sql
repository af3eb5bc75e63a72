-- Insights (off unless a flow switches them on): what the widget reports once per page
-- view where the chat was used, kept as daily counts per flow version, and the questions
-- the FAQ missed or was unsure about, de-duplicated after normalisation. Nothing here names
-- a shopper: the daily visitor id is random, made afresh every day by the browser.

-- The compiled flow's fingerprint (16 hex digits), by which a report finds its version.
ALTER TABLE flow_versions ADD COLUMN fingerprint TEXT;

-- Reports already stored, by their random id: a replay is refused.
CREATE TABLE insight_batches (
    id          TEXT    PRIMARY KEY,
    received_at BIGINT  NOT NULL
);
CREATE INDEX insight_batches_received ON insight_batches (received_at);

-- Daily counts: `metric` (page_views, conversations, faq_answered, trigger_shown, …) and up
-- to two keys (an FAQ entry; a trigger and its variant; a handoff's reason; a rating's
-- scale and score). Version 0: a flow the server cannot place (an old cached copy).
CREATE TABLE insight_counts (
    flow    TEXT    NOT NULL,
    version BIGINT  NOT NULL,
    day     TEXT    NOT NULL,
    metric  TEXT    NOT NULL,
    k1      TEXT    NOT NULL DEFAULT '',
    k2      TEXT    NOT NULL DEFAULT '',
    count   BIGINT  NOT NULL,
    PRIMARY KEY (flow, version, day, metric, k1, k2)
);

-- Unique visitors per day, by the browser's id of the day.
CREATE TABLE insight_visitors (
    flow    TEXT NOT NULL,
    day     TEXT NOT NULL,
    visitor TEXT NOT NULL,
    PRIMARY KEY (flow, day, visitor)
);

-- Questions missed (`missed`) or answered with "did you mean" (`unsure`).
CREATE TABLE insight_questions (
    flow       TEXT    NOT NULL,
    version    BIGINT  NOT NULL,
    day        TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    normalized TEXT    NOT NULL,
    -- The first wording seen, and the entries the matcher considered (comma separated).
    text       TEXT    NOT NULL,
    entries    TEXT    NOT NULL,
    count      BIGINT  NOT NULL,
    PRIMARY KEY (flow, version, day, kind, normalized)
);

-- The flow a handoff came from (`demo.json`), for the insights page's handoffs.
ALTER TABLE conversations ADD COLUMN flow TEXT;
