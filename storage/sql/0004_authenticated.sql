-- Schema version 4: every outgoing row carries its seal.
--
-- `sealed` authenticates the row (entry id, seq, withdrawn) and, for a shared row, holds the
-- content that travels: the version of the entry its author confirmed, sealed by node under a
-- key derived from the data key. Rows an older attune wrote have none until node re-seals them
-- at the first unlock (node/journal/journal_upgrade.cc); node never sends a row without a valid seal.
ALTER TABLE outgoing ADD COLUMN sealed BLOB;
