// Sharing with the partner, end to end with the real binary: choosing what to share (and the
// questions asked before a usually-private kind goes), withdrawing, delivery states, reading and
// answering what the partner shared, unpairing, and how `sync` reports a missing partner.
// Partners are paired with `attune pair` and synced through `serve` on loopback.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/e2e/loopback.h"
#include "tests/e2e/partners.h"

namespace attune::e2e {
namespace {

using nlohmann::json;

// One entry of a JSON list by id; null if absent.
json FindById(const json& list, const std::string& id) {
  if (!list.is_array()) return nullptr;
  for (const json& item : list) {
    if (item.value("id", "") == id) return item;
  }
  return nullptr;
}

// `shared --json` as id -> state.
std::map<std::string, std::string> States(const json& shared) {
  std::map<std::string, std::string> states;
  if (!shared.is_array()) return states;
  for (const json& item : shared) states[item["id"]] = item["state"];
  return states;
}

// `text` with every run of spaces and line breaks made one space: a table's wrapped cell as one
// line.
std::string Unwrapped(const std::string& text) {
  std::string flat;
  for (const char c : text) {
    const bool space = c == ' ' || c == '\n';
    if (!space) {
      flat += c;
    } else if (!flat.empty() && flat.back() != ' ') {
      flat += ' ';
    }
  }
  return flat;
}

class SharingTest : public PartnersTest {
 protected:
  std::string Visibility(const std::string& home, const std::string& id) {
    const json shown = JsonAt(home, {"show", id});
    return shown.is_object() ? shown.value("visibility", "") : "";
  }
};

TEST_F(SharingTest, AddShareSharesAtOnceButAsksBeforeAUsuallyPrivateKind) {
  const std::string home = NewHome("Robin");
  const std::string need = AddAt(home, "need", "to hear 'on my way'", {"--share"});
  EXPECT_EQ(Visibility(home, need), "shared");

  const RunResult unasked = RunAt(home, {"add", "trigger", "raw and tender", "--share"});
  EXPECT_EQ(unasked.exit_code, kExitUsage) << unasked;
  EXPECT_TRUE(Contains(unasked.err, "--yes")) << unasked;
  EXPECT_EQ(ListIds(home), (std::vector<std::string>{need})) << "nothing stored";

  const std::string trigger = AddAt(home, "trigger", "raw and tender", {"--share", "--yes"});
  EXPECT_EQ(Visibility(home, trigger), "shared");
  const std::string private_trigger = AddAt(home, "trigger", "kept to myself");
  EXPECT_EQ(Visibility(home, private_trigger), "private");

  const json statement =
      JsonAt(home, {"statement", "--feel", "lonely", "--when", "evenings go quiet", "--need",
                    "ten minutes together", "--share"});
  EXPECT_EQ(statement["visibility"], "shared") << statement;

  const std::map<std::string, std::string> states = States(JsonAt(home, {"shared"}));
  EXPECT_EQ(states, (std::map<std::string, std::string>{
                        {need, "waiting"}, {trigger, "waiting"}, {statement["id"], "waiting"}}));
}

TEST_F(SharingTest, ShareWithoutATerminalNeedsYesAndShowsNothingElse) {
  const std::string home = NewHome("Robin");
  const std::string wound_text = "not being chosen";
  const std::string wound = AddAt(home, "wound", wound_text);
  const std::string need = AddAt(home, "need", "to be asked first");

  for (const std::string& id : {wound, need}) {
    const RunResult refused = RunAt(home, {"share", id});
    EXPECT_EQ(refused.exit_code, kExitUsage) << refused;
    EXPECT_TRUE(Contains(refused.err, "--yes")) << refused;
    EXPECT_EQ(Visibility(home, id), "private");
  }
  EXPECT_EQ(JsonAt(home, {"shared"}), json::array());

  const RunResult shared_wound = RunAt(home, {"share", wound.substr(0, 8), "--yes"});
  EXPECT_EQ(shared_wound.exit_code, kExitOk) << shared_wound;
  EXPECT_FALSE(Contains(shared_wound.out + shared_wound.err, wound_text))
      << "without a terminal there is no preview to show";
  const json shared_need = JsonAt(home, {"share", need, "--yes"});
  EXPECT_EQ(shared_need["visibility"], "shared");
  // Without --yes and without a terminal, only an entry the partner already has can pass: a
  // share that had anything to send would have had to ask (cli/sharing_messages_test.cc has
  // what it says).
  const RunResult again = RunAt(home, {"share", need, "--json"});
  EXPECT_EQ(again.exit_code, kExitOk) << "already shared: nothing to ask" << again;
  EXPECT_EQ(ParseJson(again.out), shared_need) << "unchanged";
  EXPECT_EQ(States(JsonAt(home, {"shared"})),
            (std::map<std::string, std::string>{{wound, "waiting"}, {need, "waiting"}}));
}

TEST_F(SharingTest, UnshareAndRmWithdrawAndSharedShowsTheirStates) {
  const std::string home = NewHome("Robin");
  const std::string need = AddAt(home, "need", "quiet mornings", {"--share"});
  const std::string repair = AddAt(home, "repair", "we walked it off", {"--share"});
  const std::string boundary = AddAt(home, "boundary", "no phones at dinner");

  const RunResult unshared = RunAt(home, {"unshare", need});
  EXPECT_EQ(unshared.exit_code, kExitOk) << unshared;
  EXPECT_EQ(Visibility(home, need), "private");
  EXPECT_EQ(RunAt(home, {"unshare", need}).exit_code, kExitUsage);
  EXPECT_EQ(RunAt(home, {"unshare", boundary}).exit_code, kExitUsage);
  EXPECT_EQ(RunAt(home, {"rm", repair, "--yes"}).exit_code, kExitOk);

  // Restating a private boundary with --share shares it; restating again keeps it shared.
  const json restated = JsonAt(home, {"boundary", "restate", boundary, "again", "--share"});
  EXPECT_EQ(restated["visibility"], "shared");
  const json twice = JsonAt(home, {"boundary", "restate", boundary});
  EXPECT_EQ(twice["visibility"], "shared");
  EXPECT_EQ(twice["fields"]["restatements"].size(), 2u);

  const json shared = JsonAt(home, {"shared"});
  ASSERT_EQ(shared.size(), 3u) << shared;
  EXPECT_EQ(shared[0]["id"], need);
  EXPECT_EQ(shared[0]["state"], "withdrawing");
  EXPECT_EQ(shared[0]["entry"]["visibility"], "private");
  EXPECT_EQ(shared[1]["id"], repair);
  EXPECT_EQ(shared[1]["state"], "withdrawing");
  EXPECT_TRUE(shared[1]["entry"].is_null()) << "deleted here";
  EXPECT_EQ(shared[2]["id"], boundary);
  EXPECT_EQ(shared[2]["state"], "waiting");

  // How `shared` words these states: tests/cli/sharing_messages_test.cc.
  EXPECT_EQ(RunAt(home, {"shared"}).exit_code, kExitOk);
}

// Alex and Sam paired, each with something shared and something private, synced once.
class SyncedPartnersTest : public SharingTest {
 protected:
  static constexpr const char* kAlexNeedText = "to hear 'on my way' when late";

