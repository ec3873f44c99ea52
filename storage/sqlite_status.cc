#include "storage/sqlite_status.h"

#include <sqlite3.h>

#include <string>

namespace attune::storage {
namespace {

Status ConstraintStatus(int rc, std::string detail) {
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE) {
    return Status::AlreadyExists(std::move(detail));
  }
  return Status::InvalidArgument(std::move(detail));
}

Status StatusForCode(int rc, std::string detail) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Busy(std::move(detail));
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return Status::Corruption(std::move(detail));
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_NOLFS:
    case SQLITE_PROTOCOL:
      return Status::IoError(std::move(detail));
    case SQLITE_CONSTRAINT:
      return ConstraintStatus(rc, std::move(detail));
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
      return Status::InvalidArgument(std::move(detail));
    case SQLITE_INTERRUPT:
      return Status::Cancelled(std::move(detail));
    default:
      return Status::Internal(std::move(detail));
  }
}

}  // namespace

Status SqliteStatus(int rc, sqlite3* db, std::string_view action) {
  // The connection's message is more specific ("UNIQUE constraint failed: entries.id") but
  // only describes `rc` if nothing else ran on the connection since.
  const bool message_matches = db != nullptr && sqlite3_extended_errcode(db) == rc;
  const char* message = message_matches ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string detail(action);
  detail += ": sqlite: ";
  detail += message;
  return StatusForCode(rc, std::move(detail));
}

}  // namespace attune::storage
