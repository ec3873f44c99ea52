// Schema creation and upgrades from older versions.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "storage/database.h"
#include "storage/schema.h"
#include "tests/storage/test_util.h"

namespace attune::storage {
namespace {

using testing::ExecRaw;
using testing::QueryRawInt;

std::set<std::string> Columns(sqlite3* db, const std::string& table) {
  std::set<std::string> names;
  sqlite3_stmt* statement = nullptr;
  std::string sql = "SELECT name FROM pragma_table_info('" + table + "')";
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) return names;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    names.insert(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
  }
  sqlite3_finalize(statement);
  return names;
}

bool HasIndex(sqlite3* db, const std::string& name) {
  return QueryRawInt(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = '" +
                             name + "'") == 1;
}

const std::set<std::string> kVersion1EntryColumns = {
    "id",  "kind", "step", "created_ms", "created_offset_min", "updated_ms", "updated_offset_min",
    "body"};

class MigrationTest : public ::testing::Test {
 protected:
  std::string DbPath() const { return dir_.File("journal.db"); }

  void CreateVersion1() {
    ASSERT_OK_AND_ASSIGN(
        Database db, Database::Open(DbPath(), OpenMode::kCreateIfMissing, {.target_version = 1}));
    ASSERT_EQ(db.schema_version(), 1);
  }

