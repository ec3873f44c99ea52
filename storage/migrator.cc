#include "storage/migrator.h"

#include <iterator>
#include <string>

#include "storage/connection.h"
#include "storage/migrations.h"  // generated from storage/sql/ by attune_embed_files
#include "storage/schema.h"
#include "storage/transaction.h"

namespace attune::storage {
namespace {

// Migration N must be the file named "000N_<what>.sql", at index N-1.
constexpr bool MigrationNamesMatchVersions() {
  int expected = 1;
  for (const sql::EmbeddedFile& file : sql::kMigrations) {
    if (file.name.size() < 5 || file.name[4] != '_') return false;
    int number = 0;
    for (size_t i = 0; i < 4; ++i) {
      if (file.name[i] < '0' || file.name[i] > '9') return false;
      number = number * 10 + (file.name[i] - '0');
    }
    if (number != expected++) return false;
  }
  return true;
}

static_assert(std::size(sql::kMigrations) == kLatestSchemaVersion,
              "kLatestSchemaVersion must equal the number of migration files");
static_assert(MigrationNamesMatchVersions(), "migration files must be numbered 0001, 0002, ...");

Status NotOurs() {
  return Status::Corruption("open: not an attune database");
}

// Applies the migration after the current version, unless another connection got there
// first. Returns the version afterwards.
Result<int> ApplyNext(sqlite3* db, int target_version) {
  ATTUNE_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db));
  ATTUNE_ASSIGN_OR_RETURN(int version, ReadSchemaVersion(db));
  if (version >= target_version) return version;  // nothing to do: rolls back an empty txn

  const sql::EmbeddedFile& file = sql::kMigrations[version];
  const std::string action = "migration " + std::string(file.name);
  ATTUNE_RETURN_IF_ERROR(ExecScript(db, file.text, action));
  if (version == 0) {
    ATTUNE_RETURN_IF_ERROR(
        ExecScript(db, "PRAGMA application_id = " + std::to_string(kApplicationId), action));
  }
  ATTUNE_RETURN_IF_ERROR(
      ExecScript(db, "PRAGMA user_version = " + std::to_string(version + 1), action));
  ATTUNE_RETURN_IF_ERROR(transaction.Commit());
  return version + 1;
}

}  // namespace

Result<int> ReadSchemaVersion(sqlite3* db) {
  // Counting schema objects makes SQLite read and check page 1: a file that merely starts
  // like a database (truncated) fails here rather than at the first write.
  Result<int64_t> objects = QueryInt64(db, "SELECT count(*) FROM sqlite_schema");
  if (!objects.ok()) return objects.status().WithContext("open");
  ATTUNE_ASSIGN_OR_RETURN(int64_t version, QueryInt64(db, "PRAGMA user_version"));
  ATTUNE_ASSIGN_OR_RETURN(int64_t application_id, QueryInt64(db, "PRAGMA application_id"));

  if (version == 0) {
    // An empty file. Tables without a version belong to someone else.
    bool empty = *objects == 0 && (application_id == 0 || application_id == kApplicationId);
    return empty ? Result<int>(0) : NotOurs();
  }
  if (application_id != kApplicationId || version < 0) return NotOurs();
  if (version > kLatestSchemaVersion) {
    return Status::Unsupported("open: schema version " + std::to_string(version) +
                               " is newer than supported version " +
                               std::to_string(kLatestSchemaVersion));
  }
  return static_cast<int>(version);
}

Result<int> Migrate(sqlite3* db, int target_version) {
  ATTUNE_ASSIGN_OR_RETURN(int version, ReadSchemaVersion(db));
  while (version < target_version) {
    ATTUNE_ASSIGN_OR_RETURN(version, ApplyNext(db, target_version));
  }
  return version;
}

}  // namespace attune::storage
