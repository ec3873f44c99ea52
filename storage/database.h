// The journal database: one SQLite file holding opaque, already-sealed bytes.
//
// storage never sees plaintext. node seals entry bodies and secret meta values before
// handing them over and opens them after loading; storage keeps them as BLOBs and never
// interprets, logs or puts them into a Status.
//
// Ownership and threading: a Database owns one SQLite connection and is move-only. It is
// not thread-safe: use it from one thread at a time (node's io_context thread). Several
// Databases, in one process or several, may open the same file: WAL lets readers run beside
// one writer, and a writer that cannot get the lock within the busy timeout gets kBusy.
// A moved-from Database may only be destroyed or assigned to.
//
// On-disk format and connection settings: storage/schema.h.
#ifndef ATTUNE_STORAGE_DATABASE_H_
#define ATTUNE_STORAGE_DATABASE_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "storage/connection.h"
#include "storage/entry_row.h"
#include "storage/schema.h"
#include "storage/transaction.h"

namespace attune::storage {

// The version of the SQLite library this process runs with, e.g. "3.40.1".
std::string_view SqliteVersion();

class StatementCache;

enum class OpenMode {
  kCreateIfMissing,  // create an empty 0600 file and the schema if there is none
  kMustExist,        // kNotFound if the file does not exist
};

struct OpenOptions {
  // How long a write waits for another connection's lock before failing with kBusy.
  std::chrono::milliseconds busy_timeout{5000};
  // Migrate no further than this version. Production leaves the default; tests pass an older
  // version to build a database as an older attune would have left it. Never downgrades.
  int target_version = kLatestSchemaVersion;
};

// One row of the outgoing log, joined with the entry it names.
struct OutgoingRow {
  int64_t seq = 0;
  std::string entry_id;
  bool withdrawn = false;
  // Opaque to storage (schema.h); absent only in a row written before schema version 4.
  std::optional<Bytes> sealed;
  // The entry's current row, when the log row is not withdrawn and the entry exists.
  std::optional<EntryRow> entry;
};

// What the connection is actually running with (see schema.h), for tests and diagnostics.
struct ConnectionSettings {
  std::string journal_mode;  // "wal"
  int synchronous = 0;       // 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
  bool secure_delete = false;
  bool foreign_keys = false;
  int64_t busy_timeout_ms = 0;
};

// What Database::CheckpointInBackground's thread has done so far.
struct CheckpointActivity {
  int checkpoints = 0;       // attempted
  int64_t pages_copied = 0;  // WAL frames found copied into the file after each attempt (one
                             // still there at the next attempt counts again)
};

class BackgroundCheckpointer;

class Database {
 public:
  static constexpr int kLatestSchemaVersion = storage::kLatestSchemaVersion;

  // Opens (and with kCreateIfMissing creates) the database at `path` and migrates it.
  //   kInvalidArgument  bad options or empty path
  //   kNotFound         kMustExist and no file
  //   kCorruption       not a SQLite file, damaged, or another application's database
  //   kUnsupported      written by a newer attune; the file is left exactly as it was
  //   kBusy             another connection held the lock past the busy timeout
  //   kNoSpace          the file system (or quota, or file-size limit) is full
  //   kIoError          missing directory, permissions, read-only file system
  // A refused file is never written to. (For a WAL-mode file SQLite may leave empty -wal and
  // -shm files beside it; any existing WAL is left as it was, not checkpointed.) If Open
  // created the file and then fails, the empty file stays.
  //
  // With kMustExist, a file that can be read but not written beside (a read-only folder or
  // disk, permission bits, a full disk) and that has no WAL with content beside it is opened
  // read-only instead of refused, so that reading still works there: see read_only().
  static Result<Database> Open(const std::string& path, OpenMode mode,
                               const OpenOptions& options = {});

  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  ~Database();

