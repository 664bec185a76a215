-- Parallax store on PostgreSQL, schema version 4 (as ../0004_story_analyzer.sql): the version
-- of the story analysis each story's `analysis` was computed with; NULL means unknown (stale).
ALTER TABLE stories ADD COLUMN analyzer TEXT;
