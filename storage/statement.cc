#include "storage/statement.h"

#include <sqlite3.h>

#include <climits>

#include "storage/sqlite_status.h"

namespace attune::storage {

void Statement::Finalizer::operator()(sqlite3_stmt* stmt) const {
  sqlite3_finalize(stmt);
}

Result<Statement> Statement::Prepare(sqlite3* db, std::string_view sql) {
  if (sql.size() > static_cast<size_t>(INT_MAX)) return Status::InvalidArgument("sql too long");
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &raw, &tail);
  Statement statement(db, raw);
  if (rc != SQLITE_OK) return SqliteStatus(rc, db, "prepare");
  if (raw == nullptr) return Status::InvalidArgument("prepare: no sql statement");
  // Silently ignoring a second statement would hide a bug in the caller's SQL.
  std::string_view rest(tail, sql.data() + sql.size() - tail);
  if (rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
    return Status::InvalidArgument("prepare: more than one sql statement");
  }
  return statement;
}

Status Statement::BindResult(int rc, int index) {
  if (rc == SQLITE_OK) return Status::Ok();
  return SqliteStatus(rc, db_, "bind parameter " + std::to_string(index));
}

Status Statement::BindInt64(int index, int64_t value) {
  return BindResult(sqlite3_bind_int64(stmt_.get(), index, value), index);
}

Status Statement::BindText(int index, std::string_view value) {
  // A null data pointer would bind NULL; "" keeps an empty string a string.
  const char* data = value.empty() ? "" : value.data();
  return BindResult(
      sqlite3_bind_text64(stmt_.get(), index, data, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      index);
}

Status Statement::BindBlob(int index, ByteSpan value) {
  if (value.empty()) return BindResult(sqlite3_bind_zeroblob(stmt_.get(), index, 0), index);
  return BindResult(
      sqlite3_bind_blob64(stmt_.get(), index, value.data(), value.size(), SQLITE_TRANSIENT), index);
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteStatus(rc, db_, "step");
}

Status Statement::Run() {
  ATTUNE_ASSIGN_OR_RETURN(bool has_row, Step());
  if (has_row) return Status::Internal("run: statement returned a row");
  return Status::Ok();
}

int64_t Statement::Changes() const {
  return sqlite3_changes64(db_);
}

ColumnType Statement::TypeAt(int column) const {
  switch (sqlite3_column_type(stmt_.get(), column)) {
    case SQLITE_INTEGER:
      return ColumnType::kInteger;
    case SQLITE_FLOAT:
      return ColumnType::kFloat;
    case SQLITE_TEXT:
      return ColumnType::kText;
    case SQLITE_BLOB:
      return ColumnType::kBlob;
    default:
      return ColumnType::kNull;
  }
}

int64_t Statement::ColumnInt64(int column) const {
  return sqlite3_column_int64(stmt_.get(), column);
}

std::string Statement::ColumnText(int column) const {
  // Pointer first, then size: the documented order that avoids a second conversion.
  const unsigned char* text = sqlite3_column_text(stmt_.get(), column);
  int size = sqlite3_column_bytes(stmt_.get(), column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

Bytes Statement::ColumnBlob(int column) const {
  const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_.get(), column));
  int size = sqlite3_column_bytes(stmt_.get(), column);
  if (data == nullptr) return {};
  return Bytes(data, data + size);
}

void Statement::Reset() {
  // reset repeats the last step's error, which the caller has already seen.
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

}  // namespace attune::storage
