-- Schema version 1: settings and journal entries.
-- Format documented in storage/schema.h. storage never sees plaintext: every BLOB here is
-- sealed (or otherwise prepared) by node before it is stored.

-- Small named values owned by node: wrapped data key, KDF parameters, sealed settings.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value BLOB NOT NULL
);

-- One row per journal entry. A rowid table on purpose: bodies may be several KB, and
-- WITHOUT ROWID suits only small rows.
CREATE TABLE entries (
  -- 16 random bytes as 32 lowercase hex digits; prefix lookups rely on the exact alphabet.
  id                 TEXT PRIMARY KEY NOT NULL
                     CHECK (length(id) = 32 AND id NOT GLOB '*[^0-9a-f]*'),
  kind               TEXT NOT NULL,
  step               INTEGER NOT NULL,
  created_ms         INTEGER NOT NULL,  -- UTC unix milliseconds
  created_offset_min INTEGER NOT NULL,  -- the writer's UTC offset in minutes
  updated_ms         INTEGER NOT NULL,
  updated_offset_min INTEGER NOT NULL,
  body               BLOB NOT NULL      -- sealed by node
);

-- Listing is always ordered by (created_ms, id); ending each index with those columns lets
-- filtered listings stream in index order instead of sorting every matching row.
CREATE INDEX entries_by_created ON entries (created_ms, id);
CREATE INDEX entries_by_kind ON entries (kind, created_ms, id);
