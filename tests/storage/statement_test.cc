#include "storage/statement.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "storage/sqlite_status.h"
#include "storage/statement_cache.h"
#include "tests/storage/test_util.h"

namespace attune::storage {
namespace {

using testing::ExecRaw;
using testing::RawDb;

class StatementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenRaw(":memory:");
    ASSERT_EQ(ExecRaw(db_.get(), "CREATE TABLE t (a, b)"), SQLITE_OK);
  }
  RawDb db_;
};

TEST_F(StatementTest, BindsAndReadsEachType) {
  ASSERT_OK_AND_ASSIGN(Statement insert,
                       Statement::Prepare(db_.get(), "INSERT INTO t (a, b) VALUES (?1, ?2)"));
  ASSERT_OK(insert.BindInt64(1, -1234567890123));
  ASSERT_OK(insert.BindBlob(2, Bytes{0x00, 0xff, 0x00}));
  ASSERT_OK(insert.Run());
  EXPECT_EQ(insert.Changes(), 1);

  ASSERT_OK_AND_ASSIGN(Statement select, Statement::Prepare(db_.get(), "SELECT a, b FROM t"));
  ASSERT_OK_AND_ASSIGN(bool has_row, select.Step());
  ASSERT_TRUE(has_row);
  EXPECT_EQ(select.TypeAt(0), ColumnType::kInteger);
  EXPECT_EQ(select.ColumnInt64(0), -1234567890123);
  EXPECT_EQ(select.TypeAt(1), ColumnType::kBlob);
  EXPECT_EQ(select.ColumnBlob(1), (Bytes{0x00, 0xff, 0x00}));
  ASSERT_OK_AND_ASSIGN(has_row, select.Step());
  EXPECT_FALSE(has_row);
}

TEST_F(StatementTest, EmptyBlobAndTextAreNotNull) {
  ASSERT_OK_AND_ASSIGN(Statement insert,
                       Statement::Prepare(db_.get(), "INSERT INTO t (a, b) VALUES (?1, ?2)"));
  ASSERT_OK(insert.BindText(1, ""));
  ASSERT_OK(insert.BindBlob(2, ByteSpan()));
  ASSERT_OK(insert.Run());
  ASSERT_OK_AND_ASSIGN(Statement select,
                       Statement::Prepare(db_.get(), "SELECT typeof(a), typeof(b) FROM t"));
  ASSERT_OK_AND_ASSIGN(bool has_row, select.Step());
  ASSERT_TRUE(has_row);
  EXPECT_EQ(select.ColumnText(0), "text");
  EXPECT_EQ(select.ColumnText(1), "blob");
}

TEST_F(StatementTest, TextWithEmbeddedNulRoundTrips) {
  ASSERT_OK_AND_ASSIGN(Statement echo, Statement::Prepare(db_.get(), "SELECT ?1"));
  const std::string text("a\0b", 3);
  ASSERT_OK(echo.BindText(1, text));
  ASSERT_OK_AND_ASSIGN(bool has_row, echo.Step());
  ASSERT_TRUE(has_row);
  EXPECT_EQ(echo.ColumnText(0), text);
}

TEST_F(StatementTest, ResetClearsBindings) {
  ASSERT_OK_AND_ASSIGN(Statement echo, Statement::Prepare(db_.get(), "SELECT ?1"));
  ASSERT_OK(echo.BindInt64(1, 7));
  ASSERT_OK_AND_ASSIGN(bool has_row, echo.Step());
  ASSERT_TRUE(has_row);
  EXPECT_EQ(echo.ColumnInt64(0), 7);
  echo.Reset();
  ASSERT_OK_AND_ASSIGN(has_row, echo.Step());
  ASSERT_TRUE(has_row);
  EXPECT_EQ(echo.TypeAt(0), ColumnType::kNull);
}

TEST_F(StatementTest, RejectsSyntaxErrorsAndSecondStatements) {
  Result<Statement> bad = Statement::Prepare(db_.get(), "SELEC 1");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInternal);

  Result<Statement> two = Statement::Prepare(db_.get(), "SELECT 1; SELECT 2");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.status().code(), StatusCode::kInvalidArgument);

  EXPECT_OK(Statement::Prepare(db_.get(), "SELECT 1; ").status());
}

TEST_F(StatementTest, BindOutOfRangeIsInvalidArgument) {
  ASSERT_OK_AND_ASSIGN(Statement echo, Statement::Prepare(db_.get(), "SELECT ?1"));
  Status status = echo.BindInt64(2, 1);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
}

TEST_F(StatementTest, RunRefusesARowReturningStatement) {
  ASSERT_OK_AND_ASSIGN(Statement select, Statement::Prepare(db_.get(), "SELECT 1"));
  EXPECT_EQ(select.Run().code(), StatusCode::kInternal);
}

