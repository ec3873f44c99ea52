// What someone who can write a journal's database file, but does not know its passphrase, can do
// to it: the tamper test's (tamper_test.cc) direct access to SQLite, bypassing attune entirely.
// Reads the schema from the file itself (sqlite_schema, PRAGMA table_info, the meta keys), so
// that a table, column or meta row added later is seen without editing the test, and changes
// one thing at a time the way a disk writer would.
//
// Every function records a test failure (ADD_FAILURE) when SQLite refuses, and says so in its
// result; none throws. Not thread-safe; one SqlFile per file at a time.
#ifndef ATTUNE_TESTS_E2E_TAMPER_SQL_H_
#define ATTUNE_TESTS_E2E_TAMPER_SQL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace attune::e2e::tamper {

// One SQLite value, as stored (its storage class kept, so a change keeps the type).
struct Value {
  enum class Kind { kNull, kInteger, kText, kBlob };
  Kind kind = Kind::kNull;
  int64_t integer = 0;
  std::string bytes;  // text or blob

  static Value Integer(int64_t value) { return {Kind::kInteger, value, {}}; }
  static Value Text(std::string text) { return {Kind::kText, 0, std::move(text)}; }
  static Value Blob(std::string data) { return {Kind::kBlob, 0, std::move(data)}; }
};

using Row = std::vector<Value>;

struct Column {
  std::string name;
  std::string type;  // as declared: TEXT, INTEGER, BLOB
};

struct Table {
  std::string name;
  std::vector<Column> columns;
};

struct Schema {
  std::vector<Table> tables;           // every table sqlite_schema lists, SQLite's own included
  std::vector<std::string> meta_keys;  // SELECT key FROM meta, ascending
};

class SqlFile {
 public:
  // Opens `path` read-write, without creating it.
  explicit SqlFile(const std::string& path);
  ~SqlFile();
  SqlFile(const SqlFile&) = delete;
  SqlFile& operator=(const SqlFile&) = delete;

  bool ok() const { return db_ != nullptr; }

  // Runs one statement with `params` bound to ?1, ?2, ...; returns SQLite's result code
  // (SQLITE_DONE on success). A failure is recorded unless `may_fail` is set.
  int Run(const std::string& sql, const Row& params = {}, bool may_fail = false);
  // The rows one statement returns (empty after recording a failure).
  std::vector<Row> Rows(const std::string& sql, const Row& params = {});
  // The first column of the first row, if there is one.
  std::optional<Value> One(const std::string& sql, const Row& params = {});

 private:
  sqlite3* db_ = nullptr;
};

Schema ReadSchema(SqlFile& file);

// The rowid of the row whose `key_column` holds `key` (nullopt, and a failure, if none does).
std::optional<int64_t> RowidOf(SqlFile& file, const std::string& table,
                               const std::string& key_column, const std::string& key);

// Changes one column of one row as a disk writer would, keeping its type, and returns the value
// written (nullopt after recording a failure). By the value found:
//   integer  +1; if a constraint refuses that, -1; then one past the column's largest value
//   text     'private' <-> 'shared', 'me' <-> 'partner', an id's last hex digit changed, else
//            another row's value of the column (swapping the two if the column is unique)
//   blob     the lowest bit of its last byte flipped (NULL: a one-byte blob)
std::optional<Value> ChangeColumn(SqlFile& file, const std::string& table,
                                  const std::string& column, int64_t rowid);

// Inserts a copy of row `rowid` of `table` whose columns in `changes` (name, value) differ.
bool CopyRow(SqlFile& file, const std::string& table, int64_t rowid,
             const std::vector<std::pair<std::string, Value>>& changes);

// An id with its last hex digit changed: another well-formed id.
std::string OtherId(const std::string& id);

}  // namespace attune::e2e::tamper

#endif  // ATTUNE_TESTS_E2E_TAMPER_SQL_H_
