-- Parallax store, schema version 4: the version of the story analysis each story's `analysis`
-- was computed with (parallax_core::stories::story_analysis_version). The article analyzer's
-- version does not cover it: a refit of the pair model changes a story's claims while every
-- article stays the same. NULL (every story stored before this migration) means unknown, so
-- stale: a writer marks stories of another version dirty and recomputes them.
ALTER TABLE stories ADD COLUMN analyzer TEXT;
