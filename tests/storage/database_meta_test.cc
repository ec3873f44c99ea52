#include <gtest/gtest.h>

#include "storage/database.h"
#include "tests/storage/test_util.h"

namespace attune::storage {
namespace {

class DatabaseMetaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(Database db,
                         Database::Open(dir_.File("journal.db"), OpenMode::kCreateIfMissing));
    db_.emplace(std::move(db));
  }

  testing::TempDir dir_;
  std::optional<Database> db_;
};

TEST_F(DatabaseMetaTest, PutGetReplaceDelete) {
  ASSERT_OK_AND_ASSIGN(std::optional<Bytes> missing, db_->GetMeta("wrapped_key"));
  EXPECT_FALSE(missing.has_value());

  const Bytes first = {0x00, 0x01, 0x00, 0xfe};  // embedded NULs must survive
  ASSERT_OK(db_->PutMeta("wrapped_key", first));
  ASSERT_OK_AND_ASSIGN(std::optional<Bytes> got, db_->GetMeta("wrapped_key"));
  EXPECT_EQ(got, first);

  const Bytes second = testing::RandomBytes(300);
  ASSERT_OK(db_->PutMeta("wrapped_key", second));
  ASSERT_OK_AND_ASSIGN(got, db_->GetMeta("wrapped_key"));
  EXPECT_EQ(got, second);

  ASSERT_OK(db_->DeleteMeta("wrapped_key"));
  ASSERT_OK_AND_ASSIGN(got, db_->GetMeta("wrapped_key"));
  EXPECT_FALSE(got.has_value());
  EXPECT_EQ(db_->DeleteMeta("wrapped_key").code(), StatusCode::kNotFound);
}

TEST_F(DatabaseMetaTest, KeysAreIndependent) {
  ASSERT_OK(db_->PutMeta("a", AsBytes("1")));
  ASSERT_OK(db_->PutMeta("b", AsBytes("2")));
  ASSERT_OK(db_->DeleteMeta("a"));
  ASSERT_OK_AND_ASSIGN(std::optional<Bytes> b, db_->GetMeta("b"));
  EXPECT_EQ(b, Bytes({'2'}));
}

TEST_F(DatabaseMetaTest, EmptyValueIsStoredNotMissing) {
  ASSERT_OK(db_->PutMeta("empty", ByteSpan()));
  ASSERT_OK_AND_ASSIGN(std::optional<Bytes> got, db_->GetMeta("empty"));
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->empty());
}

TEST_F(DatabaseMetaTest, EmptyKeyIsInvalid) {
  EXPECT_EQ(db_->PutMeta("", AsBytes("x")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(db_->GetMeta("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(db_->DeleteMeta("").code(), StatusCode::kInvalidArgument);
}

TEST_F(DatabaseMetaTest, NonBlobValueWrittenBehindOurBackIsCorruption) {
  testing::RawDb raw = testing::OpenRaw(dir_.File("journal.db"));
  ASSERT_EQ(testing::ExecRaw(raw.get(), "INSERT INTO meta VALUES ('k', 42)"), SQLITE_OK);
  EXPECT_EQ(db_->GetMeta("k").status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace attune::storage