  testing::TempDir dir_;
};

TEST_F(MigrationTest, LatestSchemaHasExpectedTablesColumnsAndIndexes) {
  { ASSERT_OK(Database::Open(DbPath(), OpenMode::kCreateIfMissing).status()); }
  testing::RawDb raw = testing::OpenRaw(DbPath());
  EXPECT_EQ(QueryRawInt(raw.get(), "PRAGMA user_version"), Database::kLatestSchemaVersion);
  EXPECT_EQ(QueryRawInt(raw.get(), "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"), 3);
  EXPECT_EQ(Columns(raw.get(), "meta"), (std::set<std::string>{"key", "value"}));
  std::set<std::string> entry_columns = kVersion1EntryColumns;
  entry_columns.insert({"visibility", "author"});
  EXPECT_EQ(Columns(raw.get(), "entries"), entry_columns);
  EXPECT_EQ(Columns(raw.get(), "outgoing"),
            (std::set<std::string>{"entry_id", "seq", "withdrawn", "sealed"}));
  EXPECT_TRUE(HasIndex(raw.get(), "entries_by_created"));
  EXPECT_TRUE(HasIndex(raw.get(), "entries_by_kind"));
  EXPECT_TRUE(HasIndex(raw.get(), "entries_by_author"));
}

TEST_F(MigrationTest, SchemaChecksRejectBadRowsWrittenBehindOurBack) {
  { ASSERT_OK(Database::Open(DbPath(), OpenMode::kCreateIfMissing).status()); }
  testing::RawDb raw = testing::OpenRaw(DbPath());
  const std::string row_tail = "'k', 0, 0, 0, 0, 0, x''";
  EXPECT_NE(ExecRaw(raw.get(),
                    "INSERT INTO entries (id, kind, step, created_ms, "
                    "created_offset_min, updated_ms, updated_offset_min, body) "
                    "VALUES ('ABCDEF0123456789ABCDEF0123456789', " +
                        row_tail + ")"),
            SQLITE_OK);
  EXPECT_NE(ExecRaw(raw.get(),
                    "INSERT INTO entries (id, kind, step, created_ms, "
                    "created_offset_min, updated_ms, updated_offset_min, body, "
                    "visibility) VALUES ('" +
                        testing::PaddedId("ab") + "', " + row_tail + ", 'public')"),
            SQLITE_OK);
  EXPECT_EQ(ExecRaw(raw.get(),
                    "INSERT INTO entries (id, kind, step, created_ms, "
                    "created_offset_min, updated_ms, updated_offset_min, body) "
                    "VALUES ('" +
                        testing::PaddedId("ab") + "', " + row_tail + ")"),
            SQLITE_OK);
}

TEST_F(MigrationTest, Version1LacksSharingColumnsAndRefusesEntryOperations) {
  CreateVersion1();
  ASSERT_OK_AND_ASSIGN(Database db,
                       Database::Open(DbPath(), OpenMode::kMustExist, {.target_version = 1}));
  EXPECT_EQ(db.schema_version(), 1);
  EXPECT_EQ(db.InsertEntry(testing::MakeEntry(1)).code(), StatusCode::kUnsupported);
  EXPECT_EQ(db.ListAllIds().status().code(), StatusCode::kUnsupported);
  EXPECT_OK(db.PutMeta("k", AsBytes("v")));  // meta exists from version 1

  testing::RawDb raw = testing::OpenRaw(DbPath());
  EXPECT_EQ(QueryRawInt(raw.get(), "PRAGMA user_version"), 1);
  EXPECT_EQ(Columns(raw.get(), "entries"), kVersion1EntryColumns);
  EXPECT_FALSE(HasIndex(raw.get(), "entries_by_author"));
}

TEST_F(MigrationTest, UpgradeFromVersion1KeepsRowsAsPrivateAndMine) {
  CreateVersion1();
  const std::string id_a = testing::PaddedId("aa");
  const std::string id_b = testing::PaddedId("bb");
  {
    // Rows as attune with schema 1 would have written them.
    testing::RawDb raw = testing::OpenRaw(DbPath());
    ASSERT_EQ(ExecRaw(raw.get(),
                      "INSERT INTO entries VALUES ('" + id_a +
                          "', 'note', 2, 1000, -300, 1500, "
                          "-240, x'00ff10'); INSERT INTO entries VALUES ('" +
                          id_b +
                          "', 'quiz', 0, "
                          "2000, 60, 2000, 60, x''); INSERT INTO meta VALUES ('salt', x'0102')"),
              SQLITE_OK);
  }

  ASSERT_OK_AND_ASSIGN(Database db, Database::Open(DbPath(), OpenMode::kMustExist));
  EXPECT_EQ(db.schema_version(), Database::kLatestSchemaVersion);
  ASSERT_OK_AND_ASSIGN(std::optional<EntryRow> a, db.GetEntry(id_a));
  ASSERT_TRUE(a.has_value());
  EntryRow expected_a{.id = id_a,
                      .kind = "note",
                      .step = 2,
                      .created_ms = 1000,
                      .created_offset_min = -300,
                      .updated_ms = 1500,
                      .updated_offset_min = -240,
                      .visibility = "private",
                      .author = "me",
                      .body = Bytes{0x00, 0xff, 0x10}};
  EXPECT_EQ(*a, expected_a);
  ASSERT_OK_AND_ASSIGN(std::optional<EntryRow> b, db.GetEntry(id_b));
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->visibility, "private");
  EXPECT_EQ(b->author, "me");
  EXPECT_TRUE(b->body.empty());
  ASSERT_OK_AND_ASSIGN(std::optional<Bytes> salt, db.GetMeta("salt"));
  EXPECT_EQ(salt, (Bytes{0x01, 0x02}));

  testing::RawDb raw = testing::OpenRaw(DbPath());
  EXPECT_EQ(QueryRawInt(raw.get(), "PRAGMA user_version"), Database::kLatestSchemaVersion);
  EXPECT_TRUE(HasIndex(raw.get(), "entries_by_author"));
}

