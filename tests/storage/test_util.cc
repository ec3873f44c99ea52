#include "tests/storage/test_util.h"

#include <cstdio>
#include <random>
#include <stdexcept>

#include "base/status.h"

namespace attune::storage::testing {

bool RawFilesContain(const std::string& db_path, std::string_view needle) {
  for (const std::string& path : {db_path, db_path + "-wal"}) {
    Bytes bytes = ReadFileBytes(path);
    std::string_view haystack(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (haystack.find(needle) != std::string_view::npos) return true;
  }
  return false;
}

RawDb OpenRaw(const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  RawDb db(raw);
  if (rc != SQLITE_OK) throw std::runtime_error("sqlite3_open_v2 failed");
  return db;
}

int ExecRaw(sqlite3* db, const std::string& sql) {
  return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
}

int64_t QueryRawInt(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("prepare failed: ") + sqlite3_errmsg(db));
  }
  int64_t value = -1;
  if (sqlite3_step(statement) == SQLITE_ROW) value = sqlite3_column_int64(statement, 0);
  sqlite3_finalize(statement);
  return value;
}

std::string PaddedId(std::string_view prefix, char fill) {
  std::string id(prefix);
  id.resize(kEntryIdLength, fill);
  return id;
}

Bytes RandomBytes(size_t size) {
  static std::mt19937 engine(std::random_device{}());
  std::uniform_int_distribution<int> byte(0, 255);
  Bytes out(size);
  for (uint8_t& b : out) b = static_cast<uint8_t>(byte(engine));
  return out;
}

EntryRow MakeEntry(int n, int64_t created_ms) {
  char prefix[16];
  std::snprintf(prefix, sizeof(prefix), "%08x", static_cast<unsigned>(n));
  EntryRow row;
  row.id = PaddedId(prefix, 'a');
  row.kind = "entry";
  row.step = 1;
  row.created_ms = created_ms;
  row.created_offset_min = 60;
  row.updated_ms = created_ms;
  row.updated_offset_min = 60;
  row.body = RandomBytes(48);
  return row;
}

}  // namespace attune::storage::testing
