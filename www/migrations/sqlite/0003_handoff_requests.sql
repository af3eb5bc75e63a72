-- A handoff's idempotency key is bound to the request that first used it: the SHA-256 of
-- its body. A retry with the same body gets the same conversation back; another body with
-- the same key is refused, and never gets the conversation's token. Conversations made
-- before this column have none, and so no retry matches them.
ALTER TABLE conversations ADD COLUMN request_digest TEXT;

-- Lines of the transcript the shopper's browser sent with the handoff: what the shopper and
-- the bot said before, as reported by the browser (the inbox says so), not seen by us.
ALTER TABLE messages ADD COLUMN reported INTEGER NOT NULL DEFAULT 0;
