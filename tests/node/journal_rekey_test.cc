// `passwd --rekey` (Journal::Rekey): a new data key for everything, so that whoever had the old
// passphrase, the old recovery code or an old copy of the database reads nothing written after.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/recovery_code.h"
#include "node/journal.h"
#include "node/journal/journal_sync.h"
#include "node/journal/link_identity.h"
#include "tests/node/sharing_fixture.h"

namespace attune::node::testing {
namespace {

class JournalRekeyTest : public JournalTest {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(Journal made,
                         Journal::Init(home_, FastOptions(false), old_.source(), clock_));
    journal_.emplace(std::move(made));
    ASSERT_OK_AND_ASSIGN(private_, journal().Add(Draft("wound", "a private wound")));
    NewEntry draft = Draft("need", "a shared need");
    draft.share = true;
    ASSERT_OK_AND_ASSIGN(shared_, journal().Add(draft));
    NewEntry withdrawn = Draft("repair", "withdrawn");
    withdrawn.share = true;
    ASSERT_OK_AND_ASSIGN(Entry repair, journal().Add(withdrawn));
    ASSERT_OK(journal().Unshare(repair.id).status());
    ASSERT_OK_AND_ASSIGN(old_code_, journal().RecoveryCode());
  }

  Status Rekey() {
    return journal().Rekey(home_, Secret::CopyOf(AsBytes(new_.passphrase)),
                           KdfStrength::kInteractive);
  }

  // Everything a person sees of the journal, to compare before and after.
  std::string Everything() {
    std::string out;
    Result<std::vector<Entry>> entries = journal().List({.author = std::nullopt});
    EXPECT_OK(entries.status());
    for (const Entry& entry : *entries) out += EntryToJson(entry).dump() + "\n";
    Result<std::vector<SharedItem>> items = journal().SharedItems();
    EXPECT_OK(items.status());
    for (const SharedItem& item : *items) {
      out += item.entry_id + " " + std::to_string(static_cast<int>(item.state)) + "\n";
    }
    Result<std::string> name = journal().Name();
    EXPECT_OK(name.status());
    return out + *name;
  }

  CountingPassphrase old_{"the old passphrase"};
  CountingPassphrase new_{"the new passphrase"};
  Entry private_, shared_;
  std::string old_code_;
};

TEST_F(JournalRekeyTest, EverythingIsKeptUnderANewKeyAndTheOldSecretsOpenNothing) {
  const std::string before = Everything();
  ASSERT_OK_AND_ASSIGN(crypto::X25519KeyPair identity, LinkIdentityOf(journal()));
  const Bytes old_file = ReadFileBytes(home_.database_path());
  ASSERT_OK(Rekey());
  EXPECT_EQ(Everything(), before);
  ASSERT_OK_AND_ASSIGN(std::string new_code, journal().RecoveryCode());
  EXPECT_NE(new_code, old_code_);
  ASSERT_OK_AND_ASSIGN(crypto::X25519KeyPair same_identity, LinkIdentityOf(journal()));
  EXPECT_EQ(same_identity.public_key, identity.public_key) << "the partner's pin still holds";
  // Writes after the re-key are sealed under the new key.
  ASSERT_OK(journal().Add(Draft("need", "written after")).status());
  CloseJournal();

  EXPECT_REASON(Journal::Open(home_, old_.source(), clock_), kAuthFailed,
                node::JournalReason::kWrongPassphrase);
  EXPECT_REASON(Journal::OpenWithRecoveryCode(home_, old_code_, clock_), kAuthFailed,
                node::JournalReason::kRecoveryCodeNotThisJournals);
  ASSERT_OK_AND_ASSIGN(Journal reopened, Journal::Open(home_, new_.source(), clock_));
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> entries, reopened.List({}));
  EXPECT_EQ(entries.size(), 4u);
  ASSERT_OK(Journal::OpenWithRecoveryCode(home_, new_code, clock_).status());
  // The old key, from the old file and the old passphrase, opens nothing written since: its
  // key check no longer matches the file's.
  EXPECT_NE(ReadFileBytes(home_.database_path()), old_file);
}

TEST_F(JournalRekeyTest, AnotherProcessHoldingTheOldKeyStopsInsteadOfWritingUnderIt) {
  ASSERT_OK_AND_ASSIGN(Journal other, Journal::Open(home_, old_.source(), clock_));
  ASSERT_OK(Rekey());
  const Result<Entry> added = other.Add(Draft("need", "sealed under a key that is gone"));
  EXPECT_CODE(added, kBusy);
  EXPECT_TRUE(added.status().Is(JournalReason::kKeyChanged));
  const Result<Entry> read = other.Get(shared_.id);
  EXPECT_CODE(read, kBusy);
  EXPECT_TRUE(read.status().Is(JournalReason::kKeyChanged));
  EXPECT_TRUE(other.damage()->empty()) << "a re-key is not damage";
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> entries, journal().List({}));
  EXPECT_EQ(entries.size(), 3u) << "nothing was written under the old key";
}

TEST_F(JournalRekeyTest, IsRefusedWhileServeHoldsTheHome) {
  const std::string before = Everything();
  {
    ASSERT_OK_AND_ASSIGN(HomeLock serving, HomeLock::Acquire(home_));
    const Status refused = Rekey();
    EXPECT_CODE(refused, kBusy);
    EXPECT_TRUE(refused.Is(JournalReason::kServeRunning));
    ASSERT_OK_AND_ASSIGN(std::string code, journal().RecoveryCode());
    EXPECT_EQ(code, old_code_);
  }
  EXPECT_EQ(Everything(), before);
  ASSERT_OK(Rekey());
  // ... and serve cannot start while a re-key holds the home (the lock is the same).
  ASSERT_OK_AND_ASSIGN(HomeLock after, HomeLock::Acquire(home_));
  EXPECT_CODE(HomeLock::Acquire(home_), kBusy);
}

TEST_F(JournalRekeyTest, ADamagedEntryStopsItAndNothingChanges) {
  CloseJournal();
  {
    ASSERT_OK_AND_ASSIGN(
        storage::Database db,
        storage::Database::Open(home_.database_path(), storage::OpenMode::kMustExist));
    ASSERT_OK_AND_ASSIGN(std::optional<storage::EntryRow> row, db.GetEntry(private_.id));
    ASSERT_TRUE(row.has_value());
    row->body[row->body.size() / 2] ^= 1;
    ASSERT_OK(db.UpdateEntry(*row));
  }
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, old_.source(), clock_));
  const Status refused =
      journal.Rekey(home_, Secret::CopyOf(AsBytes(new_.passphrase)), KdfStrength::kInteractive);
  EXPECT_CODE(refused, kAuthFailed);
  EXPECT_TRUE(refused.Is(JournalReason::kEntryDamaged));
  EXPECT_EQ(refused.detail(), private_.id);
  ASSERT_OK_AND_ASSIGN(std::string code, journal.RecoveryCode());
  EXPECT_EQ(code, old_code_);
  ASSERT_OK(journal.Remove(private_.id));  // let it go, then it works
  ASSERT_OK(
      journal.Rekey(home_, Secret::CopyOf(AsBytes(new_.passphrase)), KdfStrength::kInteractive));
}

}  // namespace
}  // namespace attune::node::testing
