#include "tests/e2e/tamper_sql.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string_view>
#include <utility>

namespace attune::e2e::tamper {
namespace {

// Names come from the schema itself (never from outside); quoted all the same.
std::string Quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

bool Bind(sqlite3_stmt* statement, const Row& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    const Value& value = params[i];
    const int index = static_cast<int>(i) + 1;
    int rc = SQLITE_OK;
    switch (value.kind) {
      case Value::Kind::kNull:
        rc = sqlite3_bind_null(statement, index);
        break;
      case Value::Kind::kInteger:
        rc = sqlite3_bind_int64(statement, index, value.integer);
        break;
      case Value::Kind::kText:
        rc = sqlite3_bind_text(statement, index, value.bytes.data(),
                               static_cast<int>(value.bytes.size()), SQLITE_TRANSIENT);
        break;
      case Value::Kind::kBlob:
        rc = sqlite3_bind_blob(statement, index, value.bytes.data(),
                               static_cast<int>(value.bytes.size()), SQLITE_TRANSIENT);
        break;
    }
    if (rc != SQLITE_OK) return false;
  }
  return true;
}

Value ColumnValue(sqlite3_stmt* statement, int index) {
  switch (sqlite3_column_type(statement, index)) {
    case SQLITE_INTEGER:
      return Value::Integer(sqlite3_column_int64(statement, index));
    case SQLITE_TEXT:
      return Value::Text(reinterpret_cast<const char*>(sqlite3_column_text(statement, index)));
    case SQLITE_BLOB: {
      const char* data = static_cast<const char*>(sqlite3_column_blob(statement, index));
      return Value::Blob(std::string(data, data + sqlite3_column_bytes(statement, index)));
    }
    default:
      return Value{};
  }
}

std::optional<Value> SwapText(const std::string& text) {
  for (const auto& [a, b] : {std::pair<const char*, const char*>{"private", "shared"},
                             std::pair<const char*, const char*>{"me", "partner"}}) {
    if (text == a) return Value::Text(b);
    if (text == b) return Value::Text(a);
  }
  const bool id =
      text.size() == 32 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (id) return Value::Text(OtherId(text));
  return std::nullopt;
}

bool Update(SqlFile& file, const std::string& table, const std::string& column, int64_t rowid,
            const Value& value) {
  const int rc =
      file.Run("UPDATE " + Quoted(table) + " SET " + Quoted(column) + " = ?1 WHERE rowid = ?2",
               {value, Value::Integer(rowid)}, /*may_fail=*/true);
  return rc == SQLITE_DONE;
}

std::optional<Value> ChangeInteger(SqlFile& file, const std::string& table,
                                   const std::string& column, int64_t rowid, int64_t now) {
  std::vector<int64_t> candidates = {now + 1, now - 1};
  std::optional<Value> largest =
      file.One("SELECT max(" + Quoted(column) + ") FROM " + Quoted(table));
  if (largest && largest->kind == Value::Kind::kInteger) candidates.push_back(largest->integer + 1);
  for (int64_t candidate : candidates) {
    if (Update(file, table, column, rowid, Value::Integer(candidate))) {
      return Value::Integer(candidate);
    }
  }
  ADD_FAILURE() << "no changed value of " << table << "." << column << " was accepted";
  return std::nullopt;
}

// Another row's value of the column; if the column is unique, the two rows swap values.
std::optional<Value> TakeAnotherRowsText(SqlFile& file, const std::string& table,
                                         const std::string& column, int64_t rowid,
                                         const std::string& now) {
  std::optional<Value> other =
      file.One("SELECT " + Quoted(column) + " FROM " + Quoted(table) + " WHERE " + Quoted(column) +
                   " <> ?1 ORDER BY " + Quoted(column) + " LIMIT 1",
               {Value::Text(now)});
  if (!other) {
    ADD_FAILURE() << table << "." << column << " has no other value to take";
    return std::nullopt;
  }
  if (Update(file, table, column, rowid, *other)) return other;
  // Unique: park the other row's value, take it, and give the other row ours.
  const std::string parked = other->bytes + " (being swapped)";
  const std::string set = "UPDATE " + Quoted(table) + " SET " + Quoted(column) + " = ?1 WHERE ";
  const bool swapped =
      file.Run(set + Quoted(column) + " = ?2", {Value::Text(parked), *other}) == SQLITE_DONE &&
      Update(file, table, column, rowid, *other) &&
      file.Run(set + Quoted(column) + " = ?2", {Value::Text(now), Value::Text(parked)}) ==
          SQLITE_DONE;
  if (!swapped) return std::nullopt;
  return other;
}

}  // namespace

SqlFile::SqlFile(const std::string& path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db_);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    return;
  }
  sqlite3_busy_timeout(db_, 5000);
}

SqlFile::~SqlFile() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

int SqlFile::Run(const std::string& sql, const Row& params, bool may_fail) {
  if (db_ == nullptr) return SQLITE_MISUSE;
  sqlite3_stmt* statement = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr);
  if (rc == SQLITE_OK && !Bind(statement, params)) rc = SQLITE_RANGE;
  if (rc == SQLITE_OK) {
    do {
      rc = sqlite3_step(statement);
    } while (rc == SQLITE_ROW);
  }
  if (rc != SQLITE_DONE && !may_fail) ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
  sqlite3_finalize(statement);
  return rc;
}

