// Helpers shared by the storage tests: a raw SQLite connection for setting up files behind
// Database's back, and entry rows to store. Temporary directories, raw file access and the
// Status assertion macros come from tests/common/ and are re-exported here.
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
#include "tests/common/files.h"
#include "tests/common/status_assertions.h"

namespace attune::storage::testing {

// From tests/common, so the storage tests can keep calling them as testing::X.
using test_common::Describe;
using test_common::FileExists;
using test_common::FileMode;
using test_common::ReadFileBytes;
using test_common::TempDir;
using test_common::WriteFileBytes;

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

}  // namespace attune::storage::testing

#endif  // ATTUNE_TESTS_STORAGE_TEST_UTIL_H_
