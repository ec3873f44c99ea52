-- Schema version 3: the outgoing log of shared entries, and former partners' entries.

-- 'former' marks entries a former partner shared, kept at unpair with --keep. SQLite cannot
-- change a CHECK in place, so the table is rebuilt (same columns, same order, same rows).
CREATE TABLE entries_v3 (
  id                 TEXT PRIMARY KEY NOT NULL
                     CHECK (length(id) = 32 AND id NOT GLOB '*[^0-9a-f]*'),
  kind               TEXT NOT NULL,
  step               INTEGER NOT NULL,
  created_ms         INTEGER NOT NULL,
  created_offset_min INTEGER NOT NULL,
  updated_ms         INTEGER NOT NULL,
  updated_offset_min INTEGER NOT NULL,
  body               BLOB NOT NULL,
  visibility         TEXT NOT NULL DEFAULT 'private'
                     CHECK (visibility IN ('private', 'shared')),
  author             TEXT NOT NULL DEFAULT 'me'
                     CHECK (author IN ('me', 'partner', 'former'))
);
INSERT INTO entries_v3 (id, kind, step, created_ms, created_offset_min, updated_ms,
                        updated_offset_min, body, visibility, author)
  SELECT id, kind, step, created_ms, created_offset_min, updated_ms, updated_offset_min, body,
         visibility, author
  FROM entries;
DROP TABLE entries;
ALTER TABLE entries_v3 RENAME TO entries;
CREATE INDEX entries_by_created ON entries (created_ms, id);
CREATE INDEX entries_by_kind ON entries (kind, created_ms, id);
CREATE INDEX entries_by_author ON entries (author, created_ms, id);

-- One row per entry this node shares or has withdrawn: the entry's current version is read from
-- `entries` when it is sent, so no older version (and no withdrawn text) is kept here.
-- seq grows on every change (max + 1); rows are only removed when the whole log starts over.
CREATE TABLE outgoing (
  entry_id  TEXT PRIMARY KEY NOT NULL
            CHECK (length(entry_id) = 32 AND entry_id NOT GLOB '*[^0-9a-f]*'),
  seq       INTEGER NOT NULL UNIQUE CHECK (seq > 0),
  withdrawn INTEGER NOT NULL CHECK (withdrawn IN (0, 1))
);
