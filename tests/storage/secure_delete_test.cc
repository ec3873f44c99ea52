// What reaches the disk: the raw-read helper, sealed stand-ins, and secure deletion.
#include <gtest/gtest.h>

#include <string>

#include "storage/database.h"
#include "tests/storage/test_util.h"

namespace attune::storage {
namespace {

using testing::RawFilesContain;

constexpr std::string_view kMarker = "ATTUNE-PLAINTEXT-MARKER-7f3a9c";

Bytes BodyWithMarker(size_t size) {
  Bytes body = testing::RandomBytes(size);
  // The marker several times over, so it lands in the cell and in any overflow pages.
  for (size_t at = 0; at + kMarker.size() <= size; at += 1500) {
    std::copy(kMarker.begin(), kMarker.end(), body.begin() + static_cast<ptrdiff_t>(at));
  }
  return body;
}

class SecureDeleteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(Database db, Database::Open(DbPath(), OpenMode::kCreateIfMissing));
    db_.emplace(std::move(db));
  }
  std::string DbPath() const { return dir_.File("journal.db"); }

  testing::TempDir dir_;
  std::optional<Database> db_;
};

// Proves the helper sees what storage writes: a value stored in clear is found in the files.
TEST_F(SecureDeleteTest, ClearValueIsVisibleInRawFiles) {
  ASSERT_OK(db_->PutMeta("note", AsBytes(kMarker)));
  EXPECT_TRUE(RawFilesContain(DbPath(), kMarker));  // in the WAL while open
  db_.reset();
  EXPECT_FALSE(testing::FileExists(DbPath() + "-wal"));
  EXPECT_TRUE(RawFilesContain(DbPath(), kMarker));  // checkpointed into the main file
}

// The same writes with sealed stand-ins (random bytes) leave nothing to find: storage adds
// no copy of its own (no logging, no text conversion) of what it is given.
TEST_F(SecureDeleteTest, SealedStandInsLeaveNoMarker) {
  ASSERT_OK(db_->PutMeta("note", testing::RandomBytes(kMarker.size())));
  for (int i = 0; i < 20; ++i) {
    EntryRow row = testing::MakeEntry(i);
    row.body = testing::RandomBytes(2000);
    ASSERT_OK(db_->InsertEntry(row));
  }
  EXPECT_FALSE(RawFilesContain(DbPath(), kMarker));
  db_.reset();
  EXPECT_FALSE(RawFilesContain(DbPath(), kMarker));
}

TEST_F(SecureDeleteTest, SecureDeleteIsOn) {
  ASSERT_OK_AND_ASSIGN(ConnectionSettings settings, db_->Settings());
  EXPECT_TRUE(settings.secure_delete);
}

TEST_F(SecureDeleteTest, DeletedBodiesAreScrubbedAfterCheckpoint) {
  EntryRow small = testing::MakeEntry(1);
  small.body = BodyWithMarker(200);
  EntryRow large = testing::MakeEntry(2);  // spills into overflow pages
  large.body = BodyWithMarker(20000);
  EntryRow keep = testing::MakeEntry(3);
  ASSERT_OK(db_->InsertEntry(small));
  ASSERT_OK(db_->InsertEntry(large));
  ASSERT_OK(db_->InsertEntry(keep));
  ASSERT_OK(db_->Checkpoint());
  ASSERT_TRUE(RawFilesContain(DbPath(), kMarker));  // the marker really was on disk

  ASSERT_OK(db_->DeleteEntry(small.id));
  ASSERT_OK(db_->DeleteEntry(large.id));
  ASSERT_OK(db_->Checkpoint());
  EXPECT_EQ(testing::ReadFileBytes(DbPath() + "-wal").size(), 0u);  // truncated
  EXPECT_FALSE(RawFilesContain(DbPath(), kMarker));
  ASSERT_OK_AND_ASSIGN(std::optional<EntryRow> kept, db_->GetEntry(keep.id));
  EXPECT_EQ(kept, keep);
}

TEST_F(SecureDeleteTest, OverwrittenBodyAndDeletedMetaAreScrubbed) {
  EntryRow row = testing::MakeEntry(1);
  row.body = BodyWithMarker(300);
  ASSERT_OK(db_->InsertEntry(row));
  ASSERT_OK(db_->PutMeta("setting", AsBytes(kMarker)));
  ASSERT_OK(db_->Checkpoint());
  ASSERT_TRUE(RawFilesContain(DbPath(), kMarker));

  row.body = testing::RandomBytes(300);
  ASSERT_OK(db_->UpdateEntry(row));
  ASSERT_OK(db_->DeleteMeta("setting"));
  ASSERT_OK(db_->Checkpoint());
  EXPECT_FALSE(RawFilesContain(DbPath(), kMarker));
}

}  // namespace
}  // namespace attune::storage