std::vector<Row> SqlFile::Rows(const std::string& sql, const Row& params) {
  std::vector<Row> rows;
  if (db_ == nullptr) return rows;
  sqlite3_stmt* statement = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr);
  if (rc == SQLITE_OK && !Bind(statement, params)) rc = SQLITE_RANGE;
  while (rc == SQLITE_OK || rc == SQLITE_ROW) {
    rc = sqlite3_step(statement);
    if (rc != SQLITE_ROW) break;
    Row row;
    for (int i = 0; i < sqlite3_column_count(statement); ++i) {
      row.push_back(ColumnValue(statement, i));
    }
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
  sqlite3_finalize(statement);
  return rows;
}

std::optional<Value> SqlFile::One(const std::string& sql, const Row& params) {
  std::vector<Row> rows = Rows(sql, params);
  if (rows.empty() || rows.front().empty()) return std::nullopt;
  return rows.front().front();
}

Schema ReadSchema(SqlFile& file) {
  Schema schema;
  for (const Row& row : file.Rows("SELECT name FROM sqlite_schema WHERE type = 'table' "
                                  "ORDER BY name")) {
    Table table{row.at(0).bytes, {}};
    for (const Row& column :
         file.Rows("SELECT name, type FROM pragma_table_info(?1)", {Value::Text(table.name)})) {
      table.columns.push_back({column.at(0).bytes, column.at(1).bytes});
    }
    schema.tables.push_back(std::move(table));
  }
  for (const Row& row : file.Rows("SELECT key FROM meta ORDER BY key")) {
    schema.meta_keys.push_back(row.at(0).bytes);
  }
  return schema;
}

std::optional<int64_t> RowidOf(SqlFile& file, const std::string& table,
                               const std::string& key_column, const std::string& key) {
  std::optional<Value> rowid =
      file.One("SELECT rowid FROM " + Quoted(table) + " WHERE " + Quoted(key_column) + " = ?1",
               {Value::Text(key)});
  if (!rowid || rowid->kind != Value::Kind::kInteger) {
    ADD_FAILURE() << "no row of " << table << " has " << key_column << " = " << key;
    return std::nullopt;
  }
  return rowid->integer;
}

std::optional<Value> ChangeColumn(SqlFile& file, const std::string& table,
                                  const std::string& column, int64_t rowid) {
  std::optional<Value> now =
      file.One("SELECT " + Quoted(column) + " FROM " + Quoted(table) + " WHERE rowid = ?1",
               {Value::Integer(rowid)});
  if (!now) {
    ADD_FAILURE() << table << " has no row " << rowid;
    return std::nullopt;
  }
  switch (now->kind) {
    case Value::Kind::kInteger:
      return ChangeInteger(file, table, column, rowid, now->integer);
    case Value::Kind::kText: {
      if (std::optional<Value> swapped = SwapText(now->bytes)) {
        if (Update(file, table, column, rowid, *swapped)) return swapped;
      }
      return TakeAnotherRowsText(file, table, column, rowid, now->bytes);
    }
    case Value::Kind::kBlob:
    case Value::Kind::kNull: {
      Value flipped = Value::Blob(now->bytes.empty() ? std::string(1, '\0') : now->bytes);
      flipped.bytes.back() = static_cast<char>(flipped.bytes.back() ^ 1);
      if (Update(file, table, column, rowid, flipped)) return flipped;
      ADD_FAILURE() << "a flipped bit in " << table << "." << column << " was refused";
      return std::nullopt;
    }
  }
  return std::nullopt;
}

bool CopyRow(SqlFile& file, const std::string& table, int64_t rowid,
             const std::vector<std::pair<std::string, Value>>& changes) {
  // Through a temporary copy, so that the statement needs no list of the table's columns.
  bool ok =
      file.Run("DROP TABLE IF EXISTS temp.planted") == SQLITE_DONE &&
      file.Run("CREATE TEMP TABLE planted AS SELECT * FROM " + Quoted(table) + " WHERE rowid = ?1",
               {Value::Integer(rowid)}) == SQLITE_DONE;
  for (const auto& [column, value] : changes) {
    ok = ok &&
         file.Run("UPDATE temp.planted SET " + Quoted(column) + " = ?1", {value}) == SQLITE_DONE;
  }
  return ok &&
         file.Run("INSERT INTO main." + Quoted(table) + " SELECT * FROM temp.planted") ==
             SQLITE_DONE &&
         file.Run("DROP TABLE temp.planted") == SQLITE_DONE;
}

std::string OtherId(const std::string& id) {
  if (id.empty()) return id;
  std::string other = id;
  constexpr std::string_view kHex = "0123456789abcdef";
  const size_t digit = kHex.find(other.back());
  other.back() = kHex[(digit == std::string_view::npos ? 0 : digit) ^ 1];
  return other;
}

}  // namespace attune::e2e::tamper
