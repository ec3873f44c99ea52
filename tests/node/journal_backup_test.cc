// Journal::Backup and Journal::RestoreBackup: the sealed backup of a whole journal, and every
// way a restore must refuse without touching the home.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "crypto/secure_bytes.h"
#include "node/journal.h"
#include "tests/node/node_test_util.h"

namespace attune::node::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

std::vector<std::string> TextsOf(const std::vector<Entry>& entries) {
  std::vector<std::string> texts;
  for (const Entry& entry : entries) texts.push_back(entry.id + " " + entry.text);
  return texts;
}

class JournalBackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(Journal made,
                         Journal::Init(home_, FastOptions(false), passphrase_.source(), clock_));
    journal_.emplace(std::move(made));
    ASSERT_OK(journal_->Add(Draft("note", "a first evening")).status());
    ASSERT_OK(journal_->Add(Draft("trigger", "a silent phone", {"waiting"})).status());
    ASSERT_OK_AND_ASSIGN(texts_, Texts(*journal_));
    ASSERT_OK(journal_->Backup(backup_, ExistingFile::kRefuse).status());
  }

  static Result<std::vector<std::string>> Texts(Journal& journal) {
    ATTUNE_ASSIGN_OR_RETURN(std::vector<Entry> entries, journal.List({}));
    return TextsOf(entries);
  }

  static PassphraseSource Passphrase(std::string text) {
    return [text]() -> Result<Secret> { return Secret::CopyOf(AsBytes(text)); };
  }

  Result<RestoredBackup> Restore(const std::string& file, const BackupUnlock& unlock,
                                 bool replace = false) {
    return Journal::RestoreBackup(target_, file, unlock, replace, clock_);
  }

  // Whether the target home holds nothing at all (no journal, no temporary file).
  bool TargetUntouched() const { return !FileExists(target_.dir()); }

  TempDir temp_;
  Home home_{temp_.File("home")};
  Home target_{temp_.File("restored")};
  ManualClock clock_{kStartTime};
  CountingPassphrase passphrase_{"passphrase at backup time"};
  std::optional<Journal> journal_;
  std::vector<std::string> texts_;
  std::string backup_ = temp_.File("journal.backup");
};

TEST_F(JournalBackupTest, RestoresTheSameEntriesWithThePassphraseOrTheRecoveryCode) {
  ASSERT_OK_AND_ASSIGN(RestoredBackup with_passphrase,
                       Restore(backup_, {Passphrase(passphrase_.passphrase)}));
  EXPECT_TRUE(with_passphrase.passphrase_protected);
  EXPECT_FALSE(with_passphrase.replaced_copy.has_value());
  {
    ASSERT_OK_AND_ASSIGN(Journal restored,
                         Journal::Open(target_, Passphrase(passphrase_.passphrase), clock_));
    EXPECT_EQ(Texts(restored).value(), texts_);
  }
  Home other(temp_.File("from-code"));
  ASSERT_OK_AND_ASSIGN(std::string code, journal_->RecoveryCode());
  ASSERT_OK(Journal::RestoreBackup(other, backup_, {MustNotAsk(), code}, false, clock_).status());
  ASSERT_OK_AND_ASSIGN(Journal restored, Journal::OpenWithRecoveryCode(other, code, clock_));
  EXPECT_EQ(Texts(restored).value(), texts_);
}

TEST_F(JournalBackupTest, NothingOfTheJournalIsReadableInTheFile) {
  const std::string bytes = ReadAll(backup_);
  journal_.reset();  // closed: its WAL is folded into journal.db
  const std::string database = ReadAll(home_.database_path());
  ASSERT_GT(bytes.size(), 1000u);
  // journal.db keeps kinds, tags' absence and its schema in the clear; the backup keeps none.
  for (const char* clear : {"trigger", "note", "SQLite format 3", "CREATE TABLE"}) {
    EXPECT_NE(database.find(clear), std::string::npos) << clear;
    EXPECT_EQ(bytes.find(clear), std::string::npos) << clear;
  }
}

