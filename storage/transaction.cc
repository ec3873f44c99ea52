#include "storage/transaction.h"

#include <sqlite3.h>

#include <utility>

#include "storage/sqlite_status.h"

namespace attune::storage {

Result<Transaction> Transaction::Begin(sqlite3* db, Kind kind) {
  if (sqlite3_get_autocommit(db) == 0) {
    return Status::Internal("begin transaction: a transaction is already open");
  }
  const char* sql = kind == Kind::kWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED";
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(rc, db, "begin transaction");
  return Transaction(db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
  // After a failed COMMIT SQLite may already have rolled back; a second ROLLBACK would only
  // report "no transaction is active".
  if (db_ != nullptr && sqlite3_get_autocommit(db_) == 0) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

Status Transaction::Commit() {
  return Finish("COMMIT", "commit");
}

Status Transaction::Rollback() {
  return Finish("ROLLBACK", "rollback");
}

Status Transaction::Finish(const char* sql, const char* action) {
  if (db_ == nullptr) return Status::Internal(std::string(action) + ": transaction not active");
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(rc, db_, action);
  db_ = nullptr;
  return Status::Ok();
}

}  // namespace attune::storage