  void SetUp() override {
    SharingTest::SetUp();
    ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
    alex_need_ = AddAt(alex_, "need", kAlexNeedText, {"--share"});
    alex_boundary_ = AddAt(alex_, "boundary", "an hour alone after work", {"--share"});
    alex_private_ = AddAt(alex_, "wound", "ALEX-PRIVATE never told");
    const RunResult quiz = RunAt(alex_, {"quiz", "--json"}, QuizAnswers(6));
    ASSERT_EQ(quiz.exit_code, kExitOk) << quiz;
    alex_style_ = ParseJson(quiz.out)["id"];
    ASSERT_EQ(RunAt(alex_, {"share", alex_style_, "--yes"}).exit_code, kExitOk);
    sam_need_ = AddAt(sam_, "need", "a slow Sunday morning", {"--share"});
    sam_private_ = AddAt(sam_, "trigger", "SAM-PRIVATE raw moment");

    const RunResult synced = SyncThroughServe(sam_, alex_);
    ASSERT_EQ(synced.exit_code, kExitOk) << synced;
  }

  std::string alex_need_, alex_boundary_, alex_private_, alex_style_;
  std::string sam_need_, sam_private_;
};

TEST_F(SyncedPartnersTest, EachSeesExactlyWhatTheOtherShared) {
  const std::vector<std::string> alex_shared = {alex_need_, alex_boundary_, alex_style_};
  EXPECT_EQ(ListIds(sam_, {"--partner"}), alex_shared);
  EXPECT_EQ(ListIds(alex_, {"--partner"}), (std::vector<std::string>{sam_need_}));
  // Own lists are own entries only.
  EXPECT_EQ(ListIds(sam_), (std::vector<std::string>{sam_need_, sam_private_}));
  const RunResult search = RunAt(sam_, {"search", "PRIVATE"});
  EXPECT_FALSE(Contains(search.out, "ALEX-PRIVATE")) << search;

  const RunResult listed = RunAt(sam_, {"list", "--partner"});
  EXPECT_TRUE(Contains(listed.out, kAlexNeedText)) << listed;
  // Without the "[shared]" of one's own shared entries: EntryLineTest in tests/cli.

  // Delivery states on both sides after the sync.
  EXPECT_EQ(
      States(JsonAt(alex_, {"shared"})),
      (std::map<std::string, std::string>{
          {alex_need_, "delivered"}, {alex_boundary_, "delivered"}, {alex_style_, "delivered"}}));
  EXPECT_EQ(States(JsonAt(sam_, {"shared"})),
            (std::map<std::string, std::string>{{sam_need_, "delivered"}}));
}

TEST_F(SyncedPartnersTest, ShowAndTogetherPresentThePartnersEntriesAsTheirs) {
  const RunResult shown = RunAt(sam_, {"show", alex_need_.substr(0, 8)});
  ASSERT_EQ(shown.exit_code, kExitOk) << shown;
  EXPECT_TRUE(Contains(shown.out, kAlexNeedText)) << shown;
  // Whose it is, in words: ProvenanceTest in tests/cli/sharing_messages_test.cc.
  const json shown_json = JsonAt(sam_, {"show", alex_need_});
  EXPECT_EQ(shown_json["author"], "partner");
  EXPECT_EQ(shown_json["kind"], "need");

  const json together = JsonAt(sam_, {"together"});
  ASSERT_TRUE(together.is_array()) << together;
  std::map<std::string, std::string> authors;
  for (const json& entry : together) authors[entry["id"]] = entry["author"];
  EXPECT_EQ(authors, (std::map<std::string, std::string>{{alex_need_, "partner"},
                                                         {alex_boundary_, "partner"},
                                                         {alex_style_, "partner"},
                                                         {sam_need_, "me"}}));
  const RunResult text = RunAt(sam_, {"together"});
  EXPECT_TRUE(Contains(text.out, "Alex")) << text;  // whose each is: above, by "author"
  EXPECT_FALSE(Contains(text.out, "SAM-PRIVATE")) << text;
}

TEST_F(SyncedPartnersTest, PartnerEntriesCannotBeChangedHere) {
  const json before = JsonAt(sam_, {"show", alex_need_});
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"edit", alex_need_, "words put in their mouth", "--json"},
           {"rm", alex_need_, "--yes", "--json"},
           {"share", alex_need_, "--yes", "--json"},
           {"unshare", alex_need_, "--json"},
           {"boundary", "restate", alex_boundary_, "again", "--json"}}) {
    const RunResult refused = RunAt(sam_, args);
    EXPECT_EQ(refused.exit_code, kExitUsage) << args[0] << "\n" << refused;
    EXPECT_EQ(FailureReason(refused), "not_own_entry") << refused;
  }
  EXPECT_EQ(JsonAt(sam_, {"show", alex_need_}), before);
  EXPECT_EQ(JsonAt(sam_, {"shared"}).size(), 1u);
}

