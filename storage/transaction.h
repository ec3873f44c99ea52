// An RAII transaction on a Database's connection.
//
// A write transaction is begun with BEGIN IMMEDIATE, so the write lock is taken up front: a
// second writer waits for the busy timeout at Begin and then fails with kBusy, instead of
// failing halfway through. A read transaction (BEGIN DEFERRED) takes no lock: in WAL mode every
// read inside it sees the one snapshot of the file taken at its first read, whatever other
// connections commit meanwhile, and it never waits for a writer.
// Destroying an uncommitted Transaction rolls it back; the destructor never throws and
// ignores rollback errors (SQLite rolls back on its own when the connection closes).
//
// Ownership: refers to the Database's connection, which must outlive it. Transactions do not
// nest: beginning a second one while one is open is kInternal. Not thread-safe.
#ifndef ATTUNE_STORAGE_TRANSACTION_H_
#define ATTUNE_STORAGE_TRANSACTION_H_

#include "base/status.h"

struct sqlite3;

namespace attune::storage {

class Transaction {
 public:
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  // Makes the changes durable. On failure the transaction stays open (or SQLite has already
  // rolled it back) and the destructor rolls back whatever remains.
  Status Commit();
  // Discards the changes now rather than at destruction.
  Status Rollback();

  // True until Commit or Rollback succeeds.
  bool active() const { return db_ != nullptr; }

  enum class Kind { kWrite, kRead };

  // Begins on `db`. Used by Database::BeginTransaction, Database::BeginRead and the migration
  // runner.
  static Result<Transaction> Begin(sqlite3* db, Kind kind = Kind::kWrite);

 private:
  explicit Transaction(sqlite3* db) : db_(db) {}
  Status Finish(const char* sql, const char* action);

  sqlite3* db_;  // not owned; null once finished or moved from
};

}  // namespace attune::storage

#endif  // ATTUNE_STORAGE_TRANSACTION_H_
