// Opening and configuring the SQLite connection behind a Database, plus small query helpers.
//
// Nothing here includes <sqlite3.h>; `sqlite3` stays an incomplete type for callers.
#ifndef ATTUNE_STORAGE_CONNECTION_H_
#define ATTUNE_STORAGE_CONNECTION_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

struct sqlite3;

namespace attune::storage {

struct SqliteCloser {
  // sqlite3_close_v2: safe even if a statement outlives the handle by mistake.
  void operator()(sqlite3* db) const;
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteCloser>;

// Opens `path` read-write. With `create_if_missing`, a missing file is first created empty
// with mode 0600 (O_EXCL, so an existing file is never truncated); otherwise a missing file
// is kNotFound. A missing directory or a refusal by the OS is kIoError.
//
// The connection comes back with extended result codes, the busy timeout, SQLite's defensive
// mode, and checkpoint-on-close disabled: until VerifyAndConfigure succeeds, closing it must
// not write anything into a file we may not understand.
Result<SqliteHandle> OpenConnection(const std::string& path, bool create_if_missing,
                                    std::chrono::milliseconds busy_timeout);

// Opens `path` read-only as an immutable file (SQLite's `immutable=1`): no locks are taken and
// no -wal or -shm file is read or created, so it works where nothing can be written, such as a
// read-only folder or disk, or a full one. Only for a file that has no WAL beside it (committed
// pages still in a WAL would be invisible) and that nobody is changing (Database::Open).
// Every write on the connection fails with kIoError.
Result<SqliteHandle> OpenImmutable(const std::string& path);

// True if this process may write `path` and the folder holding it (false on a read-only
// mount, or where permission bits forbid it).
bool IsWritable(const std::string& path);

// True if a WAL file with content lies beside `path`: it may hold committed pages.
bool HasWalContent(const std::string& path);

// A checkpoint runs once a commit leaves the WAL with this many pages (32 MiB); see
// ConfigureConnection for why it is above SQLite's 1,000.
inline constexpr int kWalCheckpointPages = 8192;

// Switches to WAL and sets synchronous, secure_delete and foreign_keys (see schema.h), then
// re-enables checkpoint-on-close. Call only after the file has been recognised as ours.
Status ConfigureConnection(sqlite3* db);

// Runs a script of one or more statements that return no rows.
Status ExecScript(sqlite3* db, std::string_view sql, std::string_view action);

// Runs a single-row, single-column query (e.g. a PRAGMA) and returns the value.
Result<int64_t> QueryInt64(sqlite3* db, std::string_view sql);
Result<std::string> QueryText(sqlite3* db, std::string_view sql);

}  // namespace attune::storage

#endif  // ATTUNE_STORAGE_CONNECTION_H_
