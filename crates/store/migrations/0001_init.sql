-- Parallax store, schema version 1.
-- Portable on purpose: plain tables, TEXT for ids and ISO dates, JSON documents in TEXT
-- columns, partial and composite indexes. The one SQLite-specific table is `search` (FTS5),
-- which a PostgreSQL backend replaces with a tsvector column and a GIN index.

-- One row per article, stored once: `id` comes from the canonical URL or the content hash.
CREATE TABLE articles (
    seq          INTEGER PRIMARY KEY,      -- arrival order; grouping replays in this order
    id           TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL,
    url          TEXT,
    source       TEXT NOT NULL,
    title        TEXT,
    outlet       TEXT,
    outlet_key   TEXT,                     -- outlet folded to lower case, for filters
    published    TEXT,
    language     TEXT,
    word_count   INTEGER NOT NULL,
    added_at     TEXT NOT NULL,
    analyzer     TEXT NOT NULL,            -- ANALYZER_VERSION of `analysis`
    input        TEXT NOT NULL,            -- the ArticleInput, to recompute the analysis
    analysis     TEXT NOT NULL,            -- the Article (document, mentions, times)
    features     TEXT NOT NULL,            -- grouping features, replayed on open
    story_id     TEXT NOT NULL,
    copy_of      TEXT                      -- id of the earlier article it nearly copies
);
CREATE INDEX articles_story ON articles (story_id, seq);
CREATE INDEX articles_url ON articles (url);
CREATE INDEX articles_outlet ON articles (outlet_key);
CREATE INDEX articles_published ON articles (published);

-- One row per story; `analysis` is the StoryAnalysis, recomputed while `dirty` is 1.
CREATE TABLE stories (
    seq             INTEGER PRIMARY KEY,   -- creation order
    id              TEXT NOT NULL UNIQUE,
    thread          TEXT NOT NULL DEFAULT '', -- the ongoing subject it belongs to
    label           TEXT NOT NULL DEFAULT '',
    articles        INTEGER NOT NULL DEFAULT 0,
    outlets         TEXT NOT NULL DEFAULT '[]',
    first_published TEXT,
    last_published  TEXT,
    agreed          INTEGER NOT NULL DEFAULT 0,
    only_in         INTEGER NOT NULL DEFAULT 0,
    conflicts       INTEGER NOT NULL DEFAULT 0,
    updated_at      TEXT,
    dirty           INTEGER NOT NULL DEFAULT 1,
    version         INTEGER NOT NULL DEFAULT 0, -- bumped by every article that joins
    analysis        TEXT
);
CREATE INDEX stories_dirty ON stories (dirty) WHERE dirty = 1;
CREATE INDEX stories_last ON stories (last_published);
CREATE INDEX stories_thread ON stories (thread);

-- Entities of each story, with a folded key that links one actor across stories.
CREATE TABLE entities (
    seq       INTEGER PRIMARY KEY,         -- its search row is -seq
    id        TEXT NOT NULL UNIQUE,
    story_id  TEXT NOT NULL,
    name      TEXT NOT NULL,
    key       TEXT NOT NULL,
    type      TEXT NOT NULL,
    aliases   TEXT NOT NULL,               -- JSON list of surface forms
    mentions  INTEGER NOT NULL
);
CREATE INDEX entities_story ON entities (story_id);
CREATE INDEX entities_key ON entities (key);

-- Full-text search over titles, sentences and entity names, one row each. The rowid says
-- what a row is, so rows are found and deleted by rowid (FTS5 scans for anything else):
--   article title:      article.seq * 2^20
--   article sentence n: article.seq * 2^20 + n + 1   (n < 2^20 - 1)
--   entity:             -entity.seq
-- Larger rowids are newer articles, which is the order searches return.
CREATE VIRTUAL TABLE search USING fts5 (
    text,
    tokenize = 'unicode61 remove_diacritics 2'
);
