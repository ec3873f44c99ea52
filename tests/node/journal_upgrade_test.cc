// The one-time upgrade of a journal made before format 2 (node/journal_upgrade.h), on homes the
// previous attune made (tests/e2e/fixtures/format1/, see make.sh there): re-sealed with their
// metadata bound, what was shared sent again in its current form, nothing lost, and nothing
// changed by an upgrade that fails.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "node/journal.h"
#include "node/journal/journal_sync.h"
#include "node/shared_content.h"
#include "tests/node/sharing_fixture.h"

namespace attune::node::testing {
namespace {

const std::string kFixtures = std::string(ATTUNE_SOURCE_DIR) + "/tests/e2e/fixtures/format1";

class JournalUpgradeTest : public JournalTest {
 protected:
  // Puts the fixture journal `name` in this test's home, as a person's own file would be.
  void UseFixture(const std::string& name) {
    ASSERT_OK(home_.Create());
    const Bytes bytes = ReadFileBytes(kFixtures + "/" + name + "/journal.db");
    ASSERT_FALSE(bytes.empty());
    test_common::WriteFileBytes(home_.database_path(), bytes);
    ASSERT_EQ(::chmod(home_.database_path().c_str(), 0600), 0);
  }

  // The fixture's entry ids by what they are (ids.txt: "statement ID" per line).
  static std::map<std::string, std::string> Ids() {
    std::ifstream in(kFixtures + "/ids.txt");
    std::map<std::string, std::string> ids;
    std::string what, id;
    while (in >> what >> id) ids[what] = id;
    return ids;
  }

  // Every row of the outgoing log as the sender would send it now.
  static std::vector<protocol::LogRow> Outgoing(Journal& journal) {
    JournalSyncStore store(journal);
    Result<Bytes> epoch = store.LocalEpoch();
    EXPECT_OK(epoch.status());
    Result<std::vector<protocol::LogRow>> rows = store.ReadLog(*epoch, 0, 1000);
    EXPECT_OK(rows.status());
    EXPECT_TRUE(store.quarantined().empty());
    return rows.ok() ? *rows : std::vector<protocol::LogRow>();
  }

  static Entry Decoded(const protocol::LogRow& row) {
    Result<Entry> entry = DecodeSharedContent(std::string(row.content.begin(), row.content.end()));
    EXPECT_OK(entry.status());
    return entry.ok() ? *entry : Entry();
  }
};

TEST_F(JournalUpgradeTest, TheFirstUnlockUpgradesAndSendsWhatWasSharedInItsCurrentForm) {
  ASSERT_NO_FATAL_FAILURE(UseFixture("sam"));
  const std::map<std::string, std::string> ids = Ids();
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  EXPECT_TRUE(journal.upgraded());
  EXPECT_FALSE(FileExists(home_.upgrade_copy_path())) << "the copy goes once it committed";
  ASSERT_OK_AND_ASSIGN(std::string name, journal.Name());
  EXPECT_EQ(name, "Sam");

  // Nothing lost: every entry opens under format 2, with who may see it as before.
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> all, journal.List({.author = std::nullopt}));
  std::map<std::string, Entry> by_id;
  for (Entry& entry : all) by_id[entry.id] = std::move(entry);
  EXPECT_EQ(by_id.size(), 7u);
  EXPECT_EQ(by_id.at(ids.at("trigger")).visibility, node::Visibility::kPrivate);
  EXPECT_EQ(by_id.at(ids.at("withdrawn")).visibility, node::Visibility::kPrivate);
  EXPECT_EQ(by_id.count(ids.at("deleted")), 0u);
  for (const char* shared : {"statement", "style", "boundary"}) {
    EXPECT_EQ(by_id.at(ids.at(shared)).visibility, node::Visibility::kShared) << shared;
  }
  // The statement was edited as free text after it was shared: its parts go.
  EXPECT_TRUE(by_id.at(ids.at("statement")).fields.empty());
  EXPECT_TRUE(HasQuizAnswers(by_id.at(ids.at("style")))) << "the answers stay at home";

  // Every shared entry is sent again, after everything the partner has seen, as SharedView
  // renders it; withdrawals keep their place.
  std::set<std::string> resent;
  for (const protocol::LogRow& row : Outgoing(journal)) {
    EXPECT_FALSE(BytesContain(row.content, "PRIVATE-TRIGGER-MARKER"));
    EXPECT_FALSE(BytesContain(row.content, "WITHDRAWN-NEED-MARKER"));
    EXPECT_FALSE(BytesContain(row.content, "DELETED-NOTE-MARKER"));
    if (row.withdrawn) {
      EXPECT_LE(row.seq, 10u) << "a withdrawal keeps its seq";
      continue;
    }
    EXPECT_GT(row.seq, 10u) << "sent again after everything sent before";
    const Entry sent = Decoded(row);
    EXPECT_FALSE(sent.fields.contains("answers")) << sent.kind;
    EXPECT_FALSE(sent.fields.contains("feel")) << sent.kind;
    EXPECT_FALSE(BytesContain(row.content, "you never answer my texts"));
    resent.insert(row.entry_id);
  }
  EXPECT_EQ(resent.size(), 4u) << "statement, style, boundary and the repair";
  ASSERT_OK_AND_ASSIGN(std::vector<SharedItem> items, journal.SharedItems());
  for (const SharedItem& item : items) {
    EXPECT_FALSE(item.awaiting_confirmation) << item.entry_id;
    EXPECT_FALSE(item.damaged) << item.entry_id;
  }
  EXPECT_TRUE(journal.damage()->empty());

  // Once is enough.
  CloseJournal();
  ASSERT_OK_AND_ASSIGN(Journal again, Journal::Open(home_, MustNotAsk(), clock_));
  EXPECT_FALSE(again.upgraded());
}

TEST_F(JournalUpgradeTest, AnUpgradeThatFailsChangesNothingAndKeepsTheCopy) {
  ASSERT_NO_FATAL_FAILURE(UseFixture("sam"));
  {
    RawSql raw(home_.database_path());
    raw.Exec(
        "CREATE TRIGGER refuse BEFORE UPDATE ON entries BEGIN SELECT RAISE(ABORT, 'no'); END;");
  }
  EXPECT_FALSE(Journal::Open(home_, MustNotAsk(), clock_).ok());
  EXPECT_TRUE(FileExists(home_.upgrade_copy_path()));
  EXPECT_FALSE(ReadFileBytes(home_.upgrade_copy_path()).empty());
  {
    RawSql raw(home_.database_path());
    raw.Exec("DROP TRIGGER refuse;");
  }
  // The next unlock upgrades it from where it was.
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  EXPECT_TRUE(journal.upgraded());
  EXPECT_FALSE(FileExists(home_.upgrade_copy_path()));
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> all, journal.List({.author = std::nullopt}));
  EXPECT_EQ(all.size(), 7u);
}

TEST_F(JournalUpgradeTest, AJournalWithAPassphraseUpgradesWithIt) {
  ASSERT_NO_FATAL_FAILURE(UseFixture("robin"));
  CountingPassphrase ask("format one passphrase");
  EXPECT_REASON(Journal::Open(home_, CountingPassphrase("wrong").source(), clock_), kAuthFailed,
                node::JournalReason::kWrongPassphrase);
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, ask.source(), clock_));
  EXPECT_TRUE(journal.upgraded());
  EXPECT_TRUE(journal.passphrase_protected());
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> entries, journal.List({}));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].text, "ROBIN-NEED-MARKER: to be asked how my day was");
}

}  // namespace
}  // namespace attune::node::testing