  // The file's schema version after opening (kLatestSchemaVersion unless a test asked for an
  // older target). Entry operations need kLatestSchemaVersion and are kUnsupported below it;
  // meta operations work from version 1.
  int schema_version() const { return schema_version_; }

  // True if the file could only be opened for reading (see Open). Reads work as usual; every
  // write (BeginTransaction included) fails with what kept it from being opened for writing:
  // kIoError for a read-only folder or disk, kNoSpace for a full one.
  bool read_only() const { return !write_refusal_.ok(); }

  // Starts a write transaction (see storage/transaction.h). Every operation below joins it
  // until it commits or rolls back; outside one, each operation is its own transaction.
  // The Transaction must not outlive this Database.
  Result<Transaction> BeginTransaction();
  // Starts a read transaction: the reads that follow see one snapshot of the file until it
  // ends, however other connections write meanwhile. Works on a read-only file too.
  Result<Transaction> BeginRead();
  // True while a transaction (either kind) is open on this connection.
  bool in_transaction() const;
  // True while a write transaction is open on this connection.
  bool in_write_transaction() const;

  // Meta values are opaque bytes under a non-empty key. PutMeta inserts or replaces.
  Status PutMeta(std::string_view key, ByteSpan value);
  Result<std::optional<Bytes>> GetMeta(std::string_view key);
  Status DeleteMeta(std::string_view key);      // kNotFound if absent
  Result<std::vector<std::string>> MetaKeys();  // ascending

  // kInvalidArgument if a field is malformed (schema.h), kAlreadyExists if the id is taken.
  Status InsertEntry(const EntryRow& row);
  // As InsertEntry, but an entry already holding row.id is left as it is and false returned
  // (true: inserted). The one index probe the insert makes anyway answers whether the id is
  // taken, so a caller that needs to know who holds it asks OwnerOf only when it is.
  Result<bool> InsertEntryUnlessPresent(const EntryRow& row);
  // Replaces every column of the entry with row.id (node seals them all together).
  // kInvalidArgument as InsertEntry; kNotFound if absent.
  Status UpdateEntry(const EntryRow& row);
  Status DeleteEntry(std::string_view id);  // kNotFound if absent
  Result<std::optional<EntryRow>> GetEntry(std::string_view id);
  // Who wrote the entry with `id` (none if absent), and whether the outgoing log names it: what
  // a partner's row may touch, found without reading the sealed body.
  struct IdOwner {
    std::optional<std::string> author;
    bool in_log = false;
  };
  Result<IdOwner> OwnerOf(std::string_view id);
  // OwnerOf's in_log alone: one probe of the log's index, none of the entries'.
  Result<bool> InOutgoingLog(std::string_view id);

  // Ids starting with `prefix` (1..32 lowercase hex digits), ascending, at most `limit`
  // (>= 1). Callers detect ambiguity by passing limit 2. Uses the primary key index.
  Result<std::vector<std::string>> FindIdsByPrefix(std::string_view prefix, size_t limit);

  // Entries matching `filter`, ordered by (created_ms, id).
  Result<std::vector<EntryRow>> ListEntries(const EntryFilter& filter);
  // The same rows, one at a time, without holding them all. A non-ok Status from `visit`
  // stops the walk and is returned. `visit` may read but must not write entries.
  Status ForEachEntry(const EntryFilter& filter,
                      const std::function<Status(const EntryRow&)>& visit);
  Result<int64_t> CountEntries(const EntryFilter& filter);
  // How many entries match `filter`, by kind, in one pass (kinds with none are absent). `filter`
  // must not name a kind.
  Result<std::map<std::string, int64_t>> CountEntriesByKind(const EntryFilter& filter);
  Result<std::vector<std::string>> ListAllIds();  // ascending

  // Removes every entry by `author` ("me", "partner" or "former"); returns how many.
  Result<int64_t> DeleteEntriesBy(std::string_view author);

  // ---- The outgoing log (schema.h: outgoing) ----

