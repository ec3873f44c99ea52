#include "tests/storage/test_util.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>

#include "base/status.h"

namespace attune::storage::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "attune_storage_XXXXXX");
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

Bytes ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteFileBytes(const std::string& path, ByteSpan bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

bool FileExists(const std::string& path) {
  return std::filesystem::exists(path);
}

int FileMode(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return -1;
  return static_cast<int>(info.st_mode & 0777);
}

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

std::string Describe(const Status& status) {
  return "code " + std::to_string(static_cast<int>(status.code())) + ": " + status.detail();
}

}  // namespace attune::storage::testing
