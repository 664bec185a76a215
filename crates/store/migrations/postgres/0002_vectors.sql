-- Parallax store on PostgreSQL, schema version 2 (as ../0002_vectors.sql): sentence vectors
-- kept between runs and shared by every worker, so that no sentence is embedded twice.
-- `hash` is the first 16 bytes of the SHA-256 of the embedded text; `vector` holds the
-- little-endian f32 components, unquantised.
CREATE TABLE vectors (
    model   TEXT NOT NULL,
    hash    BYTEA NOT NULL,
    vector  BYTEA NOT NULL,
    PRIMARY KEY (model, hash)
);
