// Reuse of prepared statements for the hot paths (insert, get, list). Internal to storage.
//
// Acquire() lends out the statement prepared for a piece of SQL text, compiling it on first
// use; the lease resets it and hands it back when destroyed. Nested use of the same SQL (a
// ForEachEntry callback that lists again) gets its own freshly prepared statement, so an
// active statement is never reset from under its user.
//
// Ownership: the cache owns idle statements; a lease owns its statement until it returns it.
// The connection must outlive the cache, and the cache every lease. Not thread-safe.
#ifndef ATTUNE_STORAGE_STATEMENT_CACHE_H_
#define ATTUNE_STORAGE_STATEMENT_CACHE_H_

#include <string>
#include <string_view>
#include <unordered_map>

#include "base/status.h"
#include "storage/statement.h"

struct sqlite3;

namespace attune::storage {

class StatementCache;

class StatementLease {
 public:
  StatementLease(StatementLease&& other) noexcept;
  StatementLease& operator=(StatementLease&&) = delete;
  StatementLease(const StatementLease&) = delete;
  StatementLease& operator=(const StatementLease&) = delete;
  ~StatementLease();

  Statement& operator*() { return node_.mapped(); }
  Statement* operator->() { return &node_.mapped(); }

 private:
  friend class StatementCache;
  using Node = std::unordered_map<std::string, Statement>::node_type;

  StatementLease(StatementCache* cache, Node node) : cache_(cache), node_(std::move(node)) {}

  StatementCache* cache_;
  Node node_;
};

class StatementCache {
 public:
  explicit StatementCache(sqlite3* db) : db_(db) {}
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  Result<StatementLease> Acquire(std::string_view sql);

  // Statements currently idle in the cache (for tests).
  size_t idle_count() const { return idle_.size(); }

 private:
  friend class StatementLease;
  void Return(StatementLease::Node node);

  sqlite3* db_;  // not owned
  std::unordered_map<std::string, Statement> idle_;
};

}  // namespace attune::storage

#endif  // ATTUNE_STORAGE_STATEMENT_CACHE_H_
