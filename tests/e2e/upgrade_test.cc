// Couples already paired, on journals the previous attune made (tests/e2e/fixtures/format1/,
// made by make.sh there with attune 8cba6fd): the first command upgrades each journal, says so
// once, loses nothing; a bundle the old attune wrote still opens; and after one sync the
// partner's copies lose the stale wording and quiz answers the old attune sent.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/e2e/loopback.h"
#include "tests/e2e/partners.h"

namespace attune::e2e {
namespace {

using nlohmann::json;

const std::string kFixtures = std::string(ATTUNE_SOURCE_DIR) + "/tests/e2e/fixtures/format1";

class UpgradeTest : public PartnersTest {
 protected:
  // A copy of the fixture home `name`, private as a person's own would be.
  std::string FixtureHome(const std::string& name) {
    const std::string home = PathIn(name);
    EXPECT_EQ(::mkdir(home.c_str(), 0700), 0);
    WriteFile(home + "/journal.db", ReadFile(kFixtures + "/" + name + "/journal.db"));
    EXPECT_EQ(::chmod((home + "/journal.db").c_str(), 0600), 0);
    return home;
  }

  static std::map<std::string, std::string> Ids() {
    std::ifstream in(kFixtures + "/ids.txt");
    std::map<std::string, std::string> ids;
    std::string what, id;
    while (in >> what >> id) ids[what] = id;
    return ids;
  }
};

TEST_F(UpgradeTest, APairedCoupleUpgradesAndThePartnersCopiesLoseStaleWordsAndAnswers) {
  const std::string sam = FixtureHome("sam");
  const std::string alex = FixtureHome("alex");
  const std::map<std::string, std::string> ids = Ids();

  // Alex holds what the old attune sent: the statement's old parts, every quiz answer.
  const RunResult first = RunAt(alex, {"show", ids.at("style"), "--json"});
  ASSERT_EQ(first.exit_code, kExitOk) << first;
  // Said once, by the command that upgraded (UpgradedNote, worded in tests/cli): one note more
  // than the next command's.
  const RunResult next = RunAt(alex, {"list"});
  EXPECT_EQ(NoteLines(first.err), NoteLines(next.err) + 1) << first << next;
  EXPECT_TRUE(ParseJson(first.out)["fields"].contains("answers"));
  EXPECT_TRUE(JsonAt(alex, {"show", ids.at("statement")})["fields"].contains("feel"));
  EXPECT_EQ(NoteLines(RunAt(alex, {"list"}).err), NoteLines(next.err)) << "only once";

  // Sam's journal: nothing lost, the private still private, and a bundle the old attune wrote
  // opens on Alex's upgraded one.
  const json sams = JsonAt(sam, {"list"});
  EXPECT_EQ(sams.size(), 6u) << sams;
  EXPECT_EQ(JsonAt(sam, {"show", ids.at("trigger")})["visibility"], "private");
  EXPECT_FALSE(PathExists(sam + "/journal.db.before-upgrade"));
  const RunResult opened =
      RunAt(alex, {"bundle", "--open", kFixtures + "/sam-to-alex.bundle", "--json"});
  ASSERT_EQ(opened.exit_code, kExitOk) << opened;
  EXPECT_EQ(ParseJson(opened.out)["received"], 1);

  // Paired before onion contacts travelled at pairing: neither knows the other's yet.
  for (const std::string& home : {alex, sam}) {
    EXPECT_TRUE(JsonAt(home, {"partner"})["partner_onion_address"].is_null()) << home;
  }

  // One sync: Alex's copies become what Sam's upgraded journal sends, as its previews show.
  const uint16_t port = UnusedLoopbackPort();
  BackgroundProcess serve = StartAt(
      alex, {"serve", "--json", "--listen", "127.0.0.1:" + std::to_string(port), "--no-discovery"});
  ASSERT_TRUE(serve.ReadLineContaining(ServeEvent("listening"), kStep).has_value());
  const RunResult synced =
      RunAt(sam, {"sync", "--to", "127.0.0.1:" + std::to_string(port), "--no-discovery"});
  Stop(serve);
  ASSERT_EQ(synced.exit_code, kExitOk) << synced;
  // The same sync told each side the other's onion contact (onion/1), so that Tor can reach
  // them from now on.
  EXPECT_EQ(JsonAt(alex, {"partner"})["partner_onion_address"],
            JsonAt(sam, {"partner"})["onion_address"]);
  EXPECT_EQ(JsonAt(sam, {"partner"})["partner_onion_address"],
            JsonAt(alex, {"partner"})["onion_address"]);
  for (const char* what : {"statement", "style", "boundary"}) {
    json at_alex = JsonAt(alex, {"show", ids.at(what)});
    at_alex.erase("author");
    at_alex.erase("visibility");
    EXPECT_EQ(at_alex, JsonAt(sam, {"share", ids.at(what), "--preview"})) << what;
  }
  EXPECT_FALSE(JsonAt(alex, {"show", ids.at("style")})["fields"].contains("answers"));
  EXPECT_FALSE(JsonAt(alex, {"show", ids.at("statement")})["fields"].contains("feel"));
  const std::string partner_entries = JsonAt(alex, {"list", "--partner"}).dump();
  for (const char* marker :
       {"PRIVATE-TRIGGER-MARKER", "WITHDRAWN-NEED-MARKER", "DELETED-NOTE-MARKER"}) {
    EXPECT_FALSE(Contains(partner_entries, marker)) << marker;
  }
  EXPECT_TRUE(Contains(partner_entries, "BUNDLE-REPAIR-MARKER"));
}

TEST_F(UpgradeTest, AJournalWithAPassphraseUpgradesOnlyOnceItIsUnlocked) {
  const std::string robin = FixtureHome("robin");
  env["ATTUNE_PASSPHRASE"] = "not the passphrase";
  const RunResult wrong = RunAt(robin, {"list"});
  EXPECT_EQ(wrong.exit_code, kExitWrongPassphrase) << wrong;
  env["ATTUNE_PASSPHRASE"] = "format one passphrase";
  const RunResult listed = RunAt(robin, {"list", "--json"});
  ASSERT_EQ(listed.exit_code, kExitOk) << listed;
  EXPECT_TRUE(Contains(listed.err, "upgraded"));
  EXPECT_TRUE(Contains(listed.out, "ROBIN-NEED-MARKER"));
}

}  // namespace
}  // namespace attune::e2e