TEST_F(SyncedPartnersTest, RespondAnswersThePartnerAndTheAnswerReachesThem) {
  const json response =
      JsonAt(sam_, {"respond", alex_need_.substr(0, 8), "I will text you", "--ack", "will-try"});
  EXPECT_EQ(response["kind"], "response");
  EXPECT_EQ(response["visibility"], "shared");
  EXPECT_EQ(response["fields"]["responds_to"], alex_need_);
  EXPECT_EQ(response["fields"]["responds_to_kind"], "need");
  EXPECT_EQ(response["fields"]["ack"], "will-try");
  const RunResult from_stdin = RunAt(sam_, {"respond", alex_boundary_, "--json"}, "Of course.\n");
  ASSERT_EQ(from_stdin.exit_code, kExitOk) << from_stdin;
  const json read_from_stdin = ParseJson(from_stdin.out);
  EXPECT_EQ(read_from_stdin["text"], "Of course.") << from_stdin;
  EXPECT_EQ(read_from_stdin["visibility"], "shared") << from_stdin;
  EXPECT_EQ(read_from_stdin["fields"]["responds_to"], alex_boundary_) << from_stdin;

  EXPECT_EQ(RunAt(sam_, {"respond", alex_need_, "ok", "--ack", "maybe"}).exit_code, kExitUsage);
  const RunResult own = RunAt(sam_, {"respond", sam_need_, "to myself"});
  EXPECT_EQ(own.exit_code, kExitUsage) << own;
  EXPECT_EQ(RunAt(sam_, {"respond", "deadbeef", "to nobody"}).exit_code, kExitNotFound);
  EXPECT_EQ(ListIds(sam_, {"--kind", "response"}).size(), 2u);

  const RunResult synced = SyncThroughServe(sam_, alex_);
  ASSERT_EQ(synced.exit_code, kExitOk) << synced;
  const json arrived = FindById(JsonAt(alex_, {"list", "--partner"}), response["id"]);
  ASSERT_TRUE(arrived.is_object());
  EXPECT_EQ(arrived["text"], "I will text you");
  EXPECT_EQ(arrived["fields"]["ack"], "will-try");
  EXPECT_EQ(arrived["author"], "partner");
}

