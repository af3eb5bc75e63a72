-- The language a missed question was asked in (issue 33): "add as a phrasing" adds it to
-- that language of the FAQ entry. Empty for questions reported before.
ALTER TABLE insight_questions ADD COLUMN language TEXT NOT NULL DEFAULT '';
