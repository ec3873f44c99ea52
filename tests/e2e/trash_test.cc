// The trash (issue 19, jrnl's habits), through the real binary: `rm` moves an entry to the
// trash, `trash` lists it, `restore` brings it back private, `trash --empty` empties it (asking,
// or --yes), and what has been there 30 days is gone the next time attune opens the journal
// (the clock moved with libfaketime). Between partners: a shared entry put in the trash leaves
// the partner at the next sync, and restoring it sends nothing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/e2e/e2e_fixture.h"
#include "tests/e2e/partners.h"

namespace attune::e2e {
namespace {

using nlohmann::json;

class TrashTest : public AttuneTest {
 protected:
  void SetUp() override {
    AttuneTest::SetUp();
    ASSERT_NO_FATAL_FAILURE(InitJournal());
  }

  json TrashJson() {
    const RunResult listed = Run({"trash", "--json"});
    EXPECT_EQ(listed.exit_code, kExitOk) << listed;
    return ParseJson(listed.out);
  }

  std::vector<std::string> TrashIds() {
    std::vector<std::string> ids;
    const json listed = TrashJson();
    if (!listed.is_array()) return ids;
    for (const json& entry : listed) ids.push_back(entry["id"]);
    return ids;
  }

  std::vector<std::string> ListedIds() {
    std::vector<std::string> ids;
    for (const json& entry : ListJson()) ids.push_back(entry["id"]);
    return ids;
  }
};

TEST_F(TrashTest, RmMovesToTheTrashAndRestoreBringsItBackPrivate) {
  const std::string id = Add("need", "TRASH-ME a call when late");
  const std::string kept = Add("note", "stays");

  const RunResult removed = Run({"rm", id.substr(0, 6), "--yes", "--json"});
  ASSERT_EQ(removed.exit_code, kExitOk) << removed;
  const json said = ParseJson(removed.out);
  EXPECT_EQ(said["trashed"], id);
  EXPECT_EQ(said["withdrawn"], false);
  EXPECT_TRUE(said["emptied"].is_string()) << said;

  EXPECT_EQ(ListedIds(), std::vector<std::string>{kept});
  const RunResult shown = Run({"show", id, "--json"});
  EXPECT_EQ(shown.exit_code, kExitNotFound) << shown;
  EXPECT_EQ(FailureReason(shown), "in_trash") << shown;
  EXPECT_EQ(Run({"search", "TRASH-ME", "--json"}).out, "[]\n");
  const RunResult exported = Run({"export", "--format", "json"});
  ASSERT_EQ(exported.exit_code, kExitOk) << exported;
  EXPECT_EQ(exported.out.find("TRASH-ME"), std::string::npos);

  const json trash = TrashJson();
  ASSERT_EQ(trash.size(), 1u) << trash;
  EXPECT_EQ(trash[0]["id"], id);
  EXPECT_EQ(trash[0]["text"], "TRASH-ME a call when late");
  EXPECT_TRUE(trash[0]["trashed"].is_string()) << trash;
  EXPECT_EQ(trash[0]["emptied"], said["emptied"]);
  EXPECT_EQ(Run({"rm", id, "--yes", "--json"}).exit_code, kExitNotFound) << "already there";

  const RunResult restored = Run({"restore", id.substr(0, 8), "--json"});
  ASSERT_EQ(restored.exit_code, kExitOk) << restored;
  EXPECT_EQ(ParseJson(restored.out)["visibility"], "private");
  EXPECT_EQ(Sorted(ListedIds()), Sorted({id, kept}));
  EXPECT_EQ(ShowJson(id)["visibility"], "private");
  EXPECT_TRUE(TrashIds().empty());

  const RunResult again = Run({"restore", id, "--json"});
  EXPECT_EQ(again.exit_code, kExitUsage) << again;
  EXPECT_EQ(FailureReason(again), "not_in_trash") << again;
}

TEST_F(TrashTest, HelpForTheTrashCommands) {
  for (const char* command : {"rm", "restore", "trash"}) {
    const RunResult help = Run({"help", command});
    EXPECT_EQ(help.exit_code, kExitOk) << help;
    EXPECT_EQ(help.out, Run({command, "--help"}).out);
    EXPECT_NE(help.out.find("30 days"), std::string::npos) << help;
  }
}

TEST_F(TrashTest, EmptyingAsksAndWithoutATerminalNeedsYes) {
  const std::string id = Add("note", "to be emptied");
  ASSERT_EQ(Run({"rm", id, "--yes"}).exit_code, kExitOk);

  const RunResult refused = Run({"trash", "--empty"});
  EXPECT_EQ(refused.exit_code, kExitUsage) << refused;
  EXPECT_EQ(TrashIds(), std::vector<std::string>{id}) << "nothing was emptied";

  const RunResult emptied = Run({"trash", "--empty", "--yes", "--json"});
  ASSERT_EQ(emptied.exit_code, kExitOk) << emptied;
  EXPECT_EQ(ParseJson(emptied.out), (json{{"deleted", 1}}));
  EXPECT_TRUE(TrashIds().empty());
  const RunResult gone = Run({"show", id, "--json"});
  EXPECT_EQ(gone.exit_code, kExitNotFound) << gone;
  EXPECT_EQ(FailureReason(gone), "") << "deleted for good, no longer in the trash";
}

TEST_F(TrashTest, TheTrashIsEmptiedThirtyDaysLater) {
  const std::string library = FaketimeLibrary();
  if (library.empty()) GTEST_SKIP() << "libfaketime is not installed (Debian: faketime)";
  const std::string id = Add("note", "trashed today");
  ASSERT_EQ(Run({"rm", id, "--yes"}).exit_code, kExitOk);
  const Environment today = env;

  MoveClock(env, library, "+29d");
  EXPECT_EQ(TrashIds(), std::vector<std::string>{id});
  EXPECT_EQ(FailureReason(Run({"show", id, "--json"})), "in_trash");

  env = today;
  MoveClock(env, library, "+31d");
  const RunResult listed = Run({"list", "--json"});  // any command opens the journal
  ASSERT_EQ(listed.exit_code, kExitOk) << listed;
  env = today;
  EXPECT_TRUE(TrashIds().empty());
  const RunResult gone = Run({"show", id, "--json"});
  EXPECT_EQ(gone.exit_code, kExitNotFound) << gone;
  EXPECT_EQ(FailureReason(gone), "") << gone;
}

class TrashPartnersTest : public PartnersTest {
 protected:
  void SetUp() override {
    PartnersTest::SetUp();
    ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  }

