-- Parallax store on PostgreSQL, schema version 3 (as ../0003_grouping.sql): the grouping state
-- on disk. The SQLite store reads and writes it; on PostgreSQL workers still rebuild the
-- grouping state in memory from the stored articles (see ARCHITECTURE.md), and the tables
-- exist so both backends keep one schema.
CREATE TABLE grouping_meta (
    one       INTEGER PRIMARY KEY CHECK (one = 1),
    version   TEXT NOT NULL,
    last_seq  BIGINT NOT NULL,
    arrivals  BIGINT NOT NULL,
    stories   BIGINT NOT NULL,
    threads   BIGINT NOT NULL,
    docs      BIGINT NOT NULL
);
CREATE TABLE grouping_frequencies (
    key  BIGINT PRIMARY KEY,
    df   BIGINT NOT NULL
);
CREATE TABLE grouping_stories (
    number  BIGINT PRIMARY KEY,
    record  BYTEA NOT NULL
);
CREATE TABLE grouping_postings (
    key      BIGINT NOT NULL,
    bucket   BIGINT NOT NULL,
    stories  BYTEA NOT NULL,
    PRIMARY KEY (key, bucket)
);
CREATE TABLE grouping_bands (
    band     INTEGER NOT NULL,
    hash     BIGINT NOT NULL,
    arrival  BIGINT NOT NULL,
    PRIMARY KEY (band, hash)
);
CREATE TABLE grouping_arrivals (
    number  BIGINT PRIMARY KEY,
    record  BYTEA NOT NULL
);