TEST_F(SyncedPartnersTest, StepsAndStyleShowThePartnersSharedStyle) {
  const RunResult steps = RunAt(sam_, {"steps"});
  ASSERT_EQ(steps.exit_code, kExitOk) << steps;
  const json steps_json = JsonAt(sam_, {"steps"});
  ASSERT_TRUE(steps_json["partner_style"].is_string()) << steps_json;
  // The blend Alex shared is on the table (PartnerStyleLineTest words the line around it).
  EXPECT_TRUE(Contains(Unwrapped(steps.out), steps_json["partner_style"].get<std::string>()))
      << steps;

  const json style = JsonAt(sam_, {"style"});
  EXPECT_TRUE(style["id"].is_null()) << "Sam has no result of their own";
  ASSERT_TRUE(style.contains("partner")) << style;
  EXPECT_EQ(style["partner"]["id"], alex_style_);
  const RunResult chart = RunAt(sam_, {"style"});
  EXPECT_EQ(chart.exit_code, kExitOk) << chart;
  EXPECT_TRUE(Contains(chart.out, steps_json["partner_style"].get<std::string>())) << chart;

  // Alex has not been shown a style from Sam, who shared none.
  EXPECT_TRUE(JsonAt(alex_, {"steps"})["partner_style"].is_null());
  EXPECT_FALSE(JsonAt(alex_, {"style"}).contains("partner"));
}

