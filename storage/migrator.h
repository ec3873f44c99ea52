// Recognising an attune database and bringing its schema up to date. Internal to storage.
#ifndef ATTUNE_STORAGE_MIGRATOR_H_
#define ATTUNE_STORAGE_MIGRATOR_H_

#include "base/status.h"

struct sqlite3;

namespace attune::storage {

// Reads the schema version without writing anything. Forces SQLite to parse page 1 and the
// schema, so garbage or a truncated file fails here:
//   not SQLite, or damaged                       -> kCorruption
//   SQLite but another application's file        -> kCorruption ("not an attune database")
//   written by a newer attune (version > latest) -> kUnsupported
// Returns 0 for an empty database.
Result<int> ReadSchemaVersion(sqlite3* db);

// Applies migrations current+1 .. target_version in order, each in its own BEGIN IMMEDIATE
// transaction together with its user_version bump, so a crash leaves a whole version. The
// version is re-read inside each transaction, so two processes opening a new file at once
// do not both migrate. Never downgrades. Returns the resulting version.
Result<int> Migrate(sqlite3* db, int target_version);

}  // namespace attune::storage

#endif  // ATTUNE_STORAGE_MIGRATOR_H_
