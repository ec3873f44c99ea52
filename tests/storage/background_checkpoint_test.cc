// Database::CheckpointInBackground: commits leave their checkpoints to a thread with a second
// connection. What a test can observe without timing: the thread's copies reach the main file,
// an explicit checkpoint still completes beside it, and closing leaves no WAL behind.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

#include "storage/database.h"
#include "tests/storage/test_util.h"

namespace attune::storage {
namespace {

// Generous: the wait ends as soon as the thread reports, and is only a bound on a failure.
constexpr std::chrono::milliseconds kWait{30000};
// Far below the product's threshold, so that a few rows make a checkpoint due.
constexpr int kSmallThreshold = 8;

class BackgroundCheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(Database db, Database::Open(DbPath(), OpenMode::kCreateIfMissing));
    db_.emplace(std::move(db));
  }
  std::string DbPath() const { return dir_.File("journal.db"); }
  size_t MainFileSize() const { return testing::ReadFileBytes(DbPath()).size(); }
  size_t WalSize() const { return testing::ReadFileBytes(DbPath() + "-wal").size(); }

  // `count` rows of 3,000 bytes each (one page or more apiece), in one transaction.
  void InsertRows(int first, int count) {
    ASSERT_OK_AND_ASSIGN(Transaction txn, db_->BeginTransaction());
    for (int i = first; i < first + count; ++i) {
      EntryRow row = testing::MakeEntry(i);
      row.body = testing::RandomBytes(3000);
      ASSERT_OK(db_->InsertEntry(row));
    }
    ASSERT_OK(txn.Commit());
  }

  testing::TempDir dir_;
  std::optional<Database> db_;
};

TEST_F(BackgroundCheckpointTest, NothingRunsUntilItIsStarted) {
  EXPECT_FALSE(db_->WaitForBackgroundCheckpoints(1, std::chrono::milliseconds(0)).has_value());
}

TEST_F(BackgroundCheckpointTest, ACommitPastTheThresholdIsCopiedIntoTheFileByTheThread) {
  ASSERT_OK(db_->CheckpointInBackground(kSmallThreshold));
  const size_t before = MainFileSize();
  InsertRows(0, 40);
  const std::optional<CheckpointActivity> activity = db_->WaitForBackgroundCheckpoints(1, kWait);
  ASSERT_TRUE(activity.has_value());
  EXPECT_GE(activity->checkpoints, 1);
  EXPECT_GE(activity->pages_copied, 40);
  // The copy reached the main file while this connection stayed open and idle.
  EXPECT_GE(MainFileSize(), before + 40 * 3000);
}

TEST_F(BackgroundCheckpointTest, StartingTwiceKeepsTheFirstThread) {
  ASSERT_OK(db_->CheckpointInBackground(kSmallThreshold));
  ASSERT_OK(db_->CheckpointInBackground(kWalCheckpointPages));  // no effect: already running
  InsertRows(0, 40);
  const std::optional<CheckpointActivity> activity = db_->WaitForBackgroundCheckpoints(1, kWait);
  ASSERT_TRUE(activity.has_value());
  EXPECT_GE(activity->checkpoints, 1);  // the small threshold still holds
}

// Database::Checkpoint (TRUNCATE) fails with SQLITE_BUSY beside another checkpoint of the same
// file; it waits for the thread's instead, and secure deletion still reaches the file.
TEST_F(BackgroundCheckpointTest, AnExplicitCheckpointCompletesWhileTheThreadWorks) {
  ASSERT_OK(db_->CheckpointInBackground(kSmallThreshold));
  for (int round = 0; round < 40; ++round) {
    InsertRows(round * 20, 20);
    ASSERT_OK(db_->Checkpoint());
    EXPECT_EQ(WalSize(), 0u) << "round " << round;
  }
}

TEST_F(BackgroundCheckpointTest, EverythingCommittedIsThereAfterReopening) {
  ASSERT_OK(db_->CheckpointInBackground(kSmallThreshold));
  for (int round = 0; round < 5; ++round) InsertRows(round * 30, 30);
  ASSERT_TRUE(db_->WaitForBackgroundCheckpoints(1, kWait).has_value());
  db_.reset();
  // The writer closed last and checkpointed what was left: no WAL stays beside the file.
  EXPECT_FALSE(testing::FileExists(DbPath() + "-wal"));
  ASSERT_OK_AND_ASSIGN(Database reopened, Database::Open(DbPath(), OpenMode::kMustExist));
  ASSERT_OK_AND_ASSIGN(std::string integrity, reopened.IntegrityCheck());
  EXPECT_EQ(integrity, "ok");
  for (int i = 0; i < 150; i += 29) {
    ASSERT_OK_AND_ASSIGN(std::optional<EntryRow> row, reopened.GetEntry(testing::MakeEntry(i).id));
    EXPECT_TRUE(row.has_value()) << i;
  }
}

// Assigning over a Database stops its checkpointer before its connection closes (the thread
// and the commit hook use that connection), and the assigned one's keeps working.
TEST_F(BackgroundCheckpointTest, AssigningOverADatabaseEndsItsThreadFirst) {
  ASSERT_OK(db_->CheckpointInBackground(kSmallThreshold));
  InsertRows(0, 20);
  ASSERT_OK_AND_ASSIGN(Database other,
                       Database::Open(dir_.File("other.db"), OpenMode::kCreateIfMissing));
  ASSERT_OK(other.CheckpointInBackground(kSmallThreshold));
  *db_ = std::move(other);
  InsertRows(100, 40);
  const std::optional<CheckpointActivity> activity = db_->WaitForBackgroundCheckpoints(1, kWait);
  ASSERT_TRUE(activity.has_value());
  EXPECT_GE(activity->pages_copied, 40);
  EXPECT_FALSE(testing::FileExists(DbPath() + "-wal"));  // the first file was closed cleanly
}

}  // namespace
}  // namespace attune::storage