// Version 3 rebuilds the entries table (to widen the author CHECK): every row and index must
// come through, and the new author value must be accepted while others stay refused.
TEST_F(MigrationTest, UpgradeFromVersion2KeepsEveryRowAndAcceptsFormerAuthor) {
  const std::string id_a = testing::PaddedId("aa");
  {
    ASSERT_OK_AND_ASSIGN(
        Database db, Database::Open(DbPath(), OpenMode::kCreateIfMissing, {.target_version = 2}));
    ASSERT_EQ(db.schema_version(), 2);
    testing::RawDb raw = testing::OpenRaw(DbPath());
    ASSERT_EQ(ExecRaw(raw.get(), "INSERT INTO entries VALUES ('" + id_a +
                                     "', 'need', 6, 1000, 60, 2000, 60, x'010203', 'shared', "
                                     "'partner')"),
              SQLITE_OK);
  }
  ASSERT_OK_AND_ASSIGN(Database db, Database::Open(DbPath(), OpenMode::kMustExist));
  EXPECT_EQ(db.schema_version(), Database::kLatestSchemaVersion);
  ASSERT_OK_AND_ASSIGN(std::optional<EntryRow> a, db.GetEntry(id_a));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->author, "partner");
  EXPECT_EQ(a->visibility, "shared");
  EXPECT_EQ(a->body, (Bytes{1, 2, 3}));
  a->author = "former";
  ASSERT_OK(db.UpdateEntry(*a));
  testing::RawDb raw = testing::OpenRaw(DbPath());
  EXPECT_TRUE(HasIndex(raw.get(), "entries_by_created"));
  EXPECT_TRUE(HasIndex(raw.get(), "entries_by_kind"));
  EXPECT_TRUE(HasIndex(raw.get(), "entries_by_author"));
  EXPECT_NE(ExecRaw(raw.get(), "UPDATE entries SET author = 'stranger'"), SQLITE_OK);
}

// Version 4 gives outgoing rows a seal; rows an older attune wrote have none (node then re-seals
// them at the first unlock) and read as unsealed.
TEST_F(MigrationTest, UpgradeFromVersion3LeavesOldLogRowsUnsealed) {
  const std::string id = testing::PaddedId("ab");
  {
    ASSERT_OK_AND_ASSIGN(
        Database db, Database::Open(DbPath(), OpenMode::kCreateIfMissing, {.target_version = 3}));
    ASSERT_EQ(db.schema_version(), 3);
    testing::RawDb raw = testing::OpenRaw(DbPath());
    ASSERT_EQ(ExecRaw(raw.get(), "INSERT INTO outgoing VALUES ('" + id + "', 7, 1)"), SQLITE_OK);
  }
  ASSERT_OK_AND_ASSIGN(Database db, Database::Open(DbPath(), OpenMode::kMustExist));
  EXPECT_EQ(db.schema_version(), Database::kLatestSchemaVersion);
  ASSERT_OK_AND_ASSIGN(std::optional<OutgoingRow> row, db.GetLogRow(id));
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->seq, 7);
  EXPECT_TRUE(row->withdrawn);
  EXPECT_FALSE(row->sealed.has_value());
  ASSERT_OK(db.PutLogRow(id, 8, true, Bytes{9, 9}));
  ASSERT_OK_AND_ASSIGN(row, db.GetLogRow(id));
  ASSERT_TRUE(row.has_value() && row->sealed.has_value());
  EXPECT_EQ(*row->sealed, (Bytes{9, 9}));
}

// A migration that fails halfway leaves the previous version whole: the ALTERs that ran
// before the failing CREATE INDEX are rolled back together with the version bump.
TEST_F(MigrationTest, FailedMigrationRollsBackCompletely) {
  CreateVersion1();
  {
    testing::RawDb raw = testing::OpenRaw(DbPath());
    ASSERT_EQ(ExecRaw(raw.get(), "CREATE INDEX entries_by_author ON entries (kind)"), SQLITE_OK);
  }
  Result<Database> db = Database::Open(DbPath(), OpenMode::kMustExist);
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().detail().find("0002_sharing.sql"), std::string::npos)
      << db.status().detail();

  testing::RawDb raw = testing::OpenRaw(DbPath());
  EXPECT_EQ(QueryRawInt(raw.get(), "PRAGMA user_version"), 1);
  EXPECT_EQ(Columns(raw.get(), "entries"), kVersion1EntryColumns);
}

TEST_F(MigrationTest, OlderTargetNeverDowngrades) {
  { ASSERT_OK(Database::Open(DbPath(), OpenMode::kCreateIfMissing).status()); }
  ASSERT_OK_AND_ASSIGN(Database db,
                       Database::Open(DbPath(), OpenMode::kMustExist, {.target_version = 1}));
  EXPECT_EQ(db.schema_version(), Database::kLatestSchemaVersion);
  testing::RawDb raw = testing::OpenRaw(DbPath());
  EXPECT_EQ(QueryRawInt(raw.get(), "PRAGMA user_version"), Database::kLatestSchemaVersion);
}

}  // namespace
}  // namespace attune::storage
