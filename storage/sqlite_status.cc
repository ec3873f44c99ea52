#include "storage/sqlite_status.h"

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "base/system_error.h"

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
    case SQLITE_FULL:
      return Status::NoSpace(std::move(detail));
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
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
  // Read first: the errno of the OS call that failed, if nothing has failed since.
  const int last_errno = errno;
  // The connection's message is more specific ("UNIQUE constraint failed: entries.id") but
  // only describes `rc` if nothing else ran on the connection since.
  const bool message_matches = db != nullptr && sqlite3_extended_errcode(db) == rc;
  const char* message = message_matches ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string detail(action);
  detail += ": sqlite: ";
  detail += message;
  const int primary = rc & 0xff;
  if (primary != SQLITE_IOERR && primary != SQLITE_CANTOPEN) {
    return StatusForCode(rc, std::move(detail));
  }
  // SQLite says SQLITE_FULL only when a write came up short with ENOSPC. A write refused
  // outright (EFBIG at the file-size limit, EDQUOT, ENOSPC while growing the -shm file) is an
  // I/O error, and only the errno tells it apart. sqlite3_system_errno() keeps it for some
  // failures but not all (not for a failed COMMIT of WAL frames, measured with SQLite 3.40), so
  // the errno left by the call that just failed counts too, though only as "out of space":
  // a failing OS call after the first one would itself have been refused for lack of room.
  const int system_errno = message_matches ? sqlite3_system_errno(db) : 0;
  const int cause = system_errno != 0 ? system_errno : IsOutOfSpace(last_errno) ? last_errno : 0;
  if (cause == 0) return StatusForCode(rc, std::move(detail));
  detail += " (";
  detail += std::strerror(cause);
  detail += ")";
  if (IsOutOfSpace(cause)) return Status::NoSpace(std::move(detail));
  return StatusForCode(rc, std::move(detail));
}

}  // namespace attune::storage
