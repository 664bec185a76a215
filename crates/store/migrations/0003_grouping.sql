-- Parallax store, schema version 3: the grouping state on disk (parallax_core::stories::paged),
-- so a collection reopens without replaying every stored article and keeps in memory only the
-- records the articles at hand need. Rows are written in an article's transaction every few
-- hundred articles and at the end of an ingest; `grouping_meta` says which grouping version
-- wrote the state and up to which article (`last_seq`, an `articles.seq`) it is written: the
-- articles after it are replayed on open, and a state of another version is rebuilt.
-- Records are opaque little-endian blobs that only the grouping code reads (versioned inside).
-- Keys: `grouping_frequencies.key` is a term id, or a name id plus 2^32; posting `key` is an
-- index key and `bucket` an 8-day bucket; `grouping_bands.hash` is a u64 stored as its i64 bits.
-- Portable: BYTEA and BIGINT on PostgreSQL.
CREATE TABLE grouping_meta (
    one       INTEGER PRIMARY KEY CHECK (one = 1),
    version   TEXT NOT NULL,
    last_seq  INTEGER NOT NULL,
    arrivals  INTEGER NOT NULL,
    stories   INTEGER NOT NULL,
    threads   INTEGER NOT NULL,
    docs      INTEGER NOT NULL
);
CREATE TABLE grouping_frequencies (
    key  INTEGER PRIMARY KEY,
    df   INTEGER NOT NULL
);
CREATE TABLE grouping_stories (
    number  INTEGER PRIMARY KEY,
    record  BLOB NOT NULL
);
CREATE TABLE grouping_postings (
    key      INTEGER NOT NULL,
    bucket   INTEGER NOT NULL,
    stories  BLOB NOT NULL,
    PRIMARY KEY (key, bucket)
) WITHOUT ROWID;
CREATE TABLE grouping_bands (
    band     INTEGER NOT NULL,
    hash     INTEGER NOT NULL,
    arrival  INTEGER NOT NULL,
    PRIMARY KEY (band, hash)
) WITHOUT ROWID;
CREATE TABLE grouping_arrivals (
    number  INTEGER PRIMARY KEY,
    record  BLOB NOT NULL
);
