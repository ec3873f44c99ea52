// A move-only owner of one prepared SQLite statement.
//
// Ownership: the Statement finalizes its sqlite3_stmt when destroyed. The connection it was
// prepared on must outlive it. Not thread-safe: use from one thread at a time, like the
// connection.
//
// Typical use: Prepare, Bind* (1-based parameter indexes, as in SQLite), then Step until it
// returns false, reading Column* (0-based) while it returns true; Reset before reusing.
#ifndef ATTUNE_STORAGE_STATEMENT_H_
#define ATTUNE_STORAGE_STATEMENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace attune::storage {

enum class ColumnType { kInteger, kFloat, kText, kBlob, kNull };

class Statement {
 public:
  // Compiles exactly one SQL statement (kInvalidArgument if `sql` holds more than one).
  static Result<Statement> Prepare(sqlite3* db, std::string_view sql);

  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() = default;

  // Values are copied into SQLite, so they need not outlive the call. An empty blob is bound
  // as a zero-length BLOB, never as NULL.
  Status BindInt64(int index, int64_t value);
  Status BindText(int index, std::string_view value);
  Status BindBlob(int index, ByteSpan value);

  // Advances: true when a row is available, false when the statement is done.
  Result<bool> Step();
  // Steps a statement that returns no rows (INSERT, UPDATE, ...) to completion.
  Status Run();

  // Rows changed by the last completed INSERT, UPDATE or DELETE on this connection.
  int64_t Changes() const;

  // Column access is valid only while the last Step() returned true. Index is 0-based.
  ColumnType TypeAt(int column) const;
  int64_t ColumnInt64(int column) const;
  std::string ColumnText(int column) const;
  Bytes ColumnBlob(int column) const;

  // Makes the statement ready to run again and clears its bindings.
  void Reset();

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* stmt) const;
  };

  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Status BindResult(int rc, int index);

  sqlite3* db_ = nullptr;  // not owned
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
};

}  // namespace attune::storage

#endif  // ATTUNE_STORAGE_STATEMENT_H_