  json SyncJson() {
    const RunResult synced = SyncThroughServe(sam_, alex_, {"--json"});
    EXPECT_EQ(synced.exit_code, kExitOk) << synced;
    return ParseJson(synced.out);
  }
};

TEST_F(TrashPartnersTest, ASharedEntryTrashedLeavesThePartnerAndRestoringSendsNothing) {
  const std::string need = AddAt(sam_, "need", "a hug at the door", {"--share"});
  EXPECT_EQ(SyncJson()["sent"], 1);
  ASSERT_TRUE(PartnerHas(alex_, need));

  const RunResult removed = RunAt(sam_, {"rm", need, "--yes", "--json"});
  ASSERT_EQ(removed.exit_code, kExitOk) << removed;
  EXPECT_EQ(ParseJson(removed.out)["withdrawn"], true);
  EXPECT_EQ(SyncJson()["withdrew"], 1);
  EXPECT_FALSE(PartnerHas(alex_, need));

  const json restored = JsonAt(sam_, {"restore", need});
  EXPECT_EQ(restored["visibility"], "private");
  const json after = SyncJson();
  EXPECT_EQ(after["sent"], 0) << after;
  EXPECT_FALSE(PartnerHas(alex_, need));
}

}  // namespace
}  // namespace attune::e2e