  // Writes the log row of `entry_id` (inserting it, or replacing its seq, withdrawn and sealed).
  // kInvalidArgument for a malformed id or a seq below 1; kAlreadyExists if another entry's row
  // has `seq`. node chooses seq = LastLogSeq() + 1 inside its transaction.
  Status PutLogRow(std::string_view entry_id, int64_t seq, bool withdrawn, ByteSpan sealed);
  // The log row of one entry, if it has one.
  Result<std::optional<OutgoingRow>> GetLogRow(std::string_view entry_id);
  // Rows with seq > after_seq in seq order, at most `limit`; a shared row carries its entry.
  Result<std::vector<OutgoingRow>> ReadLog(int64_t after_seq, size_t limit);
  Result<int64_t> LastLogSeq();  // 0 for an empty log
  // The identity (entry id, seq, withdrawn) of every log row from `from_seq` on (INT64_MIN:
  // all), in no particular order, without the seals or entries: node checks the log against
  // its record of it. A row whose seq is text or a blob is met from any `from_seq` (kCorruption,
  // as for any row whose columns are not of their types).
  Status ForEachLogRowId(
      int64_t from_seq,
      const std::function<Status(std::string_view entry_id, int64_t seq, bool withdrawn)>& visit);
  // Empties the log (the log starts over under a new epoch).
  Status ClearLog();

  // SQLite's PRAGMA data_version: changes whenever another connection commits to the file.
  Result<int64_t> DataVersion();
  // The database file's absolute path ("" for an in-memory database); its WAL is this plus
  // "-wal".
  std::string FilePath() const;

  Result<ConnectionSettings> Settings();

  // "ok", or SQLite's list of problems one per line.
  Result<std::string> IntegrityCheck();
  // Copies the WAL into the main file and truncates the WAL to zero bytes, so deleted
  // content survives in neither. kBusy if a reader kept it from completing.
  // Waits for a background checkpoint in progress (below), if any.
  Status Checkpoint();

  // From now on this connection's commits leave checkpoints to a thread of its own, with a
  // second connection (storage/background_checkpoint.h): for a long run of large writes, such
  // as a first sync, whose commits would otherwise wait for the copy and its fsyncs. The
  // thread ends with this Database. Idempotent; Ok and nothing started for a database without
  // a file. kIoError (or another open error) if the second connection cannot be opened; the
  // commits then checkpoint as before.
  // `threshold_pages`: the WAL's size that makes a checkpoint due, as for SQLite's own.
  Status CheckpointInBackground(int threshold_pages = kWalCheckpointPages);
  // For tests: blocks until the thread has attempted at least `checkpoints` checkpoints, or
  // `timeout` passed, and says what it has done. None unless CheckpointInBackground started it.
  std::optional<CheckpointActivity> WaitForBackgroundCheckpoints(int checkpoints,
                                                                 std::chrono::milliseconds timeout);

  // Writes a consistent copy of the whole database to a new file at `path` (VACUUM INTO),
  // created with the process's umask. kAlreadyExists if `path` exists; the copy is complete or
  // absent.
  Status CopyTo(const std::string& path);

 private:
  Database(SqliteHandle db, int schema_version, Status write_refusal);
  static bool CanStillBeRead(const std::string& path, const Status& refusal);
  static Result<Database> OpenForReading(const std::string& path, const OpenOptions& options,
                                         const Status& refusal);
  Status RequireLatestSchema() const;
  Status RequireWritable() const;

  // Declared first so it is destroyed last, after every cached statement.
  SqliteHandle db_;
  std::unique_ptr<StatementCache> statements_;
  int schema_version_ = 0;
  Status write_refusal_;  // ok unless opened read-only
  // After db_, so that its thread and connection end before db_ closes (the last connection
  // to close checkpoints what is left).
  std::unique_ptr<BackgroundCheckpointer> checkpointer_;
};

}  // namespace attune::storage

#endif  // ATTUNE_STORAGE_DATABASE_H_
