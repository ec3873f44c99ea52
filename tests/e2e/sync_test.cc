// Sync between two real attune processes on loopback: `serve` on one home and `sync` from the
// other (the summary and its counts), `serve` on both homes propagating changes live, and a
// serving node killed with SIGKILL in the middle of a large sync, after which the next sync
// finishes the job exactly and both databases pass SQLite's integrity check.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/partners.h"
#include "tests/e2e/progress_bar.h"

namespace attune::e2e {
namespace {

using nlohmann::json;
using std::chrono::seconds;

int64_t FileSize(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 ? static_cast<int64_t>(info.st_size) : 0;
}

class SyncTest : public PartnersTest {
 protected:
  void SetUp() override {
    PartnersTest::SetUp();
    ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  }

  std::string Address(uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

  // Ids of one's own shared entries, sorted.
  std::vector<std::string> OwnSharedIds(const std::string& home) {
    std::vector<std::string> ids;
    const json listed = JsonAt(home, {"list"});
    if (!listed.is_array()) return ids;
    for (const json& entry : listed) {
      if (entry["visibility"] == "shared") ids.push_back(entry["id"]);
    }
    return Sorted(ids);
  }

  void ExpectConverged() {
    EXPECT_EQ(Sorted(ListIds(sam_, {"--partner"})), OwnSharedIds(alex_));
    EXPECT_EQ(Sorted(ListIds(alex_, {"--partner"})), OwnSharedIds(sam_));
  }

  std::string StateOf(const std::string& home, const std::string& id) {
    const json shared = JsonAt(home, {"shared"});
    if (!shared.is_array()) return "";
    for (const json& item : shared) {
      if (item["id"] == id) return item["state"];
    }
    return "";
  }
};

TEST_F(SyncTest, SyncPrintsWhatMovedAndJsonCountsEachKindOfChange) {
  const std::string alex_need = AddAt(alex_, "need", "quiet mornings", {"--share"});
  AddAt(alex_, "boundary", "no phones at dinner", {"--share"});
  AddAt(alex_, "repair", "we talked it through", {"--share"});
  AddAt(alex_, "wound", "ALEX-PRIVATE");
  const std::string sam_need = AddAt(sam_, "need", "slow Sundays", {"--share"});
  AddAt(sam_, "statement", "I feel rushed when ...", {"--share"});

  BackgroundProcess serve = Serve(alex_);
  const RunResult first = RunAt(sam_, {"sync"});
  ASSERT_EQ(first.exit_code, kExitOk) << first;
  EXPECT_EQ(first.out, "Synced with your partner's attune at " + Address(alex_port_) +
                           ": sent 2, withdrew 0, received 3, removed 0.\n");
  const std::optional<std::string> connected =
      serve.ReadLineContaining(ServeEvent("partner_connected_once"), kStep);
  ASSERT_TRUE(connected.has_value()) << serve.skipped();
  EXPECT_EQ(nlohmann::json::parse(*connected)["host"], "127.0.0.1");

  // Changes on both sides while serve keeps running, picked up by the next sync.
  ASSERT_EQ(RunAt(alex_, {"unshare", alex_need}).exit_code, kExitOk);
  const std::string alex_new = AddAt(alex_, "need", "a hug at the door", {"--share"});
  ASSERT_EQ(RunAt(sam_, {"rm", sam_need, "--yes"}).exit_code, kExitOk);
  const RunResult second = RunAt(sam_, {"sync", "--json"});
  ASSERT_EQ(second.exit_code, kExitOk) << second;
  json summary = ParseJson(second.out);
  // The connection's own figures: a handshake and a few small messages each way.
  ASSERT_TRUE(summary["bytes_sent"].is_number_unsigned()) << summary;
  EXPECT_GT(summary["bytes_sent"].get<uint64_t>(), 100u);
  EXPECT_LT(summary["bytes_sent"].get<uint64_t>(), 4096u);
  EXPECT_GT(summary["bytes_received"].get<uint64_t>(), summary["bytes_sent"].get<uint64_t>())
      << "Sam received an entry and sent none";
  EXPECT_GE(summary["seconds"].get<double>(), 0.0);
  for (const char* measured : {"bytes_sent", "bytes_received", "seconds"}) summary.erase(measured);
  EXPECT_EQ(summary, (json{{"address", Address(alex_port_)},
                           {"damaged_entries", json::array()},
                           {"damaged_records", json::array()},
                           {"sent", 0},
                           {"withdrew", 1},
                           {"received", 1},
                           {"removed", 1},
                           {"refused", 0},
                           {"searched", false}}));

  const RunResult third = RunAt(sam_, {"sync", "--json", "--to", Address(alex_port_)});
  ASSERT_EQ(third.exit_code, kExitOk) << third;
  const json nothing = ParseJson(third.out);
  EXPECT_EQ(nothing["sent"], 0);
  EXPECT_EQ(nothing["received"], 0);
  Stop(serve);

  ExpectConverged();
  EXPECT_TRUE(PartnerHas(sam_, alex_new));
  EXPECT_FALSE(PartnerHas(sam_, alex_need));
  EXPECT_EQ(StateOf(alex_, alex_need), "withdrawn");
  EXPECT_EQ(StateOf(alex_, alex_new), "delivered");
  EXPECT_EQ(StateOf(sam_, sam_need), "withdrawn");
  EXPECT_FALSE(JsonAt(sam_, {"partner"})["last_contact"].is_null());
}

// A first sync of thousands of entries shows a bar on a terminal (counts only, never text),
// erased before the summary; the same sync on a pipe prints only the summary.
TEST_F(SyncTest, AFirstSyncOfThousandsShowsAProgressBarOnATerminalOnly) {
  constexpr int kEntries = 1500;  // above the bar's threshold (cli/progress.h: 1000)
  std::vector<json> entries;
  for (int i = 1; i <= kEntries; ++i) {
    char id[33];
    std::snprintf(id, sizeof id, "%032x", i);
    json entry = ExportedEntry(id, "need", "ALEX-TEXT " + std::to_string(i),
                               "2026-01-01T00:00:00.000+00:00");
    entry["visibility"] = "shared";
    entries.push_back(entry);
  }
  WriteFile(PathIn("alex.json"), ExportDocument(entries));
  ASSERT_EQ(RunAt(alex_, {"import", PathIn("alex.json")}).exit_code, kExitOk);

  BackgroundProcess serve = Serve(alex_);
  const RunResult on_tty = RunOnTty({"--home", sam_, "sync"}, {});
  ASSERT_EQ(on_tty.exit_code, kExitOk) << on_tty;
  EXPECT_TRUE(HasProgressBarOf(on_tty.out, kEntries)) << on_tty;
  // Counts only, never entry text.
  EXPECT_EQ(on_tty.out.find("ALEX-TEXT"), std::string::npos) << on_tty;
  // The bar is erased first; the summary follows it, with the count received (its words: the
  // sync command's, checked through sync --json in the other tests).
  EXPECT_NE(WithoutNotes(AfterProgressBar(on_tty.out)).find(std::to_string(kEntries)),
            std::string::npos)
      << on_tty;
  EXPECT_EQ(ListIds(sam_, {"--partner"}).size(), static_cast<size_t>(kEntries));

  // On a pipe: the summary alone (the next sync has nothing to move either way).
  const RunResult piped = RunAt(sam_, {"sync"});
  ASSERT_EQ(piped.exit_code, kExitOk) << piped;
  EXPECT_EQ(WithoutNotes(piped.err), "") << piped;
  EXPECT_EQ(piped.out.find("Syncing"), std::string::npos) << piped;
}

TEST_F(SyncTest, TwoServesFindEachOtherAndPropagateChangesLive) {
  BackgroundProcess alex_serve = Serve(alex_);
  BackgroundProcess sam_serve = Serve(sam_);
  ASSERT_FALSE(HasFailure());

  const std::string from_alex = AddAt(alex_, "need", "live from Alex", {"--share"});
  EXPECT_TRUE(Eventually([&] { return PartnerHas(sam_, from_alex); }, kArrival))
      << alex_serve.skipped() << sam_serve.skipped();
  const std::string from_sam = AddAt(sam_, "boundary", "live from Sam", {"--share"});
  EXPECT_TRUE(Eventually([&] { return PartnerHas(alex_, from_sam); }, kArrival));

  // An edit and a withdrawal travel the same way, and their confirmations come back.
  ASSERT_EQ(RunAt(sam_, {"edit", from_sam, "live from Sam, edited", "--yes"}).exit_code, kExitOk);
  EXPECT_TRUE(Eventually(
      [&] {
        return JsonAt(alex_, {"show", from_sam})["text"] == "live from Sam, edited";
      },
      kArrival));
  ASSERT_EQ(RunAt(alex_, {"unshare", from_alex}).exit_code, kExitOk);
  EXPECT_TRUE(Eventually([&] { return !PartnerHas(sam_, from_alex); }, kArrival));
  EXPECT_TRUE(Eventually([&] { return StateOf(alex_, from_alex) == "withdrawn"; }, kArrival));
  EXPECT_TRUE(Eventually([&] { return StateOf(sam_, from_sam) == "delivered"; }, kArrival));
  // Private entries written meanwhile stay home.
  AddAt(alex_, "trigger", "ALEX-PRIVATE");
  const std::string marker = AddAt(alex_, "need", "after the private one", {"--share"});
  EXPECT_TRUE(Eventually([&] { return PartnerHas(sam_, marker); }, kArrival));

  Stop(alex_serve);
  Stop(sam_serve);
  ExpectConverged();
}

TEST_F(SyncTest, SyncAndPingBesideTwoLiveServesWorkAndLeaveTheLiveLinkUp) {
  BackgroundProcess alex_serve = Serve(alex_);
  BackgroundProcess sam_serve = Serve(sam_);
  ASSERT_FALSE(HasFailure());
  ASSERT_NE(ArrivesLive(alex_, sam_, "before the one-shot syncs"), "");

  // A one-shot session each way runs beside the live one; neither is turned away, whichever
  // side's key sorts first.
  for (int round = 0; round < 2; ++round) {
    const RunResult from_alex = RunAt(alex_, {"sync", "--to", Address(sam_port_)});
    EXPECT_EQ(from_alex.exit_code, kExitOk) << from_alex;
    const RunResult from_sam = RunAt(sam_, {"sync", "--to", Address(alex_port_)});
    EXPECT_EQ(from_sam.exit_code, kExitOk) << from_sam;
    const RunResult ping = RunAt(sam_, {"ping", "--to", Address(alex_port_)});
    EXPECT_EQ(ping.exit_code, kExitOk) << ping;
  }

  // The live link still carries changes, both ways.
  const std::string from_sam = AddAt(sam_, "repair", "after the one-shot syncs", {"--share"});
  EXPECT_TRUE(Eventually([&] { return PartnerHas(alex_, from_sam); }, kArrival));
  const std::string from_alex = AddAt(alex_, "boundary", "and back again", {"--share"});
  EXPECT_TRUE(Eventually([&] { return PartnerHas(sam_, from_alex); }, kArrival));
  Stop(alex_serve);
  Stop(sam_serve);
  ExpectConverged();
}

TEST_F(SyncTest, UnpairingWhileServeRunsEndsTheLiveLink) {
  BackgroundProcess alex_serve = Serve(alex_);
  BackgroundProcess sam_serve = Serve(sam_);
  ASSERT_FALSE(HasFailure());
  ASSERT_NE(ArrivesLive(sam_, alex_, "while still paired"), "");

  const RunResult unpaired = RunAt(alex_, {"unpair", "--delete", "--yes"});
  ASSERT_EQ(unpaired.exit_code, kExitOk) << unpaired;
  // What Sam shares from now on must not land in Alex's home through the session that was
  // open when Alex unpaired. Looked at once every chance for it has passed: Alex's serve ended
  // that session, and then turned away Sam's serve when it connected again.
  const std::string later = AddAt(sam_, "need", "after Alex unpaired", {"--share"});
  ASSERT_TRUE(alex_serve.ReadLineContaining(R"("event":"session_ended")", kArrival))
      << alex_serve.skipped();
  ASSERT_TRUE(alex_serve.ReadLineContaining(R"("event":"connection_closed")", kArrival))
      << alex_serve.skipped();
  const std::vector<std::string> held = ListIds(alex_, {"--partner"});
  EXPECT_TRUE(held.empty()) << "Alex's home holds " << held.size() << " of Sam's entries";
  Stop(alex_serve);
  Stop(sam_serve);
}

// One home holds 3000 shared entries and the other receives them. Alex always runs serve (and
// is killed with SIGKILL mid-sync), Sam runs `sync`; the parameter says which way they flow.
struct InterruptedSync {
  bool serve_receives;
};

void PrintTo(const InterruptedSync& param, std::ostream* out) {
  *out << (param.serve_receives ? "serve receives" : "serve sends");
}

class InterruptedSyncTest : public SyncTest,
                            public ::testing::WithParamInterface<InterruptedSync> {};

TEST_P(InterruptedSyncTest, ResumesAfterSigkillAndEndsWithExactlyEveryEntry) {
  constexpr int kEntries = 3000;
  const bool serve_receives = GetParam().serve_receives;
  const std::string& receiver = serve_receives ? alex_ : sam_;
  const std::string& sender = serve_receives ? sam_ : alex_;
  const std::string& serving = alex_;
  const std::string& syncing = sam_;

  std::vector<std::string> ids;
  // Needs of about 1 KiB each.
  WriteFile(
      PathIn("shared.json"),
      SharedNeedsExport(
          kEntries, "5a",
          [](int i) { return "need number " + std::to_string(i) + std::string(1000, '.'); }, ids));
  const RunResult imported = RunAt(sender, {"import", PathIn("shared.json")});
  ASSERT_EQ(imported.exit_code, kExitOk) << imported;
  ASSERT_EQ(JsonAt(sender, {"shared"}).size(), static_cast<size_t>(kEntries));

  BackgroundProcess serve = Serve(serving);
  BackgroundProcess sync = StartAt(syncing, {"sync", "--json"});
  // Kill serve once the receiver has stored a good part, seen from outside by its WAL growing.
  const std::string receiver_wal = receiver + "/journal.db-wal";
  Eventually([&] { return FileSize(receiver_wal) > 1024 * 1024 || !sync.Running(); }, kArrival);
  ASSERT_TRUE(serve.Signal(SIGKILL));
  const RunResult killed = serve.Wait(kStep);
  EXPECT_EQ(killed.signal, SIGKILL) << killed;
  const RunResult interrupted = sync.Wait(kStep);
  // The sync either lost its partner (13, 14) or, on a very fast machine, finished first.
  EXPECT_TRUE(interrupted.exit_code == kExitOk || interrupted.exit_code == kExitUnreachable ||
              interrupted.exit_code == kExitStoppedAnswering)
      << interrupted;

  const size_t held = ListIds(receiver, {"--partner"}).size();
  EXPECT_LE(held, static_cast<size_t>(kEntries));
  // Where the kill landed, for whoever wonders how much the resumed sync had left to do.
  RecordProperty("entries_before_resume", std::to_string(held));
  RecordProperty("interrupted_sync_exit", std::to_string(interrupted.exit_code));

  BackgroundProcess again = Serve(serving);
  const RunResult resumed = RunAt(syncing, {"sync", "--json"});
  Stop(again);
  ASSERT_EQ(resumed.exit_code, kExitOk) << resumed;
  // Exactly what was missing travelled: no duplicates, nothing skipped.
  const json counts = ParseJson(resumed.out);
  const char* moved = serve_receives ? "sent" : "received";
  EXPECT_EQ(counts[moved], kEntries - static_cast<int>(held)) << counts;
  EXPECT_EQ(counts["refused"], 0);

  EXPECT_EQ(Sorted(ListIds(receiver, {"--partner"})), ids);
  const json shared = JsonAt(sender, {"shared"});
  EXPECT_TRUE(std::all_of(shared.begin(), shared.end(),
                          [](const json& item) { return item["state"] == "delivered"; }));
  EXPECT_EQ(IntegrityCheck(receiver + "/journal.db"), "ok");
  EXPECT_EQ(IntegrityCheck(sender + "/journal.db"), "ok");
}

INSTANTIATE_TEST_SUITE_P(KillingEitherSide, InterruptedSyncTest,
                         ::testing::Values(InterruptedSync{true}, InterruptedSync{false}),
                         [](const ::testing::TestParamInfo<InterruptedSync>& param_info) {
                           return param_info.param.serve_receives ? std::string("ServeReceives")
                                                                  : std::string("ServeSends");
                         });

}  // namespace
}  // namespace attune::e2e
