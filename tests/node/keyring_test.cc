// The keyring: a data key wrapped under a passphrase (or stored plainly), re-wrapped without
// touching entries, and rebuilt from a recovery code.
#include "node/journal/keyring.h"

#include <gtest/gtest.h>

#include "node/journal.h"
#include "storage/database.h"
#include "tests/node/node_test_util.h"

namespace attune::node::testing {
namespace {

Secret Passphrase(std::string text) {
  return TakeSecret(text);
}

class KeyringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<storage::Database> db =
        storage::Database::Open(temp_.File("keys.db"), storage::OpenMode::kCreateIfMissing);
    ASSERT_TRUE(db.ok()) << Describe(db.status());
    db_.emplace(std::move(db).value());
  }

  TempDir temp_;
  std::optional<storage::Database> db_;
};

TEST_F(KeyringTest, PassphraseKeyUnlocksOnlyWithThatPassphrase) {
  ASSERT_OK_AND_ASSIGN(Keyring made,
                       Keyring::Create(*db_, Passphrase("open sesame"), KdfStrength::kInteractive));
  EXPECT_TRUE(made.passphrase_protected());
  EXPECT_EQ(made.data_key().size(), 32u);

  CountingPassphrase right("open sesame");
  ASSERT_OK_AND_ASSIGN(Keyring unlocked, Keyring::Unlock(*db_, right.source()));
  EXPECT_EQ(*right.calls, 1);
  EXPECT_TRUE(unlocked.passphrase_protected());
  EXPECT_TRUE(unlocked.data_key().ConstantTimeEquals(made.data_key()));

  CountingPassphrase wrong("open sesame ");
  EXPECT_REASON(Keyring::Unlock(*db_, wrong.source()), kAuthFailed,
                node::JournalReason::kWrongPassphrase);
  EXPECT_EQ(*wrong.calls, 1);
  EXPECT_CODE(Keyring::Unlock(*db_, NoPassphraseAvailable()), kCancelled);
}

TEST_F(KeyringTest, PlainKeyUnlocksWithoutAsking) {
  ASSERT_OK_AND_ASSIGN(Keyring made,
                       Keyring::Create(*db_, std::nullopt, KdfStrength::kInteractive));
  EXPECT_FALSE(made.passphrase_protected());
  ASSERT_OK_AND_ASSIGN(Keyring unlocked, Keyring::Unlock(*db_, MustNotAsk()));
  EXPECT_FALSE(unlocked.passphrase_protected());
  EXPECT_TRUE(unlocked.data_key().ConstantTimeEquals(made.data_key()));
}

TEST_F(KeyringTest, EachKeyringHasItsOwnDataKey) {
  ASSERT_OK_AND_ASSIGN(Keyring first,
                       Keyring::Create(*db_, std::nullopt, KdfStrength::kInteractive));
  ASSERT_OK_AND_ASSIGN(
      storage::Database other,
      storage::Database::Open(temp_.File("other.db"), storage::OpenMode::kCreateIfMissing));
  ASSERT_OK_AND_ASSIGN(Keyring second,
                       Keyring::Create(other, std::nullopt, KdfStrength::kInteractive));
  EXPECT_FALSE(first.data_key().ConstantTimeEquals(second.data_key()));
}

TEST_F(KeyringTest, RewrapSwitchesPassphraseAndKeepsTheKey) {
  ASSERT_OK_AND_ASSIGN(Keyring keyring,
                       Keyring::Create(*db_, Passphrase("old words"), KdfStrength::kInteractive));
  ASSERT_OK(keyring.Rewrap(*db_, Passphrase("new words"), KdfStrength::kInteractive));
  CountingPassphrase old_words("old words");
  CountingPassphrase new_words("new words");
  EXPECT_REASON(Keyring::Unlock(*db_, old_words.source()), kAuthFailed,
                node::JournalReason::kWrongPassphrase);
  ASSERT_OK_AND_ASSIGN(Keyring unlocked, Keyring::Unlock(*db_, new_words.source()));
  EXPECT_TRUE(unlocked.data_key().ConstantTimeEquals(keyring.data_key()));

  ASSERT_OK(keyring.Rewrap(*db_, std::nullopt, KdfStrength::kInteractive));
  EXPECT_FALSE(keyring.passphrase_protected());
  ASSERT_OK_AND_ASSIGN(Keyring plain, Keyring::Unlock(*db_, MustNotAsk()));
  EXPECT_TRUE(plain.data_key().ConstantTimeEquals(keyring.data_key()));
  // Dropping the passphrase removed the wrapped form: no stale copy is left to unlock.
  ASSERT_OK_AND_ASSIGN(std::optional<Bytes> wrapped, db_->GetMeta("key.wrapped"));
  EXPECT_FALSE(wrapped.has_value());

  ASSERT_OK(keyring.Rewrap(*db_, Passphrase("again"), KdfStrength::kInteractive));
  EXPECT_TRUE(keyring.passphrase_protected());
  ASSERT_OK_AND_ASSIGN(std::optional<Bytes> plain_key, db_->GetMeta("key.plain"));
  EXPECT_FALSE(plain_key.has_value());
  CountingPassphrase again("again");
  ASSERT_OK_AND_ASSIGN(Keyring reprotected, Keyring::Unlock(*db_, again.source()));
  EXPECT_TRUE(reprotected.data_key().ConstantTimeEquals(keyring.data_key()));
}