TEST_F(SyncedPartnersTest, WithdrawalsReachThePartnerAndAreConfirmed) {
  ASSERT_EQ(RunAt(alex_, {"unshare", alex_need_}).exit_code, kExitOk);
  ASSERT_EQ(RunAt(alex_, {"rm", alex_boundary_, "--yes"}).exit_code, kExitOk);
  EXPECT_EQ(States(JsonAt(alex_, {"shared"}))[alex_need_], "withdrawing");

  const RunResult synced = SyncThroughServe(sam_, alex_, {"--json"});
  ASSERT_EQ(synced.exit_code, kExitOk) << synced;
  const json counts = ParseJson(synced.out);
  EXPECT_EQ(counts["removed"], 2) << counts;
  EXPECT_EQ(ListIds(sam_, {"--partner"}), (std::vector<std::string>{alex_style_}));
  EXPECT_EQ(RunAt(sam_, {"show", alex_need_}).exit_code, kExitNotFound);
  EXPECT_EQ(
      States(JsonAt(alex_, {"shared"})),
      (std::map<std::string, std::string>{
          {alex_style_, "delivered"}, {alex_need_, "withdrawn"}, {alex_boundary_, "withdrawn"}}));
}

// Everything at once: the partner's node removes every copy at the next sync (a new epoch).
TEST_F(SyncedPartnersTest, UnshareAllWithdrawsEverythingFromThePartner) {
  const RunResult nothing = RunAt(alex_, {"unshare"});
  EXPECT_EQ(nothing.exit_code, kExitUsage) << nothing;
  EXPECT_TRUE(Contains(nothing.err, "--all")) << nothing;
  EXPECT_EQ(RunAt(alex_, {"unshare", alex_need_, "--all"}).exit_code, kExitUsage);

  const RunResult all = RunAt(alex_, {"unshare", "--all", "--json"});
  ASSERT_EQ(all.exit_code, kExitOk) << all;
  EXPECT_EQ(ParseJson(all.out), (json{{"withdrawn", 3}})) << all;
  const RunResult synced = SyncThroughServe(sam_, alex_, {"--json"});
  ASSERT_EQ(synced.exit_code, kExitOk) << synced;
  EXPECT_TRUE(ListIds(sam_, {"--partner"}).empty());
  EXPECT_TRUE(JsonAt(alex_, {"shared"}).empty());
  EXPECT_EQ(JsonAt(alex_, {"show", alex_need_})["visibility"], "private");
}

TEST_F(SyncedPartnersTest, UnpairNeedsKeepOrDeleteWithoutATerminal) {
  const RunResult undecided = RunAt(sam_, {"unpair", "--yes"});
  EXPECT_EQ(undecided.exit_code, kExitUsage) << undecided;
  EXPECT_TRUE(Contains(undecided.err, "--keep or --delete")) << undecided;
  const RunResult both = RunAt(sam_, {"unpair", "--keep", "--delete", "--yes"});
  EXPECT_EQ(both.exit_code, kExitUsage) << both;
  const RunResult unconfirmed = RunAt(sam_, {"unpair", "--keep"});
  EXPECT_EQ(unconfirmed.exit_code, kExitUsage) << unconfirmed;
  EXPECT_EQ(JsonAt(sam_, {"partner"})["partner"], "Alex") << "still paired";
  EXPECT_EQ(ListIds(sam_, {"--partner"}).size(), 3u);
}

TEST_F(SyncedPartnersTest, UnpairKeepKeepsTheirEntriesReadOnlyAndMakesOwnPrivate) {
  const RunResult unpaired = RunAt(sam_, {"unpair", "--keep", "--yes"});
  ASSERT_EQ(unpaired.exit_code, kExitOk) << unpaired;
  EXPECT_TRUE(JsonAt(sam_, {"partner"})["partner"].is_null());

  EXPECT_TRUE(ListIds(sam_, {"--partner"}).empty());
  const json kept = JsonAt(sam_, {"show", alex_need_});
  EXPECT_EQ(kept["author"], "former");
  EXPECT_EQ(kept["text"], kAlexNeedText);
  EXPECT_EQ(RunAt(sam_, {"edit", alex_need_, "x"}).exit_code, kExitUsage);
  EXPECT_EQ(RunAt(sam_, {"rm", alex_need_, "--yes"}).exit_code, kExitUsage);
  EXPECT_EQ(RunAt(sam_, {"respond", alex_need_, "late"}).exit_code, kExitUsage);

  EXPECT_EQ(Visibility(sam_, sam_need_), "private");
  EXPECT_EQ(JsonAt(sam_, {"shared"}), json::array());
  EXPECT_EQ(JsonAt(sam_, {"together"}), json::array()) << "a former partner's are not 'together'";
  EXPECT_EQ(RunAt(sam_, {"unpair", "--keep", "--yes"}).exit_code, kExitNotPaired);
}

