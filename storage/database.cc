#include "storage/database.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <limits>
#include <utility>

#include "storage/entry_codec.h"
#include "storage/migrator.h"
#include "storage/sqlite_status.h"
#include "storage/statement.h"
#include "storage/statement_cache.h"

namespace attune::storage {

std::string_view SqliteVersion() {
  return sqlite3_libversion();
}
namespace {

constexpr std::string_view kPutMetaSql =
    "INSERT INTO meta (key, value) VALUES (?1, ?2) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
constexpr std::string_view kGetMetaSql = "SELECT value FROM meta WHERE key = ?1";
constexpr std::string_view kDeleteMetaSql = "DELETE FROM meta WHERE key = ?1";

constexpr std::string_view kInsertEntrySql =
    "INSERT INTO entries (id, kind, step, created_ms, created_offset_min, updated_ms, "
    "updated_offset_min, visibility, author, body) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
constexpr std::string_view kInsertEntryUnlessPresentSql =
    "INSERT INTO entries (id, kind, step, created_ms, created_offset_min, updated_ms, "
    "updated_offset_min, visibility, author, body) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO NOTHING";
constexpr std::string_view kUpdateEntrySql =
    "UPDATE entries SET kind = ?2, step = ?3, created_ms = ?4, created_offset_min = ?5, "
    "updated_ms = ?6, updated_offset_min = ?7, visibility = ?8, author = ?9, body = ?10 "
    "WHERE id = ?1";
constexpr std::string_view kDeleteEntrySql = "DELETE FROM entries WHERE id = ?1";
// A half-open range on the primary key rather than LIKE, which cannot use the index here.
constexpr std::string_view kIdsByPrefixSql =
    "SELECT id FROM entries WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT ?3";
constexpr std::string_view kAllIdsSql = "SELECT id FROM entries ORDER BY id";
constexpr std::string_view kDeleteByAuthorSql = "DELETE FROM entries WHERE author = ?1";
constexpr std::string_view kMetaKeysSql = "SELECT key FROM meta ORDER BY key";

constexpr std::string_view kPutLogRowSql =
    "INSERT INTO outgoing (entry_id, seq, withdrawn, sealed) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (entry_id) DO UPDATE SET seq = excluded.seq, withdrawn = excluded.withdrawn, "
    "sealed = excluded.sealed";
constexpr std::string_view kLastLogSeqSql = "SELECT coalesce(max(seq), 0) FROM outgoing";
constexpr std::string_view kClearLogSql = "DELETE FROM outgoing";
// A seq made text or a blob sorts above every number, so a range from any seq on still meets
// it (and the type check below reports it).
constexpr std::string_view kLogRowIdsSql =
    "SELECT entry_id, seq, withdrawn FROM outgoing WHERE seq >= ?1";

// The log joined with the entries it names; the entry columns follow seq, id, withdrawn and
// sealed.
std::string SelectLogSql(std::string_view where) {
  std::string sql = "SELECT o.seq, o.entry_id, o.withdrawn, o.sealed, ";
  std::string columns(kEntryColumns);
  // Qualify every entry column: "id, kind, ..." -> "e.id, e.kind, ...".
  std::string qualified = "e.";
  for (char c : columns) {
    qualified += c;
    if (c == ' ') qualified += "e.";
  }
  sql += qualified;
  sql += " FROM outgoing o LEFT JOIN entries e ON e.id = o.entry_id AND o.withdrawn = 0";
  sql += where;
  return sql;
}

Result<OutgoingRow> ReadOutgoingRow(const Statement& statement) {
  if (statement.TypeAt(0) != ColumnType::kInteger || statement.TypeAt(1) != ColumnType::kText ||
      statement.TypeAt(2) != ColumnType::kInteger) {
    return Status::Corruption("outgoing row has unexpected column values");
  }
  OutgoingRow row;
  row.seq = statement.ColumnInt64(0);
  row.entry_id = statement.ColumnText(1);
  row.withdrawn = statement.ColumnInt64(2) != 0;
  // Anything but a blob (a NULL from before version 4, or a value put there by hand) is no
  // seal: node treats the row as failing its check.
  if (statement.TypeAt(3) == ColumnType::kBlob) row.sealed = statement.ColumnBlob(3);
  if (statement.TypeAt(4) != ColumnType::kNull) {
    row.entry = ReadEntryRow(statement, 4);
  }
  return row;
}

std::string SelectEntriesSql(std::string_view tail) {
  std::string sql = "SELECT ";
  sql += kEntryColumns;
  sql += " FROM entries";
  sql += tail;
  return sql;
}

Status MissingMetaKey() {
  return Status::InvalidArgument("meta key must not be empty");
}

// Runs a leased write statement whose parameters are bound; kNotFound if no row changed.
Status RunExpectingChange(StatementLease& statement, std::string_view what) {
  ATTUNE_RETURN_IF_ERROR(statement->Run());
  if (statement->Changes() == 0) return Status::NotFound(std::string(what) + " not found");
  return Status::Ok();
}

}  // namespace

Result<Database> Database::Open(const std::string& path, OpenMode mode,
                                const OpenOptions& options) {
  if (options.target_version < 1 || options.target_version > kLatestSchemaVersion) {
    return Status::InvalidArgument("open: target schema version out of range");
  }
  ATTUNE_ASSIGN_OR_RETURN(SqliteHandle db, OpenConnection(path, mode == OpenMode::kCreateIfMissing,
                                                          options.busy_timeout));
  // Everything up to here only read the file; a refused file is left exactly as found.
  const Status recognised = ReadSchemaVersion(db.get()).status();
  if (mode == OpenMode::kMustExist && CanStillBeRead(path, recognised)) {
    return OpenForReading(path, options, recognised);
  }
  ATTUNE_RETURN_IF_ERROR(recognised);
  ATTUNE_RETURN_IF_ERROR(ConfigureConnection(db.get()));
  ATTUNE_ASSIGN_OR_RETURN(int version, Migrate(db.get(), options.target_version));
  return Database(std::move(db), version, Status::Ok());
}

bool Database::CanStillBeRead(const std::string& path, const Status& refusal) {
  // SQLite reads a WAL-mode file only through the -shm file beside it, which it must create
  // (32 KiB) if no other connection has: a read-only folder or disk, or a full one, refuses
  // that although the file itself is readable. Without a WAL to miss, it can be read as is.
  if (HasWalContent(path)) return false;
  if (refusal.code() == StatusCode::kNoSpace) return true;
  return refusal.code() == StatusCode::kIoError && !IsWritable(path);
}

Result<Database> Database::OpenForReading(const std::string& path, const OpenOptions& options,
                                          const Status& refusal) {
  // What every write will answer. SQLite's own words for a read-only folder ("unable to open
  // database file", about the -shm file) would only confuse.
  const Status reason =
      refusal.code() == StatusCode::kNoSpace
          ? refusal.WithContext("the journal can be read but not changed")
          : Status::IoError(
                "the journal's folder or files are read-only here: it can be read but not changed");
  ATTUNE_ASSIGN_OR_RETURN(SqliteHandle db, OpenImmutable(path));
  ATTUNE_ASSIGN_OR_RETURN(int version, ReadSchemaVersion(db.get()));
  if (version < options.target_version) return reason.WithContext("open: needs an upgrade");
  return Database(std::move(db), version, reason);
}

Database::Database(SqliteHandle db, int schema_version, Status write_refusal)
    : db_(std::move(db)),
      statements_(std::make_unique<StatementCache>(db_.get())),
      schema_version_(schema_version),
      write_refusal_(std::move(write_refusal)) {}

Database::Database(Database&&) noexcept = default;

Database& Database::operator=(Database&& other) noexcept {
  if (this == &other) return *this;
  // The checkpointer's thread and commit hook use db_, which is about to close: they go first.
  checkpointer_.reset();
  db_ = std::move(other.db_);
  statements_ = std::move(other.statements_);
  schema_version_ = other.schema_version_;
  write_refusal_ = std::move(other.write_refusal_);
  checkpointer_ = std::move(other.checkpointer_);
  return *this;
}
Database::~Database() = default;

Status Database::RequireLatestSchema() const {
  if (schema_version_ >= kLatestSchemaVersion) return Status::Ok();
  return Status::Unsupported("entries need schema version " + std::to_string(kLatestSchemaVersion) +
                             ", database has " + std::to_string(schema_version_));
}

Status Database::RequireWritable() const {
  return write_refusal_;
}

Result<Transaction> Database::BeginTransaction() {
  ATTUNE_RETURN_IF_ERROR(RequireWritable());
  return Transaction::Begin(db_.get());
}

Result<Transaction> Database::BeginRead() {
  return Transaction::Begin(db_.get(), Transaction::Kind::kRead);
}

bool Database::in_transaction() const {
  return sqlite3_get_autocommit(db_.get()) == 0;
}

bool Database::in_write_transaction() const {
  return sqlite3_txn_state(db_.get(), "main") == SQLITE_TXN_WRITE;
}

Status Database::PutMeta(std::string_view key, ByteSpan value) {
  ATTUNE_RETURN_IF_ERROR(RequireWritable());
  if (key.empty()) return MissingMetaKey();
  ATTUNE_ASSIGN_OR_RETURN(StatementLease statement, statements_->Acquire(kPutMetaSql));
  ATTUNE_RETURN_IF_ERROR(statement->BindText(1, key));
  ATTUNE_RETURN_IF_ERROR(statement->BindBlob(2, value));
  return statement->Run().WithContext("put meta");
}

Result<std::optional<Bytes>> Database::GetMeta(std::string_view key) {
  if (key.empty()) return MissingMetaKey();
  ATTUNE_ASSIGN_OR_RETURN(StatementLease statement, statements_->Acquire(kGetMetaSql));
  ATTUNE_RETURN_IF_ERROR(statement->BindText(1, key));
  Result<bool> has_row = statement->Step();
  if (!has_row.ok()) return has_row.status().WithContext("get meta");
  if (!*has_row) return std::optional<Bytes>();
  if (statement->TypeAt(0) != ColumnType::kBlob) {
    return Status::Corruption("meta value is not a blob");
  }
  return std::optional<Bytes>(statement->ColumnBlob(0));
}

Status Database::DeleteMeta(std::string_view key) {
  ATTUNE_RETURN_IF_ERROR(RequireWritable());
  if (key.empty()) return MissingMetaKey();
  ATTUNE_ASSIGN_OR_RETURN(StatementLease statement, statements_->Acquire(kDeleteMetaSql));
  ATTUNE_RETURN_IF_ERROR(statement->BindText(1, key));
  return RunExpectingChange(statement, "meta key").WithContext("delete meta");
}

Status Database::InsertEntry(const EntryRow& row) {
  ATTUNE_RETURN_IF_ERROR(RequireWritable());
  ATTUNE_RETURN_IF_ERROR(RequireLatestSchema());
  ATTUNE_RETURN_IF_ERROR(ValidateEntryRow(row));
  ATTUNE_ASSIGN_OR_RETURN(StatementLease statement, statements_->Acquire(kInsertEntrySql));
  ATTUNE_RETURN_IF_ERROR(BindEntryRow(*statement, row));
  return statement->Run().WithContext("insert entry");
}

Result<bool> Database::InsertEntryUnlessPresent(const EntryRow& row) {
  ATTUNE_RETURN_IF_ERROR(RequireWritable());
  ATTUNE_RETURN_IF_ERROR(RequireLatestSchema());
  ATTUNE_RETURN_IF_ERROR(ValidateEntryRow(row));
  ATTUNE_ASSIGN_OR_RETURN(StatementLease statement,
                          statements_->Acquire(kInsertEntryUnlessPresentSql));
  ATTUNE_RETURN_IF_ERROR(BindEntryRow(*statement, row));
  ATTUNE_RETURN_IF_ERROR(statement->Run().WithContext("insert entry"));
  return statement->Changes() != 0;
}

Status Database::UpdateEntry(const EntryRow& row) {
  ATTUNE_RETURN_IF_ERROR(RequireWritable());
  ATTUNE_RETURN_IF_ERROR(RequireLatestSchema());
  ATTUNE_RETURN_IF_ERROR(ValidateEntryRow(row));
  ATTUNE_ASSIGN_OR_RETURN(StatementLease statement, statements_->Acquire(kUpdateEntrySql));
  ATTUNE_RETURN_IF_ERROR(BindEntryRow(*statement, row));
  return RunExpectingChange(statement, "entry").WithContext("update entry");
}

Status Database::DeleteEntry(std::string_view id) {
  ATTUNE_RETURN_IF_ERROR(RequireWritable());
  ATTUNE_RETURN_IF_ERROR(RequireLatestSchema());
  ATTUNE_RETURN_IF_ERROR(ValidateEntryId(id));
  ATTUNE_ASSIGN_OR_RETURN(StatementLease statement, statements_->Acquire(kDeleteEntrySql));
  ATTUNE_RETURN_IF_ERROR(statement->BindText(1, id));
  return RunExpectingChange(statement, "entry").WithContext("delete entry");
}

Result<std::optional<EntryRow>> Database::GetEntry(std::string_view id) {
  ATTUNE_RETURN_IF_ERROR(RequireLatestSchema());
  ATTUNE_RETURN_IF_ERROR(ValidateEntryId(id));
  ATTUNE_ASSIGN_OR_RETURN(StatementLease statement,
                          statements_->Acquire(SelectEntriesSql(" WHERE id = ?1")));
  ATTUNE_RETURN_IF_ERROR(statement->BindText(1, id));
  Result<bool> has_row = statement->Step();
  if (!has_row.ok()) return has_row.status().WithContext("get entry");
  if (!*has_row) return std::optional<EntryRow>();
  return std::optional<EntryRow>(ReadEntryRow(*statement));
}

Result<Database::IdOwner> Database::OwnerOf(std::string_view id) {
  ATTUNE_RETURN_IF_ERROR(RequireLatestSchema());
  ATTUNE_RETURN_IF_ERROR(ValidateEntryId(id));
  ATTUNE_ASSIGN_OR_RETURN(
      StatementLease statement,
      statements_->Acquire("SELECT (SELECT author FROM entries WHERE id = ?1), "
                           "EXISTS (SELECT 1 FROM outgoing WHERE entry_id = ?1)"));
  ATTUNE_RETURN_IF_ERROR(statement->BindText(1, id));
  Result<bool> has_row = statement->Step();
  if (!has_row.ok()) return has_row.status().WithContext("owner of");
  if (!*has_row) return Status::Internal("owner of: no row");
  IdOwner owner;
  if (statement->TypeAt(0) != ColumnType::kNull) owner.author = statement->ColumnText(0);
  owner.in_log = statement->ColumnInt64(1) != 0;
  return owner;
}

Result<bool> Database::InOutgoingLog(std::string_view id) {
  ATTUNE_RETURN_IF_ERROR(RequireLatestSchema());
  ATTUNE_RETURN_IF_ERROR(ValidateEntryId(id));
  ATTUNE_ASSIGN_OR_RETURN(
      StatementLease statement,
      statements_->Acquire("SELECT EXISTS (SELECT 1 FROM outgoing WHERE entry_id = ?1)"));
  ATTUNE_RETURN_IF_ERROR(statement->BindText(1, id));
  Result<bool> has_row = statement->Step();
  if (!has_row.ok()) return has_row.status().WithContext("in outgoing log");
  if (!*has_row) return Status::Internal("in outgoing log: no row");
  return statement->ColumnInt64(0) != 0;
}

Result<std::vector<std::string>> Database::FindIdsByPrefix(std::string_view prefix, size_t limit) {
  ATTUNE_RETURN_IF_ERROR(RequireLatestSchema());
  ATTUNE_RETURN_IF_ERROR(ValidateIdPrefix(prefix));
  if (limit == 0) return Status::InvalidArgument("prefix lookup limit must be at least 1");
  // Every id with the prefix sorts in [prefix, prefix with its last digit incremented):
  // "a9" -> "a:" and "af" -> "ag" are past every hex digit that may follow.
  std::string upper(prefix);
  ++upper.back();
  const int64_t row_limit = static_cast<int64_t>(
      std::min(limit, static_cast<size_t>(std::numeric_limits<int64_t>::max())));
  ATTUNE_ASSIGN_OR_RETURN(StatementLease statement, statements_->Acquire(kIdsByPrefixSql));
  ATTUNE_RETURN_IF_ERROR(statement->BindText(1, prefix));
  ATTUNE_RETURN_IF_ERROR(statement->BindText(2, upper));
  ATTUNE_RETURN_IF_ERROR(statement->BindInt64(3, row_limit));
  std::vector<std::string> ids;
  while (true) {
    Result<bool> has_row = statement->Step();
    if (!has_row.ok()) return has_row.status().WithContext("find ids");
    if (!*has_row) return ids;
    ids.push_back(statement->ColumnText(0));
  }
}

Result<std::vector<EntryRow>> Database::ListEntries(const EntryFilter& filter) {
  std::vector<EntryRow> rows;
  ATTUNE_RETURN_IF_ERROR(ForEachEntry(filter, [&rows](const EntryRow& row) {
    rows.push_back(row);
    return Status::Ok();
  }));
  return rows;
}

Status Database::ForEachEntry(const EntryFilter& filter,
                              const std::function<Status(const EntryRow&)>& visit) {
  ATTUNE_RETURN_IF_ERROR(RequireLatestSchema());
  ATTUNE_RETURN_IF_ERROR(ValidateFilter(filter));
  ATTUNE_ASSIGN_OR_RETURN(
      StatementLease statement,
      statements_->Acquire(SelectEntriesSql(FilterClause(filter) + " ORDER BY created_ms, id")));
  ATTUNE_RETURN_IF_ERROR(BindFilter(*statement, filter));
  while (true) {
    Result<bool> has_row = statement->Step();
    if (!has_row.ok()) return has_row.status().WithContext("list entries");
    if (!*has_row) return Status::Ok();
    ATTUNE_RETURN_IF_ERROR(visit(ReadEntryRow(*statement)));
  }
}

Result<int64_t> Database::CountEntries(const EntryFilter& filter) {
  ATTUNE_RETURN_IF_ERROR(RequireLatestSchema());
  ATTUNE_RETURN_IF_ERROR(ValidateFilter(filter));
  ATTUNE_ASSIGN_OR_RETURN(
      StatementLease statement,
      statements_->Acquire("SELECT count(*) FROM entries" + FilterClause(filter)));
  ATTUNE_RETURN_IF_ERROR(BindFilter(*statement, filter));
  Result<bool> has_row = statement->Step();
  if (!has_row.ok()) return has_row.status().WithContext("count entries");
  if (!*has_row) return Status::Internal("count entries: no row");
  return statement->ColumnInt64(0);
}

Result<std::map<std::string, int64_t>> Database::CountEntriesByKind(const EntryFilter& filter) {
  ATTUNE_RETURN_IF_ERROR(RequireLatestSchema());
  ATTUNE_RETURN_IF_ERROR(ValidateFilter(filter));
  if (filter.kind) return Status::InvalidArgument("counting by kind within one kind");
  ATTUNE_ASSIGN_OR_RETURN(StatementLease statement,
                          statements_->Acquire("SELECT kind, count(*) FROM entries" +
                                               FilterClause(filter) + " GROUP BY kind"));
  ATTUNE_RETURN_IF_ERROR(BindFilter(*statement, filter));
  std::map<std::string, int64_t> counts;
  while (true) {
    Result<bool> has_row = statement->Step();
    if (!has_row.ok()) return has_row.status().WithContext("count entries by kind");
    if (!*has_row) return counts;
    counts[statement->ColumnText(0)] = statement->ColumnInt64(1);
  }
}

Result<std::vector<std::string>> Database::ListAllIds() {
  ATTUNE_RETURN_IF_ERROR(RequireLatestSchema());
  ATTUNE_ASSIGN_OR_RETURN(StatementLease statement, statements_->Acquire(kAllIdsSql));
  std::vector<std::string> ids;
  while (true) {
    Result<bool> has_row = statement->Step();
    if (!has_row.ok()) return has_row.status().WithContext("list ids");
    if (!*has_row) return ids;
    ids.push_back(statement->ColumnText(0));
  }
}

Result<int64_t> Database::DeleteEntriesBy(std::string_view author) {
  ATTUNE_RETURN_IF_ERROR(RequireWritable());
  ATTUNE_RETURN_IF_ERROR(RequireLatestSchema());
  ATTUNE_RETURN_IF_ERROR(ValidateFilter({.author = std::string(author)}));
  ATTUNE_ASSIGN_OR_RETURN(StatementLease statement, statements_->Acquire(kDeleteByAuthorSql));
  ATTUNE_RETURN_IF_ERROR(statement->BindText(1, author));
  ATTUNE_RETURN_IF_ERROR(statement->Run().WithContext("delete entries"));
  return statement->Changes();
}

Status Database::PutLogRow(std::string_view entry_id, int64_t seq, bool withdrawn,
                           ByteSpan sealed) {
  ATTUNE_RETURN_IF_ERROR(RequireWritable());
  ATTUNE_RETURN_IF_ERROR(RequireLatestSchema());
  ATTUNE_RETURN_IF_ERROR(ValidateEntryId(entry_id));
  if (seq < 1) return Status::InvalidArgument("a log row's seq is at least 1");
  ATTUNE_ASSIGN_OR_RETURN(StatementLease statement, statements_->Acquire(kPutLogRowSql));
  ATTUNE_RETURN_IF_ERROR(statement->BindText(1, entry_id));
  ATTUNE_RETURN_IF_ERROR(statement->BindInt64(2, seq));
  ATTUNE_RETURN_IF_ERROR(statement->BindInt64(3, withdrawn ? 1 : 0));
  ATTUNE_RETURN_IF_ERROR(statement->BindBlob(4, sealed));
  return statement->Run().WithContext("put log row");
}

Result<std::optional<OutgoingRow>> Database::GetLogRow(std::string_view entry_id) {
  ATTUNE_RETURN_IF_ERROR(RequireLatestSchema());
  ATTUNE_RETURN_IF_ERROR(ValidateEntryId(entry_id));
  ATTUNE_ASSIGN_OR_RETURN(StatementLease statement,
                          statements_->Acquire(SelectLogSql(" WHERE o.entry_id = ?1")));
  ATTUNE_RETURN_IF_ERROR(statement->BindText(1, entry_id));
  Result<bool> has_row = statement->Step();
  if (!has_row.ok()) return has_row.status().WithContext("get log row");
  if (!*has_row) return std::optional<OutgoingRow>();
  ATTUNE_ASSIGN_OR_RETURN(OutgoingRow row, ReadOutgoingRow(*statement));
  return std::optional<OutgoingRow>(std::move(row));
}

Result<std::vector<OutgoingRow>> Database::ReadLog(int64_t after_seq, size_t limit) {
  ATTUNE_RETURN_IF_ERROR(RequireLatestSchema());
  if (limit == 0) return Status::InvalidArgument("read log: limit must be at least 1");
  const int64_t row_limit = static_cast<int64_t>(
      std::min(limit, static_cast<size_t>(std::numeric_limits<int64_t>::max())));
  ATTUNE_ASSIGN_OR_RETURN(
      StatementLease statement,
      statements_->Acquire(SelectLogSql(" WHERE o.seq > ?1 ORDER BY o.seq LIMIT ?2")));
  ATTUNE_RETURN_IF_ERROR(statement->BindInt64(1, after_seq));
  ATTUNE_RETURN_IF_ERROR(statement->BindInt64(2, row_limit));
  std::vector<OutgoingRow> rows;
  while (true) {
    Result<bool> has_row = statement->Step();
    if (!has_row.ok()) return has_row.status().WithContext("read log");
    if (!*has_row) return rows;
    ATTUNE_ASSIGN_OR_RETURN(OutgoingRow row, ReadOutgoingRow(*statement));
    rows.push_back(std::move(row));
  }
}

Result<int64_t> Database::LastLogSeq() {
  ATTUNE_RETURN_IF_ERROR(RequireLatestSchema());
  ATTUNE_ASSIGN_OR_RETURN(StatementLease statement, statements_->Acquire(kLastLogSeqSql));
  Result<bool> has_row = statement->Step();
  if (!has_row.ok()) return has_row.status().WithContext("last log seq");
  if (!*has_row) return Status::Internal("last log seq: no row");
  return statement->ColumnInt64(0);
}

Status Database::ForEachLogRowId(
    int64_t from_seq,
    const std::function<Status(std::string_view entry_id, int64_t seq, bool withdrawn)>& visit) {
  ATTUNE_RETURN_IF_ERROR(RequireLatestSchema());
  ATTUNE_ASSIGN_OR_RETURN(StatementLease statement, statements_->Acquire(kLogRowIdsSql));
  ATTUNE_RETURN_IF_ERROR(statement->BindInt64(1, from_seq));
  while (true) {
    Result<bool> has_row = statement->Step();
    if (!has_row.ok()) return has_row.status().WithContext("log row ids");
    if (!*has_row) return Status::Ok();
    if (statement->TypeAt(0) != ColumnType::kText || statement->TypeAt(1) != ColumnType::kInteger ||
        statement->TypeAt(2) != ColumnType::kInteger) {
      return Status::Corruption("outgoing row has unexpected column values");
    }
    ATTUNE_RETURN_IF_ERROR(
        visit(statement->ColumnText(0), statement->ColumnInt64(1), statement->ColumnInt64(2) != 0));
  }
}

Status Database::ClearLog() {
  ATTUNE_RETURN_IF_ERROR(RequireWritable());
  ATTUNE_RETURN_IF_ERROR(RequireLatestSchema());
  ATTUNE_ASSIGN_OR_RETURN(StatementLease statement, statements_->Acquire(kClearLogSql));
  return statement->Run().WithContext("clear log");
}

Result<int64_t> Database::DataVersion() {
  return QueryInt64(db_.get(), "PRAGMA data_version");
}

std::string Database::FilePath() const {
  const char* path = sqlite3_db_filename(db_.get(), "main");
  return path == nullptr ? std::string() : std::string(path);
}

Result<ConnectionSettings> Database::Settings() {
  ConnectionSettings settings;
  ATTUNE_ASSIGN_OR_RETURN(settings.journal_mode, QueryText(db_.get(), "PRAGMA journal_mode"));
  ATTUNE_ASSIGN_OR_RETURN(int64_t synchronous, QueryInt64(db_.get(), "PRAGMA synchronous"));
  ATTUNE_ASSIGN_OR_RETURN(int64_t secure_delete, QueryInt64(db_.get(), "PRAGMA secure_delete"));
  ATTUNE_ASSIGN_OR_RETURN(int64_t foreign_keys, QueryInt64(db_.get(), "PRAGMA foreign_keys"));
  ATTUNE_ASSIGN_OR_RETURN(settings.busy_timeout_ms, QueryInt64(db_.get(), "PRAGMA busy_timeout"));
  settings.synchronous = static_cast<int>(synchronous);
  settings.secure_delete = secure_delete != 0;
  settings.foreign_keys = foreign_keys != 0;
  return settings;
}

Result<std::string> Database::IntegrityCheck() {
  ATTUNE_ASSIGN_OR_RETURN(Statement statement,
                          Statement::Prepare(db_.get(), "PRAGMA integrity_check"));
  std::string report;
  while (true) {
    Result<bool> has_row = statement.Step();
    if (!has_row.ok()) return has_row.status().WithContext("integrity check");
    if (!*has_row) return report;
    if (!report.empty()) report += '\n';
    report += statement.ColumnText(0);
  }
}

Result<std::vector<std::string>> Database::MetaKeys() {
  ATTUNE_ASSIGN_OR_RETURN(StatementLease statement, statements_->Acquire(kMetaKeysSql));
  std::vector<std::string> keys;
  while (true) {
    Result<bool> has_row = statement->Step();
    if (!has_row.ok()) return has_row.status().WithContext("meta keys");
    if (!*has_row) return keys;
    keys.push_back(statement->ColumnText(0));
  }
}

Status Database::CopyTo(const std::string& path) {
  // SQLite would refuse an existing file with a generic error (or write into an empty one).
  if (::access(path.c_str(), F_OK) == 0) return Status::AlreadyExists("copy: the target exists");
  ATTUNE_ASSIGN_OR_RETURN(Statement statement, Statement::Prepare(db_.get(), "VACUUM INTO ?1"));
  ATTUNE_RETURN_IF_ERROR(statement.BindText(1, path));
  const Status copied = statement.Run();
  if (!copied.ok()) ::unlink(path.c_str());  // a full disk may have left part of it
  return copied.WithContext("copy");
}

Status Database::Checkpoint() {
  ATTUNE_RETURN_IF_ERROR(RequireWritable());
  auto truncate = [this] {
    return sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr,
                                     nullptr);
  };
  // The background thread's own checkpoint would make this one fail with SQLITE_BUSY.
  const int rc = checkpointer_ ? checkpointer_->Exclusively(truncate) : truncate();
  if (rc != SQLITE_OK) return SqliteStatus(rc, db_.get(), "checkpoint");
  return Status::Ok();
}

Status Database::CheckpointInBackground(int threshold_pages) {
  ATTUNE_RETURN_IF_ERROR(RequireWritable());
  if (checkpointer_) return Status::Ok();
  const std::string path = FilePath();
  if (path.empty()) return Status::Ok();  // in memory: no WAL to checkpoint
  ATTUNE_ASSIGN_OR_RETURN(checkpointer_,
                          BackgroundCheckpointer::Start(db_.get(), path, threshold_pages));
  return Status::Ok();
}

std::optional<CheckpointActivity> Database::WaitForBackgroundCheckpoints(
    int checkpoints, std::chrono::milliseconds timeout) {
  if (!checkpointer_) return std::nullopt;
  return checkpointer_->WaitFor(checkpoints, timeout);
}

}  // namespace attune::storage
