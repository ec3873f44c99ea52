// Translation of SQLite result codes into attune::Status. Internal to storage.
#ifndef ATTUNE_STORAGE_SQLITE_STATUS_H_
#define ATTUNE_STORAGE_SQLITE_STATUS_H_

#include <string_view>

#include "base/status.h"

struct sqlite3;

namespace attune::storage {

// Maps a non-OK result code `rc` (primary or extended) from an operation on `db` (may be null)
// to a Status whose detail reads "<action>: sqlite: <message>":
//   BUSY, LOCKED                          -> kBusy
//   NOTADB, CORRUPT                       -> kCorruption
//   FULL                                  -> kNoSpace
//   CANTOPEN, IOERR                       -> kNoSpace if the OS said ENOSPC, EDQUOT or EFBIG
//                                            (sqlite3_system_errno, else the errno the failed
//                                            call left: call this right after it), else
//                                            kIoError; the OS's words join the detail
//   PERM, READONLY                        -> kIoError
//   CONSTRAINT on a primary key or UNIQUE -> kAlreadyExists; other constraints, TOOBIG,
//                                            RANGE, MISMATCH -> kInvalidArgument
//   INTERRUPT -> kCancelled; anything else -> kInternal
// SQLite's messages name tables, columns and constraints, never bound values, so the detail
// cannot leak stored bytes.
Status SqliteStatus(int rc, sqlite3* db, std::string_view action);

}  // namespace attune::storage

#endif  // ATTUNE_STORAGE_SQLITE_STATUS_H_
