// Transactions and contention between connections.
#include "storage/transaction.h"

#include <gtest/gtest.h>

#include <chrono>

#include "storage/database.h"
#include "tests/storage/test_util.h"

namespace attune::storage {
namespace {

using std::chrono::milliseconds;

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(Database db, Database::Open(DbPath(), OpenMode::kCreateIfMissing));
    db_.emplace(std::move(db));
  }
  std::string DbPath() const { return dir_.File("journal.db"); }

  bool HasMeta(Database& db, std::string_view key) {
    Result<std::optional<Bytes>> value = db.GetMeta(key);
    EXPECT_OK(value.status());
    return value.ok() && value->has_value();
  }

  testing::TempDir dir_;
  std::optional<Database> db_;
};

TEST_F(TransactionTest, RollsBackWhenDestroyedUncommitted) {
  {
    ASSERT_OK_AND_ASSIGN(Transaction transaction, db_->BeginTransaction());
    ASSERT_OK(db_->PutMeta("k", AsBytes("v")));
    ASSERT_OK(db_->InsertEntry(testing::MakeEntry(1)));
    EXPECT_TRUE(HasMeta(*db_, "k"));  // visible inside the transaction
  }
  EXPECT_FALSE(HasMeta(*db_, "k"));
  ASSERT_OK_AND_ASSIGN(int64_t count, db_->CountEntries({}));
  EXPECT_EQ(count, 0);
}

TEST_F(TransactionTest, CommitIsVisibleToOtherConnections) {
  ASSERT_OK_AND_ASSIGN(Database other, Database::Open(DbPath(), OpenMode::kMustExist));
  {
    ASSERT_OK_AND_ASSIGN(Transaction transaction, db_->BeginTransaction());
    ASSERT_OK(db_->PutMeta("k", AsBytes("v")));
    EXPECT_FALSE(HasMeta(other, "k"));  // WAL: the reader sees the last commit, unblocked
    ASSERT_OK(transaction.Commit());
    EXPECT_FALSE(transaction.active());
  }
  EXPECT_TRUE(HasMeta(other, "k"));
}

TEST_F(TransactionTest, ExplicitRollbackAndMovedTransaction) {
  ASSERT_OK_AND_ASSIGN(Transaction first, db_->BeginTransaction());
  ASSERT_OK(db_->PutMeta("gone", AsBytes("v")));
  ASSERT_OK(first.Rollback());
  EXPECT_FALSE(first.active());
  EXPECT_FALSE(HasMeta(*db_, "gone"));
  EXPECT_EQ(first.Commit().code(), StatusCode::kInternal);

  ASSERT_OK_AND_ASSIGN(Transaction second, db_->BeginTransaction());
  ASSERT_OK(db_->PutMeta("kept", AsBytes("v")));
  Transaction moved = std::move(second);
  EXPECT_FALSE(second.active());  // NOLINT(bugprone-use-after-move): checking moved-from state
  ASSERT_OK(moved.Commit());
  EXPECT_TRUE(HasMeta(*db_, "kept"));
}

// A read transaction sees the file as at its first read, while another connection commits,
// and does not hold that writer up.
TEST_F(TransactionTest, AReadSeesOneSnapshotWhileAnotherConnectionWrites) {
  ASSERT_OK_AND_ASSIGN(Database other, Database::Open(DbPath(), OpenMode::kMustExist));
  ASSERT_OK(db_->PutMeta("k", AsBytes("before")));
  EXPECT_FALSE(db_->in_transaction());
  {
    ASSERT_OK_AND_ASSIGN(Transaction read, db_->BeginRead());
    EXPECT_TRUE(db_->in_transaction());
    ASSERT_OK_AND_ASSIGN(std::optional<Bytes> first, db_->GetMeta("k"));
    ASSERT_OK(other.PutMeta("k", AsBytes("after")));
    ASSERT_OK(other.PutMeta("new", AsBytes("v")));
    ASSERT_OK_AND_ASSIGN(std::optional<Bytes> again, db_->GetMeta("k"));
    EXPECT_EQ(again, first);
    EXPECT_FALSE(HasMeta(*db_, "new"));
    EXPECT_EQ(db_->BeginTransaction().status().code(), StatusCode::kInternal);  // no nesting
  }
  EXPECT_FALSE(db_->in_transaction());
  ASSERT_OK_AND_ASSIGN(std::optional<Bytes> now, db_->GetMeta("k"));
  ASSERT_TRUE(now.has_value());
  EXPECT_EQ(std::string(now->begin(), now->end()), "after");
  EXPECT_TRUE(HasMeta(*db_, "new"));
}

TEST_F(TransactionTest, DoesNotNest) {
  ASSERT_OK_AND_ASSIGN(Transaction outer, db_->BeginTransaction());
  Result<Transaction> inner = db_->BeginTransaction();
  ASSERT_FALSE(inner.ok());
  EXPECT_EQ(inner.status().code(), StatusCode::kInternal);
  EXPECT_TRUE(outer.active());
  ASSERT_OK(outer.Commit());
}

TEST_F(TransactionTest, WriterBlockedPastTimeoutIsBusy) {
  ASSERT_OK_AND_ASSIGN(Database second, Database::Open(DbPath(), OpenMode::kMustExist,
                                                       {.busy_timeout = milliseconds(50)}));
  {
    ASSERT_OK_AND_ASSIGN(Transaction holder, db_->BeginTransaction());  // BEGIN IMMEDIATE

    Status put = second.PutMeta("k", AsBytes("v"));
    EXPECT_EQ(put.code(), StatusCode::kBusy) << put.detail();
    EXPECT_NE(put.detail().find("sqlite: database is locked"), std::string::npos) << put.detail();
    EXPECT_EQ(second.InsertEntry(testing::MakeEntry(1)).code(), StatusCode::kBusy);
    EXPECT_EQ(second.BeginTransaction().status().code(), StatusCode::kBusy);
    EXPECT_FALSE(HasMeta(second, "k"));  // reads still work beside the writer
  }
  // The holder rolled back on destruction; the lock is free again.
  ASSERT_OK(second.PutMeta("k", AsBytes("v")));
  EXPECT_TRUE(HasMeta(*db_, "k"));
}

TEST_F(TransactionTest, ReopenWhileAnotherConnectionWritesSucceeds) {
  ASSERT_OK_AND_ASSIGN(Transaction holder, db_->BeginTransaction());
  ASSERT_OK(db_->PutMeta("k", AsBytes("v")));
  // Already migrated and already WAL: opening needs no write lock.
  ASSERT_OK_AND_ASSIGN(Database second, Database::Open(DbPath(), OpenMode::kMustExist,
                                                       {.busy_timeout = milliseconds(50)}));
  EXPECT_FALSE(HasMeta(second, "k"));
  ASSERT_OK(holder.Commit());
  EXPECT_TRUE(HasMeta(second, "k"));
}

}  // namespace
}  // namespace attune::storage