TEST_F(StatementTest, CacheReusesIdleStatementsAndSeparatesNestedOnes) {
  StatementCache cache(db_.get());
  {
    ASSERT_OK_AND_ASSIGN(StatementLease outer, cache.Acquire("SELECT 1"));
    EXPECT_EQ(cache.idle_count(), 0u);
    ASSERT_OK_AND_ASSIGN(bool has_row, outer->Step());
    ASSERT_TRUE(has_row);
    {
      // The outer statement is mid-result; the nested lease must not disturb it.
      ASSERT_OK_AND_ASSIGN(StatementLease inner, cache.Acquire("SELECT 1"));
      ASSERT_NE(&*inner, &*outer);
      ASSERT_OK_AND_ASSIGN(bool inner_row, inner->Step());
      EXPECT_TRUE(inner_row);
    }
    EXPECT_EQ(cache.idle_count(), 1u);
    EXPECT_EQ(outer->ColumnInt64(0), 1);
  }
  EXPECT_EQ(cache.idle_count(), 1u);
  // A returned statement was reset: it runs again from the start.
  ASSERT_OK_AND_ASSIGN(StatementLease again, cache.Acquire("SELECT 1"));
  ASSERT_OK_AND_ASSIGN(bool has_row, again->Step());
  EXPECT_TRUE(has_row);
}

TEST(SqliteStatusTest, MapsResultCodes) {
  struct Case {
    int rc;
    StatusCode expected;
  };
  const Case cases[] = {
      {SQLITE_BUSY, StatusCode::kBusy},
      {SQLITE_BUSY_SNAPSHOT, StatusCode::kBusy},
      {SQLITE_LOCKED, StatusCode::kBusy},
      {SQLITE_NOTADB, StatusCode::kCorruption},
      {SQLITE_CORRUPT, StatusCode::kCorruption},
      {SQLITE_CANTOPEN, StatusCode::kIoError},
      {SQLITE_PERM, StatusCode::kIoError},
      {SQLITE_READONLY, StatusCode::kIoError},
      {SQLITE_FULL, StatusCode::kNoSpace},
      {SQLITE_IOERR_WRITE, StatusCode::kIoError},
      {SQLITE_CONSTRAINT_PRIMARYKEY, StatusCode::kAlreadyExists},
      {SQLITE_CONSTRAINT_UNIQUE, StatusCode::kAlreadyExists},
      {SQLITE_CONSTRAINT_CHECK, StatusCode::kInvalidArgument},
      {SQLITE_CONSTRAINT_NOTNULL, StatusCode::kInvalidArgument},
      {SQLITE_TOOBIG, StatusCode::kInvalidArgument},
      {SQLITE_INTERRUPT, StatusCode::kCancelled},
      {SQLITE_ERROR, StatusCode::kInternal},
      {SQLITE_MISUSE, StatusCode::kInternal},
  };
  for (const Case& c : cases) {
    errno = 0;  // an I/O error's errno can make it kNoSpace (next test)
    Status status = SqliteStatus(c.rc, nullptr, "act");
    EXPECT_EQ(status.code(), c.expected) << "rc " << c.rc;
    EXPECT_EQ(status.detail().rfind("act: sqlite: ", 0), 0u) << status.detail();
  }
  EXPECT_EQ(SqliteStatus(SQLITE_BUSY, nullptr, "write").detail(),
            "write: sqlite: database is locked");
}

// SQLite turns a write refused outright for lack of room (EFBIG past the file-size limit,
// ENOSPC or EDQUOT) into an I/O error; the errno the failed call left decides.
TEST(SqliteStatusTest, AnIoErrorForWantOfRoomIsNoSpace) {
  for (int err : {ENOSPC, EFBIG, EDQUOT}) {
    for (int rc : {SQLITE_IOERR_WRITE, SQLITE_IOERR_SHMSIZE, SQLITE_CANTOPEN}) {
      errno = err;
      const Status status = SqliteStatus(rc, nullptr, "commit");
      EXPECT_EQ(status.code(), StatusCode::kNoSpace) << "rc " << rc << ", errno " << err;
      EXPECT_NE(status.detail().find(std::strerror(err)), std::string::npos) << status.detail();
    }
  }
  errno = EIO;
  EXPECT_EQ(SqliteStatus(SQLITE_IOERR_READ, nullptr, "read").code(), StatusCode::kIoError);
  errno = EFBIG;  // only I/O errors look at errno
  EXPECT_EQ(SqliteStatus(SQLITE_BUSY, nullptr, "write").code(), StatusCode::kBusy);
  EXPECT_EQ(SqliteStatus(SQLITE_READONLY, nullptr, "write").code(), StatusCode::kIoError);
}

}  // namespace
}  // namespace attune::storage
