// Journal::Init and Journal::Open: creating a journal once, refusing to create it twice, and
// opening it only with the right passphrase, without touching the files otherwise.
#include <gtest/gtest.h>

#include "node/journal.h"
#include "tests/node/node_test_util.h"

namespace attune::node::testing {
namespace {

using JournalOpenTest = JournalTest;

TEST_F(JournalOpenTest, InitMakesAJournalThatOpensWithItsName) {
  CountingPassphrase ask("correct horse");
  {
    ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Init(home_, FastOptions(false, "  Robin  "),
                                                        ask.source(), clock_));
    EXPECT_TRUE(journal.passphrase_protected());
    ASSERT_OK_AND_ASSIGN(std::string name, journal.Name());
    EXPECT_EQ(name, "Robin");  // trimmed
  }
  EXPECT_EQ(*ask.calls, 1);
  EXPECT_TRUE(home_.HasJournal());
  EXPECT_EQ(FileMode(home_.dir()), 0700);

  ASSERT_OK_AND_ASSIGN(Journal reopened, Journal::Open(home_, ask.source(), clock_));
  EXPECT_EQ(*ask.calls, 2);
  EXPECT_TRUE(reopened.passphrase_protected());
  ASSERT_OK_AND_ASSIGN(std::string name, reopened.Name());
  EXPECT_EQ(name, "Robin");
}

TEST_F(JournalOpenTest, InitTwiceIsAlreadyExistsAndKeepsTheFirstJournal) {
  ASSERT_NO_FATAL_FAILURE(InitJournal());
  ASSERT_OK_AND_ASSIGN(Entry kept, AddEntry("note", "the first journal's entry"));
  CloseJournal();
  const Bytes before = ReadFileBytes(home_.database_path());

  EXPECT_CODE(Journal::Init(home_, FastOptions(true, "Other"), MustNotAsk(), clock_),
              kAlreadyExists);
  EXPECT_CODE(Journal::Init(home_, FastOptions(false, "Other"), MustNotAsk(), clock_),
              kAlreadyExists);
  EXPECT_EQ(ReadFileBytes(home_.database_path()), before);

  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  ASSERT_OK_AND_ASSIGN(std::string name, journal.Name());
  EXPECT_EQ(name, "Robin");
  EXPECT_OK(journal.Get(kept.id).status());
}

TEST_F(JournalOpenTest, InitRefusesAnEmptyName) {
  EXPECT_CODE(Journal::Init(home_, FastOptions(true, " \t"), MustNotAsk(), clock_),
              kInvalidArgument);
  EXPECT_FALSE(home_.HasJournal());
}

TEST_F(JournalOpenTest, OpenOnAnEmptyHomeIsNotInitialized) {
  EXPECT_REASON(Journal::Open(home_, MustNotAsk(), clock_), kNotFound,
                node::JournalReason::kNoJournal);
  ASSERT_OK(home_.Create());
  EXPECT_REASON(Journal::Open(home_, MustNotAsk(), clock_), kNotFound,
                node::JournalReason::kNoJournal);
  EXPECT_REASON(Journal::OpenWithRecoveryCode(home_, "AAAA", clock_), kNotFound,
                node::JournalReason::kNoJournal);
  EXPECT_FALSE(home_.HasJournal());
}

TEST_F(JournalOpenTest, MissingPassphraseDuringInitLeavesNothingBehind) {
  EXPECT_CODE(Journal::Init(home_, FastOptions(false), NoPassphraseAvailable(), clock_),
              kCancelled);
  EXPECT_FALSE(home_.HasJournal());
  for (const char* suffix : {"", "-wal", "-shm"}) {
    EXPECT_FALSE(FileExists(home_.database_path() + suffix)) << suffix;
  }

  // Nothing half-made is in the way: init can simply be run again.
  CountingPassphrase ask("second try");
  ASSERT_OK_AND_ASSIGN(Journal journal,
                       Journal::Init(home_, FastOptions(false), ask.source(), clock_));
  EXPECT_TRUE(journal.passphrase_protected());
}

TEST_F(JournalOpenTest, NoPassphraseJournalNeverAsks) {
  {
    ASSERT_OK_AND_ASSIGN(Journal journal,
                         Journal::Init(home_, FastOptions(true), MustNotAsk(), clock_));
    EXPECT_FALSE(journal.passphrase_protected());
  }
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  EXPECT_FALSE(journal.passphrase_protected());
  ASSERT_OK_AND_ASSIGN(std::string name, journal.Name());
  EXPECT_EQ(name, "Robin");
}

TEST_F(JournalOpenTest, WrongPassphraseIsRefusedAndChangesNoByte) {
  CountingPassphrase right("the right one");
  {
    ASSERT_OK_AND_ASSIGN(Journal journal,
                         Journal::Init(home_, FastOptions(false), right.source(), clock_));
    ASSERT_OK(journal.Add(Draft("trigger", "something to protect")).status());
  }
  const std::string db_path = home_.database_path();
  const bool wal_before = FileExists(db_path + "-wal");
  const Bytes db_before = ReadFileBytes(db_path);
  const Bytes wal_before_bytes = ReadFileBytes(db_path + "-wal");
  ASSERT_FALSE(db_before.empty());

  CountingPassphrase wrong("the wrong one");
  EXPECT_REASON(Journal::Open(home_, wrong.source(), clock_), kAuthFailed,
                node::JournalReason::kWrongPassphrase);
  EXPECT_EQ(*wrong.calls, 1);
  EXPECT_CODE(Journal::Open(home_, NoPassphraseAvailable(), clock_), kCancelled);

  EXPECT_EQ(ReadFileBytes(db_path), db_before);
  EXPECT_EQ(FileExists(db_path + "-wal"), wal_before);
  EXPECT_EQ(ReadFileBytes(db_path + "-wal"), wal_before_bytes);

  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, right.source(), clock_));
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> entries, journal.List({}));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].text, "something to protect");
}

TEST_F(JournalOpenTest, ChangePassphraseToNoneMakesItPassphraseFree) {
  CountingPassphrase ask("to be dropped");
  {
    ASSERT_OK_AND_ASSIGN(Journal journal,
                         Journal::Init(home_, FastOptions(false), ask.source(), clock_));
    ASSERT_OK(journal.Add(Draft("need", "to be heard")).status());
    ASSERT_OK(journal.ChangePassphrase(std::nullopt, KdfStrength::kInteractive));
    EXPECT_FALSE(journal.passphrase_protected());
  }
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  EXPECT_FALSE(journal.passphrase_protected());
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> entries, journal.List({}));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].text, "to be heard");

  // And back: protected again, asked again.
  std::string fresh = "a new passphrase";
  ASSERT_OK(journal.ChangePassphrase(TakeSecret(fresh), KdfStrength::kInteractive));
  EXPECT_TRUE(journal.passphrase_protected());
  CountingPassphrase fresh_ask("a new passphrase");
  ASSERT_OK_AND_ASSIGN(Journal again, Journal::Open(home_, fresh_ask.source(), clock_));
  EXPECT_EQ(*fresh_ask.calls, 1);
  EXPECT_TRUE(again.passphrase_protected());
}

}  // namespace
}  // namespace attune::node::testing
