// Opening: creation, settings, and the files Open must refuse without touching them.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "storage/database.h"
#include "storage/schema.h"
#include "tests/storage/test_util.h"

namespace attune::storage {
namespace {

using testing::FileMode;
using testing::ReadFileBytes;

class DatabaseOpenTest : public ::testing::Test {
 protected:
  std::string DbPath() const { return dir_.File("journal.db"); }

  // Opens `path`, expects failure with `code`, and checks the file is byte-for-byte the same.
  void ExpectRefusedUnchanged(const std::string& path, StatusCode code) {
    Bytes before = ReadFileBytes(path);
    for (OpenMode mode : {OpenMode::kMustExist, OpenMode::kCreateIfMissing}) {
      Result<Database> db = Database::Open(path, mode);
      ASSERT_FALSE(db.ok());
      EXPECT_EQ(db.status().code(), code) << testing::Describe(db.status());
    }
    EXPECT_EQ(ReadFileBytes(path), before);
  }

  testing::TempDir dir_;
};

TEST_F(DatabaseOpenTest, CreatesMissingFileAtLatestVersion) {
  ASSERT_OK_AND_ASSIGN(Database db, Database::Open(DbPath(), OpenMode::kCreateIfMissing));
  EXPECT_EQ(db.schema_version(), kLatestSchemaVersion);
  ASSERT_OK_AND_ASSIGN(std::string integrity, db.IntegrityCheck());
  EXPECT_EQ(integrity, "ok");
  testing::RawDb raw = testing::OpenRaw(DbPath());
  EXPECT_EQ(testing::QueryRawInt(raw.get(), "PRAGMA user_version"), kLatestSchemaVersion);
  EXPECT_EQ(testing::QueryRawInt(raw.get(), "PRAGMA application_id"), kApplicationId);
}

TEST_F(DatabaseOpenTest, MustExistDoesNotCreate) {
  Result<Database> db = Database::Open(DbPath(), OpenMode::kMustExist);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(testing::FileExists(DbPath()));
}

TEST_F(DatabaseOpenTest, ReopensExistingDatabase) {
  {
    ASSERT_OK_AND_ASSIGN(Database db, Database::Open(DbPath(), OpenMode::kCreateIfMissing));
    ASSERT_OK(db.PutMeta("k", AsBytes("v")));
  }
  ASSERT_OK_AND_ASSIGN(Database db, Database::Open(DbPath(), OpenMode::kMustExist));
  ASSERT_OK_AND_ASSIGN(std::optional<Bytes> value, db.GetMeta("k"));
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(*value, Bytes({'v'}));
}

TEST_F(DatabaseOpenTest, ConnectionSettings) {
  ASSERT_OK_AND_ASSIGN(Database db, Database::Open(DbPath(), OpenMode::kCreateIfMissing,
                                                   {.busy_timeout = std::chrono::seconds(5)}));
  ASSERT_OK_AND_ASSIGN(ConnectionSettings settings, db.Settings());
  EXPECT_EQ(settings.journal_mode, "wal");
  EXPECT_EQ(settings.synchronous, 1);  // NORMAL
  EXPECT_TRUE(settings.secure_delete);
  EXPECT_TRUE(settings.foreign_keys);
  EXPECT_EQ(settings.busy_timeout_ms, 5000);
  // WAL is persistent: another connection sees it in the file header.
  testing::RawDb raw = testing::OpenRaw(DbPath());
  EXPECT_EQ(testing::QueryRawInt(raw.get(), "SELECT journal_mode = 'wal' FROM pragma_journal_mode"),
            1);
}

TEST_F(DatabaseOpenTest, NewFilesAre0600EvenWithPermissiveUmask) {
  mode_t old_umask = ::umask(0);
  Result<Database> db = Database::Open(DbPath(), OpenMode::kCreateIfMissing);
  ::umask(old_umask);
  ASSERT_OK(db.status());
  ASSERT_OK(db->PutMeta("k", AsBytes("v")));  // make sure -wal and -shm exist
  EXPECT_EQ(FileMode(DbPath()), 0600);
  EXPECT_EQ(FileMode(DbPath() + "-wal"), 0600);
  EXPECT_EQ(FileMode(DbPath() + "-shm"), 0600);
}

TEST_F(DatabaseOpenTest, MissingDirectoryIsIoError) {
  Result<Database> db =
      Database::Open(dir_.File("no/such/dir/journal.db"), OpenMode::kCreateIfMissing);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kIoError);
}

TEST_F(DatabaseOpenTest, DirectoryInPlaceOfFileIsIoError) {
  ASSERT_EQ(::mkdir(DbPath().c_str(), 0700), 0);
  Result<Database> db = Database::Open(DbPath(), OpenMode::kCreateIfMissing);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kIoError) << testing::Describe(db.status());
}

// SQLite would read "file:..." as a URI and ":memory:" as an in-memory database; a journal
// must always be the file named, so data written survives a reopen.
TEST_F(DatabaseOpenTest, NamesSqliteTreatsSpeciallyAreOrdinaryFiles) {
  struct WorkingDirectory {
    explicit WorkingDirectory(const std::string& path) : old(std::filesystem::current_path()) {
      std::filesystem::current_path(path);
    }
    ~WorkingDirectory() { std::filesystem::current_path(old); }
    std::filesystem::path old;
  } in_temp_dir(dir_.path());
  for (const std::string name : {"file:journal.db?mode=memory", ":memory:"}) {
    SCOPED_TRACE(name);
    {
      Result<Database> db = Database::Open(name, OpenMode::kCreateIfMissing);
      ASSERT_OK(db.status());
      ASSERT_OK(db->PutMeta("k", AsBytes("v")));
    }
    EXPECT_TRUE(testing::FileExists(dir_.File(name)));
    Result<Database> db = Database::Open(name, OpenMode::kMustExist);
    ASSERT_OK(db.status());
    Result<std::optional<Bytes>> value = db->GetMeta("k");
    ASSERT_OK(value.status());
    EXPECT_TRUE(value->has_value());
  }
}

