-- Parallax store, schema version 2: sentence vectors kept between runs, so that no sentence
-- is embedded twice (embedding is the costly part of story analysis).
-- `hash` is the first 16 bytes of the SHA-256 of the embedded text; `vector` holds the
-- little-endian f32 components, unquantised so that a story analysed from cached vectors
-- gives exactly what it gives from fresh ones. Portable: BYTEA on PostgreSQL.
CREATE TABLE vectors (
    model   TEXT NOT NULL,
    hash    BLOB NOT NULL,
    vector  BLOB NOT NULL,
    PRIMARY KEY (model, hash)
);
