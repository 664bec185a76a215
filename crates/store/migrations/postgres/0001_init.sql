-- Parallax store on PostgreSQL, schema version 1: the tables of ../0001_init.sql with
-- PostgreSQL types, full-text search as a tsvector column with a GIN index instead of FTS5,
-- and the work queue that `parallax worker` processes drain.

-- Arrival order: an article gets its number when it is placed into a story, in the order
-- its job was queued (one placer at a time, under an advisory lock).
CREATE SEQUENCE arrival;

-- One row per article, stored once: `id` comes from the canonical URL or the content hash.
CREATE TABLE articles (
    id           TEXT PRIMARY KEY,
    seq          BIGINT UNIQUE,            -- arrival order; NULL while waiting to be placed
    content_hash TEXT NOT NULL,
    url          TEXT,
    source       TEXT NOT NULL,
    title        TEXT,
    outlet       TEXT,
    outlet_key   TEXT,                     -- outlet folded to lower case, for filters
    published    TEXT,
    language     TEXT,
    word_count   BIGINT NOT NULL,
    added_at     TEXT NOT NULL,
    analyzer     TEXT NOT NULL,            -- ANALYZER_VERSION of `analysis`
    input        TEXT NOT NULL,            -- the ArticleInput, to recompute the analysis
    analysis     TEXT NOT NULL,            -- the Article (document, mentions, times)
    features     TEXT NOT NULL,            -- grouping features, replayed on open
    story_id     TEXT,                     -- NULL while waiting to be placed
    copy_of      TEXT,                     -- id of the earlier article it nearly copies
    job          BIGINT,                   -- the job that stored it (NULL: stored directly)
    job_part     INTEGER NOT NULL DEFAULT 0 -- its place among that job's articles
);
CREATE INDEX articles_story ON articles (story_id, seq);
CREATE INDEX articles_url ON articles (url);
CREATE INDEX articles_outlet ON articles (outlet_key);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_waiting ON articles (job, job_part) WHERE seq IS NULL;

-- One row per story; `analysis` is the StoryAnalysis, recomputed while `dirty` is 1.
CREATE TABLE stories (
    seq             BIGSERIAL PRIMARY KEY, -- creation order
    id              TEXT NOT NULL UNIQUE,
    thread          TEXT NOT NULL DEFAULT '',
    label           TEXT NOT NULL DEFAULT '',
    articles        BIGINT NOT NULL DEFAULT 0,
    outlets         TEXT NOT NULL DEFAULT '[]',
    first_published TEXT,
    last_published  TEXT,
    agreed          BIGINT NOT NULL DEFAULT 0,
    only_in         BIGINT NOT NULL DEFAULT 0,
    conflicts       BIGINT NOT NULL DEFAULT 0,
    updated_at      TEXT,
    dirty           INTEGER NOT NULL DEFAULT 1,
    dirty_since     TIMESTAMPTZ DEFAULT now(), -- when it last became dirty (NULL when clean)
    version         BIGINT NOT NULL DEFAULT 0, -- bumped by every article that joins
    analysis        TEXT
);
CREATE INDEX stories_dirty ON stories (seq) WHERE dirty = 1;
CREATE INDEX stories_last ON stories (last_published);
CREATE INDEX stories_thread ON stories (thread);

-- Entities of each story, with a folded key that links one actor across stories.
CREATE TABLE entities (
    seq       BIGSERIAL PRIMARY KEY,
    id        TEXT NOT NULL UNIQUE,
    story_id  TEXT NOT NULL,
    name      TEXT NOT NULL,
    key       TEXT NOT NULL,
    type      TEXT NOT NULL,
    aliases   TEXT NOT NULL,               -- JSON list of surface forms
    mentions  BIGINT NOT NULL
);
CREATE INDEX entities_story ON entities (story_id);
CREATE INDEX entities_key ON entities (key);

-- Full-text search over titles, sentences and entity names, one row each: an article's
-- title (part 0) and sentence n (part n + 1), or an entity. `terms` holds the words folded
-- to lower case without diacritics ('simple' configuration: no stemming, no stop words), so
-- a search means what it means on SQLite.
CREATE TABLE search (
    id          BIGSERIAL PRIMARY KEY,     -- larger is newer
    article_id  TEXT REFERENCES articles (id) ON DELETE CASCADE,
    part        INTEGER,
    entity_seq  BIGINT REFERENCES entities (seq) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    terms       TSVECTOR NOT NULL
);
CREATE INDEX search_terms ON search USING GIN (terms);
CREATE INDEX search_article ON search (article_id);
CREATE INDEX search_entity ON search (entity_seq);

-- The work queue: one job per article to analyse (its input stored by `parallax ingest`) or
-- per URL to fetch. Workers claim the oldest queued job with FOR UPDATE SKIP LOCKED; a
-- running job whose worker is gone (its session lock released) or whose lease ran out goes
-- back to the queue, or fails once it has had `max attempts`.
CREATE TABLE jobs (
    seq          BIGSERIAL PRIMARY KEY,   -- queue order = arrival order of its articles
    kind         TEXT NOT NULL CHECK (kind IN ('input', 'url')),
    article_id   TEXT UNIQUE,             -- known up front for inputs; stored once
    source       TEXT NOT NULL,           -- where it came from, for messages
    payload      TEXT NOT NULL,           -- the ArticleInput as JSON, or the URL
    status       TEXT NOT NULL DEFAULT 'queued'
                 CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    worker       BIGINT,                  -- the worker running it
    lease_until  TIMESTAMPTZ,
    not_before   TIMESTAMPTZ NOT NULL DEFAULT now(), -- retry back-off
    enqueued_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at   TIMESTAMPTZ,
    finished_at  TIMESTAMPTZ,
    outcome      TEXT,                    -- what a done job did ("stored", "already stored")
    error        TEXT                     -- why the last attempt failed
);
CREATE INDEX jobs_queued ON jobs (seq) WHERE status = 'queued';
CREATE INDEX jobs_running ON jobs (seq) WHERE status = 'running';
CREATE INDEX jobs_finished ON jobs (finished_at);

-- Workers that have run; a live one holds a session advisory lock on its id.
CREATE TABLE workers (
    id          BIGSERIAL PRIMARY KEY,
    host        TEXT NOT NULL,
    pid         BIGINT NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    seen_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    stopped_at  TIMESTAMPTZ
);

-- Placement's position in the queue: every job up to `cursor` has had its articles placed.
CREATE TABLE placement (
    one     INTEGER PRIMARY KEY CHECK (one = 1),
    cursor  BIGINT NOT NULL
);
INSERT INTO placement (one, cursor) VALUES (1, 0);