TEST_F(DatabaseOpenTest, RejectsBadOptions) {
  for (int version : {0, -1, kLatestSchemaVersion + 1}) {
    Result<Database> db =
        Database::Open(DbPath(), OpenMode::kCreateIfMissing, {.target_version = version});
    ASSERT_FALSE(db.ok());
    EXPECT_EQ(db.status().code(), StatusCode::kInvalidArgument);
  }
  Result<Database> db = Database::Open(DbPath(), OpenMode::kCreateIfMissing,
                                       {.busy_timeout = std::chrono::milliseconds(-1)});
  EXPECT_EQ(db.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Database::Open("", OpenMode::kCreateIfMissing).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(testing::FileExists(DbPath()));
}

TEST_F(DatabaseOpenTest, EmptyExistingFileBecomesADatabase) {
  testing::WriteFileBytes(DbPath(), {});
  ASSERT_OK_AND_ASSIGN(Database db, Database::Open(DbPath(), OpenMode::kMustExist));
  EXPECT_EQ(db.schema_version(), kLatestSchemaVersion);
}

TEST_F(DatabaseOpenTest, GarbageIsCorruptionAndUntouched) {
  testing::WriteFileBytes(DbPath(), testing::RandomBytes(8192));
  ExpectRefusedUnchanged(DbPath(), StatusCode::kCorruption);
  testing::WriteFileBytes(DbPath(), AsBytes("this is a text file, not a database\n"));
  ExpectRefusedUnchanged(DbPath(), StatusCode::kCorruption);
}

TEST_F(DatabaseOpenTest, TruncatedDatabaseIsCorruptionAndUntouched) {
  const std::string source = dir_.File("source.db");
  {
    ASSERT_OK_AND_ASSIGN(Database db, Database::Open(source, OpenMode::kCreateIfMissing));
    ASSERT_OK(db.PutMeta("big", testing::RandomBytes(20000)));
  }
  Bytes whole = ReadFileBytes(source);
  ASSERT_GT(whole.size(), 8192u);
  // Cut inside the header, right after it, and inside the first pages.
  for (size_t size : {20u, 50u, 99u, 100u, 1000u, 4096u, 6000u}) {
    SCOPED_TRACE(size);
    testing::WriteFileBytes(DbPath(), ByteSpan(whole).first(size));
    ExpectRefusedUnchanged(DbPath(), StatusCode::kCorruption);
  }
}

TEST_F(DatabaseOpenTest, AnotherProgramsDatabaseIsRefusedUntouched) {
  {
    testing::RawDb raw = testing::OpenRaw(DbPath());
    ASSERT_EQ(testing::ExecRaw(raw.get(), "CREATE TABLE photos (name TEXT)"), 0);
  }
  ExpectRefusedUnchanged(DbPath(), StatusCode::kCorruption);
  {
    // Versioned, but not stamped with attune's application id.
    testing::RawDb raw = testing::OpenRaw(DbPath());
    ASSERT_EQ(testing::ExecRaw(raw.get(), "PRAGMA user_version = 1"), 0);
  }
  ExpectRefusedUnchanged(DbPath(), StatusCode::kCorruption);
}

TEST_F(DatabaseOpenTest, NewerSchemaVersionIsUnsupportedAndUntouched) {
  { ASSERT_OK(Database::Open(DbPath(), OpenMode::kCreateIfMissing).status()); }
  {
    testing::RawDb raw = testing::OpenRaw(DbPath());
    ASSERT_EQ(testing::ExecRaw(raw.get(), "PRAGMA user_version = 99"), 0);
  }
  ASSERT_FALSE(testing::FileExists(DbPath() + "-wal"));
  ExpectRefusedUnchanged(DbPath(), StatusCode::kUnsupported);
  Result<Database> db = Database::Open(DbPath(), OpenMode::kMustExist);
  EXPECT_NE(db.status().detail().find("99"), std::string::npos);
}

// A newer attune crashed (or is still running) with commits only in its WAL. Closing our
// refused connection must not checkpoint that WAL into the main file.
TEST_F(DatabaseOpenTest, NewerVersionWithPendingWalIsLeftAlone) {
  { ASSERT_OK(Database::Open(DbPath(), OpenMode::kCreateIfMissing).status()); }
  testing::RawDb newer = testing::OpenRaw(DbPath());
  ASSERT_EQ(sqlite3_db_config(newer.get(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr), 0);
  ASSERT_EQ(testing::ExecRaw(newer.get(),
                             "PRAGMA user_version = 99;"
                             "INSERT INTO meta VALUES ('n', x'01')"),
            0);
  newer.reset();
  Bytes wal_before = ReadFileBytes(DbPath() + "-wal");
  ASSERT_FALSE(wal_before.empty());

  ExpectRefusedUnchanged(DbPath(), StatusCode::kUnsupported);
  EXPECT_EQ(ReadFileBytes(DbPath() + "-wal"), wal_before);
}

}  // namespace
}  // namespace attune::storage
