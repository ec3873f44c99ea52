-- Schema version 2: groundwork for partner sharing.
-- Existing rows become private entries written by this device's owner.

ALTER TABLE entries ADD COLUMN visibility TEXT NOT NULL DEFAULT 'private'
  CHECK (visibility IN ('private', 'shared'));

ALTER TABLE entries ADD COLUMN author TEXT NOT NULL DEFAULT 'me'
  CHECK (author IN ('me', 'partner'));

CREATE INDEX entries_by_author ON entries (author, created_ms, id);