TEST_F(KeyringTest, RecoveryCodeRebuildsTheKey) {
  ASSERT_OK_AND_ASSIGN(Keyring keyring,
                       Keyring::Create(*db_, Passphrase("forgettable"), KdfStrength::kInteractive));
  ASSERT_OK_AND_ASSIGN(std::string code, keyring.RecoveryCode());
  ASSERT_OK_AND_ASSIGN(Keyring recovered, Keyring::FromRecoveryCode(*db_, code));
  EXPECT_TRUE(recovered.data_key().ConstantTimeEquals(keyring.data_key()));
  EXPECT_TRUE(recovered.passphrase_protected());

  EXPECT_CODE(Keyring::FromRecoveryCode(*db_, "not a code"), kInvalidArgument);

  ASSERT_OK_AND_ASSIGN(
      storage::Database other,
      storage::Database::Open(temp_.File("other.db"), storage::OpenMode::kCreateIfMissing));
  ASSERT_OK_AND_ASSIGN(Keyring stranger,
                       Keyring::Create(other, std::nullopt, KdfStrength::kInteractive));
  ASSERT_OK_AND_ASSIGN(std::string stranger_code, stranger.RecoveryCode());
  EXPECT_REASON(Keyring::FromRecoveryCode(*db_, stranger_code), kAuthFailed,
                node::JournalReason::kRecoveryCodeNotThisJournals);
  ASSERT_OK_AND_ASSIGN(Keyring plain_recovered, Keyring::FromRecoveryCode(other, stranger_code));
  EXPECT_FALSE(plain_recovered.passphrase_protected());
}

// Through the journal: a new passphrase re-wraps the key and leaves every sealed body as it was.
using JournalKeyTest = JournalTest;

TEST_F(JournalKeyTest, ChangePassphraseDoesNotReencryptEntries) {
  CountingPassphrase first("first passphrase");
  std::vector<storage::EntryRow> rows_before;
  {
    ASSERT_OK_AND_ASSIGN(Journal journal,
                         Journal::Init(home_, FastOptions(false), first.source(), clock_));
    for (const char* text : {"one", "two", "three"}) {
      ASSERT_OK(journal.Add(Draft("note", text)).status());
      clock_.Advance(1'000);  // entries list by creation time
    }
    ASSERT_OK_AND_ASSIGN(
        storage::Database db,
        storage::Database::Open(home_.database_path(), storage::OpenMode::kMustExist));
    ASSERT_OK_AND_ASSIGN(rows_before, db.ListEntries({}));
    ASSERT_EQ(rows_before.size(), 3u);
    ASSERT_OK(journal.ChangePassphrase(Passphrase("second passphrase"), KdfStrength::kInteractive));
    ASSERT_OK_AND_ASSIGN(std::vector<storage::EntryRow> rows_after, db.ListEntries({}));
    EXPECT_EQ(rows_after, rows_before);
  }
  EXPECT_REASON(Journal::Open(home_, first.source(), clock_), kAuthFailed,
                node::JournalReason::kWrongPassphrase);
  CountingPassphrase second("second passphrase");
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, second.source(), clock_));
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> entries, journal.List({}));
  ASSERT_EQ(entries.size(), 3u);
  for (size_t i = 0; i < entries.size(); ++i) EXPECT_EQ(entries[i].id, rows_before[i].id);
  EXPECT_EQ(entries[0].text, "one");
  EXPECT_EQ(entries[2].text, "three");
}

TEST_F(JournalKeyTest, RecoveryCodeOpensTheSameJournalOnly) {
  CountingPassphrase ask("lost soon");
  std::string code;
  std::string id;
  {
    ASSERT_OK_AND_ASSIGN(Journal journal,
                         Journal::Init(home_, FastOptions(false), ask.source(), clock_));
    ASSERT_OK_AND_ASSIGN(Entry added, journal.Add(Draft("wound", "recover me")));
    id = added.id;
    ASSERT_OK_AND_ASSIGN(code, journal.RecoveryCode());
  }
  ASSERT_OK_AND_ASSIGN(Journal recovered, Journal::OpenWithRecoveryCode(home_, code, clock_));
  EXPECT_TRUE(recovered.passphrase_protected());
  ASSERT_OK_AND_ASSIGN(Entry entry, recovered.Get(id));
  EXPECT_EQ(entry.text, "recover me");
  // What `passwd --recover` does next: set a new passphrase.
  ASSERT_OK(recovered.ChangePassphrase(Passphrase("remembered"), KdfStrength::kInteractive));
  CountingPassphrase remembered("remembered");
  EXPECT_OK(Journal::Open(home_, remembered.source(), clock_).status());

  Home other_home(temp_.File("other"));
  ASSERT_OK_AND_ASSIGN(Journal other,
                       Journal::Init(other_home, FastOptions(true), MustNotAsk(), clock_));
  ASSERT_OK_AND_ASSIGN(std::string other_code, other.RecoveryCode());
  EXPECT_REASON(Journal::OpenWithRecoveryCode(home_, other_code, clock_), kAuthFailed,
                node::JournalReason::kRecoveryCodeNotThisJournals);
  EXPECT_CODE(Journal::OpenWithRecoveryCode(home_, "ABCD-EFGH", clock_), kInvalidArgument);
}

}  // namespace
}  // namespace attune::node::testing