TEST_F(JournalBackupTest, AWrongPassphraseOrAnotherJournalsCodeWritesNothing) {
  Result<RestoredBackup> wrong = Restore(backup_, {Passphrase("not it")});
  EXPECT_TRUE(wrong.status().Is(JournalReason::kWrongPassphrase)) << Describe(wrong.status());
  EXPECT_EQ(wrong.status().code(), StatusCode::kAuthFailed);
  EXPECT_TRUE(TargetUntouched());

  ASSERT_OK_AND_ASSIGN(Journal other, Journal::Init(Home(temp_.File("other")), FastOptions(true),
                                                    MustNotAsk(), clock_));
  ASSERT_OK_AND_ASSIGN(std::string code, other.RecoveryCode());
  Result<RestoredBackup> foreign = Restore(backup_, {MustNotAsk(), code});
  EXPECT_TRUE(foreign.status().Is(JournalReason::kRecoveryCodeNotThisJournals));
  EXPECT_TRUE(TargetUntouched());

  Result<RestoredBackup> typo = Restore(backup_, {MustNotAsk(), std::string("ABCD-EFGH")});
  EXPECT_EQ(typo.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(TargetUntouched());
}

TEST_F(JournalBackupTest, EveryKindOfDamageIsRefusedAndWritesNothing) {
  const std::string good = ReadAll(backup_);
  struct Case {
    std::string name;
    std::string bytes;
    JournalReason reason;
  };
  std::vector<Case> cases = {
      {"empty", "", JournalReason::kNotABackup},
      {"another file", "SQLite format 3" + std::string(400, '\0'), JournalReason::kNotABackup},
      {"the header only", good.substr(0, 172), JournalReason::kBackupDamaged},
      {"cut in the middle", good.substr(0, good.size() / 2), JournalReason::kBackupDamaged},
      {"cut by one byte", good.substr(0, good.size() - 1), JournalReason::kBackupDamaged},
      {"a byte added", good + "x", JournalReason::kBackupDamaged},
      {"twice over", good + good, JournalReason::kBackupDamaged},
  };
  for (size_t at :
       {size_t{20}, size_t{120}, size_t{150}, size_t{200}, good.size() / 2, good.size() - 1}) {
    std::string flipped = good;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x10);
    cases.push_back(
        {"a byte flipped at " + std::to_string(at), flipped, JournalReason::kBackupDamaged});
  }
  for (const Case& c : cases) {
    const std::string file = temp_.File("damaged");
    WriteAll(file, c.bytes);
    Result<RestoredBackup> restored = Restore(file, {Passphrase(passphrase_.passphrase)});
    ASSERT_FALSE(restored.ok()) << c.name;
    // A flipped KDF or wrapped-key byte is told as a wrong passphrase: the wrap no longer opens.
    EXPECT_TRUE(restored.status().Is(c.reason) ||
                (c.name.ends_with(" at 20") || c.name.ends_with(" at 120")))
        << c.name << ": " << Describe(restored.status());
    EXPECT_TRUE(TargetUntouched()) << c.name;
  }
  std::string newer = good;
  newer[8] = 2;
  WriteAll(temp_.File("newer"), newer);
  EXPECT_EQ(Restore(temp_.File("newer"), {Passphrase(passphrase_.passphrase)}).status().code(),
            StatusCode::kUnsupported);
  EXPECT_EQ(Restore(temp_.File("absent"), {MustNotAsk()}).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(TargetUntouched());
}

TEST_F(JournalBackupTest, AHomeWithAJournalIsRefusedUnlessReplacedAndThenKeptBeside) {
  Result<RestoredBackup> refused =
      Journal::RestoreBackup(home_, backup_, {MustNotAsk()}, false, clock_);
  EXPECT_TRUE(refused.status().Is(JournalReason::kHomeHasJournal));
  EXPECT_EQ(refused.status().code(), StatusCode::kAlreadyExists);

  ASSERT_OK_AND_ASSIGN(Entry later, journal_->Add(Draft("note", "written after the backup")));
  const std::vector<std::string> before_restore = Texts(*journal_).value();
  journal_.reset();
  ASSERT_OK_AND_ASSIGN(
      RestoredBackup restored,
      Journal::RestoreBackup(home_, backup_, {Passphrase(passphrase_.passphrase)}, true, clock_));
  ASSERT_TRUE(restored.replaced_copy.has_value());
  ASSERT_OK_AND_ASSIGN(Journal back, Journal::Open(home_, passphrase_.source(), clock_));
  EXPECT_EQ(Texts(back).value(), texts_);
  // The journal it replaced is whole beside it, the entry written after the backup included.
  Home kept(temp_.File("kept"));
  ASSERT_OK(kept.Create());
  ASSERT_EQ(std::rename(restored.replaced_copy->c_str(), kept.database_path().c_str()), 0);
  ASSERT_OK_AND_ASSIGN(Journal old, Journal::Open(kept, passphrase_.source(), clock_));
  EXPECT_EQ(Texts(old).value(), before_restore);
}

TEST_F(JournalBackupTest, RestoreIsRefusedWhileServeHoldsTheHome) {
  ASSERT_OK_AND_ASSIGN(HomeLock serve, HomeLock::Acquire(home_));
  Result<RestoredBackup> refused =
      Journal::RestoreBackup(home_, backup_, {Passphrase(passphrase_.passphrase)}, true, clock_);
  EXPECT_TRUE(refused.status().Is(JournalReason::kHomeInUse));
  EXPECT_EQ(Texts(*journal_).value(), texts_);
}

TEST_F(JournalBackupTest, ThePassphraseCurrentAtBackupTimeStillOpensItAfterAChange) {
  ASSERT_OK(journal_->ChangePassphrase(Secret::CopyOf(AsBytes(std::string_view("a new one"))),
                                       KdfStrength::kInteractive));
  EXPECT_TRUE(
      Restore(backup_, {Passphrase("a new one")}).status().Is(JournalReason::kWrongPassphrase));
  ASSERT_OK(Restore(backup_, {Passphrase(passphrase_.passphrase)}).status());
  // The restored journal is the journal as it was: under the passphrase of that time.
  ASSERT_OK_AND_ASSIGN(Journal restored,
                       Journal::Open(target_, Passphrase(passphrase_.passphrase), clock_));
  EXPECT_EQ(Texts(restored).value(), texts_);
}

TEST(JournalBackupNoPassphraseTest, OpensWithTheRecoveryCodeOnly) {
  TempDir temp;
  ManualClock clock(kStartTime);
  Home home(temp.File("home")), target(temp.File("target"));
  ASSERT_OK_AND_ASSIGN(Journal journal,
                       Journal::Init(home, FastOptions(true), MustNotAsk(), clock));
  ASSERT_OK(journal.Add(Draft("note", "kept without a passphrase")).status());
  ASSERT_OK_AND_ASSIGN(BackupMade made, journal.Backup(temp.File("backup"), ExistingFile::kRefuse));
  EXPECT_FALSE(made.passphrase_protected);
  EXPECT_TRUE(Journal::RestoreBackup(target, temp.File("backup"), {MustNotAsk()}, false, clock)
                  .status()
                  .Is(JournalReason::kBackupNeedsRecoveryCode));
  ASSERT_OK_AND_ASSIGN(std::string code, journal.RecoveryCode());
  ASSERT_OK_AND_ASSIGN(
      RestoredBackup restored,
      Journal::RestoreBackup(target, temp.File("backup"), {MustNotAsk(), code}, false, clock));
  EXPECT_FALSE(restored.passphrase_protected);
  ASSERT_OK_AND_ASSIGN(Journal back, Journal::Open(target, MustNotAsk(), clock));
  EXPECT_EQ(back.List({}).value().size(), 1u);
  // An existing file is not replaced unless asked to.
  EXPECT_TRUE(journal.Backup(temp.File("backup"), ExistingFile::kRefuse)
                  .status()
                  .Is(PrivateFileReason::kFileExists));
  EXPECT_OK(journal.Backup(temp.File("backup"), ExistingFile::kReplace).status());
}

}  // namespace
}  // namespace attune::node::testing
