-- Where each assistant is installed: the storefront origins (`https://shop.example`, one per
-- line) whose pages may call the API for it, set by owners in the console and effective at
-- once (the server's `--allowed-origins` stays the default for every flow).
ALTER TABLE flows ADD COLUMN origins TEXT NOT NULL DEFAULT '';

-- The newest draft that compiled without errors: the console's preview and question box
-- keep showing it (with a note) while the draft being edited has errors.
ALTER TABLE flows ADD COLUMN last_good TEXT;
