// Helpers shared by the storage tests: a temporary directory, raw file access, and a raw
// SQLite connection for setting up files behind Database's back.
#ifndef ATTUNE_TESTS_STORAGE_TEST_UTIL_H_
#define ATTUNE_TESTS_STORAGE_TEST_UTIL_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "storage/database.h"
#include "storage/entry_row.h"

namespace attune::storage::testing {

// A fresh directory from mkdtemp, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

// Whole file contents; empty if the file does not exist.
Bytes ReadFileBytes(const std::string& path);
void WriteFileBytes(const std::string& path, ByteSpan bytes);
bool FileExists(const std::string& path);
// Permission bits (mode & 0777) or -1 if the file does not exist.
int FileMode(const std::string& path);

// True if `needle` occurs in the database file or its -wal file, read as raw bytes.
bool RawFilesContain(const std::string& db_path, std::string_view needle);

// A raw SQLite connection, closed on destruction.
struct RawCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using RawDb = std::unique_ptr<sqlite3, RawCloser>;
RawDb OpenRaw(const std::string& path);
// Runs SQL on a raw connection; returns SQLite's result code.
int ExecRaw(sqlite3* db, const std::string& sql);
// The first column of the first row as an integer (e.g. a PRAGMA).
int64_t QueryRawInt(sqlite3* db, const std::string& sql);

// A valid entry: id from `n` (so ids sort by n), kind "entry", body of random bytes.
EntryRow MakeEntry(int n, int64_t created_ms = 1700000000000);
// A 32-digit id made of `prefix` padded with `fill`.
std::string PaddedId(std::string_view prefix, char fill = '0');
Bytes RandomBytes(size_t size);

// "kBusy: detail" for assertion messages.
std::string Describe(const Status& status);

}  // namespace attune::storage::testing

#define ATTUNE_TEST_CONCAT_INNER_(a, b) a##b
#define ATTUNE_TEST_CONCAT_(a, b) ATTUNE_TEST_CONCAT_INNER_(a, b)

// The Status is copied, not bound by reference: `expr` may be a temporary's status().
#define ASSERT_OK(expr)                                             \
  do {                                                              \
    const ::attune::Status assert_ok_status_ = (expr);              \
    ASSERT_TRUE(assert_ok_status_.ok())                             \
        << ::attune::storage::testing::Describe(assert_ok_status_); \
  } while (0)

#define EXPECT_OK(expr)                                             \
  do {                                                              \
    const ::attune::Status expect_ok_status_ = (expr);              \
    EXPECT_TRUE(expect_ok_status_.ok())                             \
        << ::attune::storage::testing::Describe(expect_ok_status_); \
  } while (0)

// ASSERT_OK_AND_ASSIGN(auto x, MakeX()); fails the test unless MakeX() holds a value.
#define ASSERT_OK_AND_ASSIGN(decl, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL_(ATTUNE_TEST_CONCAT_(assert_result_, __LINE__), decl, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL_(tmp, decl, expr)                            \
  auto tmp = (expr);                                                           \
  ASSERT_TRUE(tmp.ok()) << ::attune::storage::testing::Describe(tmp.status()); \
  decl = std::move(tmp).value()

#endif  // ATTUNE_TESTS_STORAGE_TEST_UTIL_H_