TEST_F(SyncedPartnersTest, UnpairDeleteRemovesTheirEntries) {
  const RunResult unpaired = RunAt(sam_, {"unpair", "--delete", "--yes"});
  ASSERT_EQ(unpaired.exit_code, kExitOk) << unpaired;
  for (const std::string& id : {alex_need_, alex_boundary_, alex_style_}) {
    EXPECT_EQ(RunAt(sam_, {"show", id}).exit_code, kExitNotFound);
  }
  EXPECT_EQ(ListIds(sam_), (std::vector<std::string>{sam_need_, sam_private_}));
  EXPECT_EQ(Visibility(sam_, sam_need_), "private");
  EXPECT_TRUE(JsonAt(sam_, {"style"})["id"].is_null());
  EXPECT_FALSE(JsonAt(sam_, {"style"}).contains("partner"));
}

TEST_F(SharingTest, SyncReportsAMissingPartnerAStrangerAndNobodyListening) {
  const std::string alone = NewHome("Robin");
  const uint16_t closed_port = UnusedLoopbackPort();
  const std::string closed = "127.0.0.1:" + std::to_string(closed_port);
  const RunResult unpaired = RunAt(alone, {"sync"});
  EXPECT_EQ(unpaired.exit_code, kExitNotPaired) << unpaired;  // its own exit code
  EXPECT_EQ(RunAt(alone, {"sync", "--to", closed}).exit_code, kExitNotPaired);

  ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  const std::string waiting = AddAt(sam_, "need", "waiting to travel", {"--share"});
  const RunResult nobody = RunAt(sam_, {"sync", "--to", closed, "--json"});
  EXPECT_EQ(nobody.exit_code, kExitUnreachable) << nobody;
  EXPECT_EQ(ParseJson(nobody.out).size(), 1u) << "only the failure: " << nobody;
  EXPECT_TRUE(ParseJson(nobody.out).contains("error")) << nobody;
  const RunResult nobody_at_last_address = RunAt(sam_, {"sync"});
  EXPECT_EQ(nobody_at_last_address.exit_code, kExitUnreachable) << nobody_at_last_address;
  EXPECT_EQ(RunAt(sam_, {"sync", "--to", "127.0.0.1:port"}).exit_code, kExitUsage);

  // A serve that is not Alex's: another couple's.
  const std::string chris = NewHome("Chris");
  const std::string dana = NewHome("Dana");
  const uint16_t chris_port = UnusedLoopbackPort();
  ASSERT_NO_FATAL_FAILURE(Pair(chris, chris_port, dana, UnusedLoopbackPort()));
  BackgroundProcess stranger = Serve(chris);
  const RunResult wrong_peer =
      RunAt(sam_, {"sync", "--to", "127.0.0.1:" + std::to_string(chris_port), "--json"});
  EXPECT_EQ(wrong_peer.exit_code, kExitUnknownPeer) << wrong_peer;
  EXPECT_EQ(FailureReason(wrong_peer), "link_not_answered") << wrong_peer;
  Stop(stranger);
  EXPECT_TRUE(ListIds(chris, {"--partner"}).empty());
  EXPECT_EQ(States(JsonAt(sam_, {"shared"})),
            (std::map<std::string, std::string>{{waiting, "waiting"}}));
}

}  // namespace
}  // namespace attune::e2e
