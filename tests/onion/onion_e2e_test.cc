// The real `attune` binary reaching a partner through Tor (issue 17), on the suite's private
// Tor network (the onion_network fixture): ATTUNE_TOR_EXTRA_TORRC points each attune's own tor
// at it. Alex serves with Tor on; Sam reaches Alex through Alex's onion service only
// (--via onion), so nothing travels over the local network.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "tests/e2e/partners.h"

namespace attune::e2e {
namespace {

using std::chrono::seconds;

// Starting tor and publishing a descriptor on the private network takes 5-10 s here; the bound
// only ends a broken run.
constexpr auto kTorStep = seconds(120);

// The start of a serve event for a live session begun by either side: partner_reached (dialed
// from here) or partner_connected.
constexpr const char* kSessionBegan = "\"event\":\"partner_";

class OnionTest : public PartnersTest {
 protected:
  void SetUp() override {
    PartnersTest::SetUp();
    env["ATTUNE_TOR_EXTRA_TORRC"] = std::string(ATTUNE_ONION_NETWORK_DIR) + "/client.torrc";
  }

  // `doctor --json` in `home`, by check name (its exit code depends on checks not looked at).
  std::map<std::string, nlohmann::json> DoctorChecks(const std::string& home) {
    const RunResult doctor = RunAt(home, {"doctor", "--json"});
    std::map<std::string, nlohmann::json> checks;
    const nlohmann::json all = ParseJson(doctor.out);
    EXPECT_TRUE(all.is_array()) << doctor;
    if (!all.is_array()) return checks;
    for (const nlohmann::json& check : all) checks[check["check"].get<std::string>()] = check;
    return checks;
  }

  std::string OwnOnion(const std::string& home) {
    return JsonAt(home, {"partner"})["onion_address"].get<std::string>();
  }
};

TEST_F(OnionTest, SyncAndPingReachAServeThroughItsOnionServiceAlone) {
  ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  for (const std::string& home : {alex_, sam_}) {
    const RunResult on = RunAt(home, {"tor", "on", "--json"});
    ASSERT_EQ(on.exit_code, kExitOk) << on;
  }
  // Before Alex serves, doctor finds no descriptor of Alex's service, by tor's own reason.
  std::map<std::string, nlohmann::json> before = DoctorChecks(sam_);
  EXPECT_EQ(before["tor-bootstrap"]["status"], "ok") << before["tor-bootstrap"];
  EXPECT_FALSE(before["tor-bootstrap"]["version"].get<std::string>().empty());
  EXPECT_EQ(before["partner-onion"]["status"], "problem") << before["partner-onion"];
  EXPECT_EQ(before["partner-onion"]["reason"], "tor_descriptor_unavailable");
  EXPECT_EQ(before["onion-published"]["status"], "skipped");  // Sam runs no serve

  BackgroundProcess serve =
      StartAt(alex_, {"serve", "--json", "--listen", "127.0.0.1:0", "--no-discovery"});
  const std::optional<std::string> published =
      serve.ReadLineContaining(ServeEvent("onion_published"), kTorStep);
  ASSERT_TRUE(published.has_value()) << serve.Wait(kStep);
  const nlohmann::json event = ParseJson(*published);
  EXPECT_EQ(event["host"], OwnOnion(alex_));
  EXPECT_EQ(event["port"], 47017);
  // With Alex's service up, doctor on both sides sees it.
  EXPECT_EQ(DoctorChecks(alex_)["onion-published"]["address"], OwnOnion(alex_));
  EXPECT_EQ(DoctorChecks(sam_)["partner-onion"]["status"], "ok");

  const std::string id = AddAt(sam_, "need", "To be met halfway, even from far away.");
  ASSERT_EQ(RunAt(sam_, {"share", id, "--yes"}).exit_code, kExitOk);
  const RunResult synced = RunAt(sam_, {"sync", "--via", "onion", "--no-discovery", "--json"});
  ASSERT_EQ(synced.exit_code, kExitOk) << synced;
  const nlohmann::json summary = ParseJson(synced.out);
  EXPECT_EQ(summary["address"], OwnOnion(alex_) + ":47017");
  EXPECT_EQ(summary["sent"], 1);
  EXPECT_TRUE(PartnerHas(alex_, id));
  const std::optional<std::string> came =
      serve.ReadLineContaining(ServeEvent("partner_connected_once"), kStep);
  ASSERT_TRUE(came.has_value());
  EXPECT_EQ(ParseJson(*came)["host"], "onion");  // Tor hides where it came from

  const RunResult pinged = RunAt(sam_, {"ping", "--via", "onion", "--json"});
  ASSERT_EQ(pinged.exit_code, kExitOk) << pinged;
  EXPECT_EQ(ParseJson(pinged.out)["address"], OwnOnion(alex_) + ":47017");
  // An address seen through Tor is never remembered as one to dial.
  EXPECT_EQ(JsonAt(sam_, {"partner"})["last_address"], "127.0.0.1:" + std::to_string(alex_port_));
  Stop(serve);
}

// Alex invites with `pair --onion`; Sam joins at the onion address, as a couple living apart
// would after sending it by a messenger. The code and address come only once the invitation's
// descriptor is up, so Sam's first try works.
TEST_F(OnionTest, PairAtADistanceThenSyncBothWaysThroughTorAlone) {
  alex_ = NewHome("Alex");
  sam_ = NewHome("Sam");
  BackgroundProcess invitation = StartAt(alex_, {"pair", "--onion", "--json"});
  const std::optional<std::string> offer_line = invitation.ReadLine(kTorStep);
  ASSERT_TRUE(offer_line.has_value()) << invitation.Wait(kStep);
  const nlohmann::json offer = ParseJson(*offer_line);
  const std::string address = offer["address"].get<std::string>();
  ASSERT_TRUE(address.ends_with(".onion:47016")) << address;
  const RunResult joined =
      RunAt(sam_, {"pair", "--join", offer["code"].get<std::string>(), "--to", address, "--json"});
  ASSERT_EQ(joined.exit_code, kExitOk) << joined;
  const RunResult invited = invitation.Wait(kTorStep);
  ASSERT_EQ(invited.exit_code, kExitOk) << invited;
  const std::string paired_line =
      invited.out.substr(invited.out.find('\n') + 1);  // after the offer
  EXPECT_EQ(ParseJson(joined.out)["safety_number"], ParseJson(paired_line)["safety_number"]);

  for (const std::string& home : {alex_, sam_}) {
    const nlohmann::json partner = JsonAt(home, {"partner"});
    EXPECT_EQ(partner["last_address"], "");  // no address was seen: Tor hid both
    EXPECT_FALSE(partner["partner_onion_address"].get<std::string>().empty());
    EXPECT_EQ(JsonAt(home, {"tor"})["tor"], "on");  // pairing turned it on
  }
  // The invitation's onion was one of its own, not Alex's service.
  EXPECT_FALSE(address.starts_with(OwnOnion(alex_)));

  // Neither knows an address on this network, so sync goes straight on through Tor.
  BackgroundProcess alex_serves = StartAt(alex_, {"serve", "--json", "--listen", "127.0.0.1:0"});
  ASSERT_TRUE(alex_serves.ReadLineContaining(ServeEvent("onion_published"), kTorStep).has_value())
      << alex_serves.Wait(kStep);
  const std::string from_sam = AddAt(sam_, "need", "To hear your voice before I sleep.");
  ASSERT_EQ(RunAt(sam_, {"share", from_sam, "--yes"}).exit_code, kExitOk);
  const RunResult to_alex = RunAt(sam_, {"sync", "--no-discovery", "--json"});
  ASSERT_EQ(to_alex.exit_code, kExitOk) << to_alex;
  EXPECT_EQ(ParseJson(to_alex.out)["sent"], 1);
  EXPECT_TRUE(PartnerHas(alex_, from_sam));
  Stop(alex_serves);

  BackgroundProcess sam_serves = StartAt(sam_, {"serve", "--json", "--listen", "127.0.0.1:0"});
  ASSERT_TRUE(sam_serves.ReadLineContaining(ServeEvent("onion_published"), kTorStep).has_value())
      << sam_serves.Wait(kStep);
  const std::string from_alex = AddAt(alex_, "boundary", "I need an hour alone after work.");
  ASSERT_EQ(RunAt(alex_, {"share", from_alex, "--yes"}).exit_code, kExitOk);
  const RunResult to_sam = RunAt(alex_, {"sync", "--no-discovery", "--json"});
  ASSERT_EQ(to_sam.exit_code, kExitOk) << to_sam;
  EXPECT_EQ(ParseJson(to_sam.out)["sent"], 1);
  EXPECT_TRUE(PartnerHas(sam_, from_alex));
  Stop(sam_serves);
}

// The tor that `serve` in `home` started (serve's child named tor); -1 if none.
pid_t TorChildOf(pid_t serve) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string pid, name, state;
    pid_t parent = -1;
    if (stat >> pid >> name >> state >> parent && parent == serve && name == "(tor)") {
      return static_cast<pid_t>(std::stol(pid));
    }
  }
  return -1;
}

// Both serve with Tor on, and neither can reach the other's listener directly (each listens on
// a port it did not tell the other, and discovery is off): the live session runs through Tor.
// When Alex's tor is killed, Alex's serve starts a new one and the session comes back.
TEST_F(OnionTest, TwoServesSyncLiveThroughTorAndReconnectAfterATorIsKilled) {
  ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  for (const std::string& home : {alex_, sam_}) {
    ASSERT_EQ(RunAt(home, {"tor", "on"}).exit_code, kExitOk);
  }
  const std::vector<std::string> args = {"serve", "--json", "--listen", "127.0.0.1:0",
                                         "--no-discovery"};
  BackgroundProcess alex_serves = StartAt(alex_, args);
  BackgroundProcess sam_serves = StartAt(sam_, args);
  for (BackgroundProcess* serve : {&alex_serves, &sam_serves}) {
    const std::optional<std::string> reached = serve->ReadLineContaining(kSessionBegan, kTorStep);
    ASSERT_TRUE(reached.has_value()) << serve->Wait(kStep);
    EXPECT_EQ(ParseJson(*reached)["host"], "onion") << *reached;
  }
  EXPECT_FALSE(ArrivesLive(alex_, sam_, "To know you are thinking of me.").empty());
  EXPECT_FALSE(ArrivesLive(sam_, alex_, "A call on Sunday evenings.").empty());

  // A one-shot command beside serve uses serve's tor (two tors cannot share the home's tor
  // folder) and leaves it running; so does doctor.
  const pid_t tor = TorChildOf(alex_serves.pid());
  ASSERT_GT(tor, 0);
  const RunResult beside = RunAt(alex_, {"sync", "--via", "onion", "--json"});
  ASSERT_EQ(beside.exit_code, kExitOk) << beside;
  EXPECT_EQ(DoctorChecks(alex_)["tor-bootstrap"]["serves_tor"], true);
  EXPECT_EQ(TorChildOf(alex_serves.pid()), tor);
  ASSERT_EQ(::kill(tor, SIGKILL), 0);
  const std::optional<std::string> problem =
      alex_serves.ReadLineContaining(ServeEvent("tor_problem"), kTorStep);
  ASSERT_TRUE(problem.has_value()) << alex_serves.Wait(kStep);
  ASSERT_TRUE(alex_serves.ReadLineContaining(ServeEvent("onion_published"), kTorStep).has_value())
      << alex_serves.Wait(kStep);
  EXPECT_NE(TorChildOf(alex_serves.pid()), tor);
  const std::string after = AddAt(sam_, "need", "To hear back, even late.", {"--share"});
  EXPECT_TRUE(Eventually([&] { return PartnerHas(alex_, after); }, kTorStep));
  Stop(alex_serves);
  Stop(sam_serves);
}

// With Tor on and the partner's serve reachable on this network, both sides use the direct
// path: the live session, and a sync without --via.
TEST_F(OnionTest, WithBothPathsOpenTheDirectOneIsUsed) {
  ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  for (const std::string& home : {alex_, sam_}) {
    ASSERT_EQ(RunAt(home, {"tor", "on"}).exit_code, kExitOk);
  }
  BackgroundProcess alex_serves = Serve(alex_, {"--no-discovery"});
  ASSERT_TRUE(alex_serves.ReadLineContaining(ServeEvent("onion_published"), kTorStep).has_value())
      << alex_serves.Wait(kStep);
  const RunResult synced = RunAt(sam_, {"sync", "--no-discovery", "--json"});
  ASSERT_EQ(synced.exit_code, kExitOk) << synced;
  EXPECT_EQ(ParseJson(synced.out)["address"], "127.0.0.1:" + std::to_string(alex_port_));
  BackgroundProcess sam_serves = Serve(sam_, {"--no-discovery"});
  const std::optional<std::string> reached = sam_serves.ReadLineContaining(kSessionBegan, kTorStep);
  ASSERT_TRUE(reached.has_value()) << sam_serves.Wait(kStep);
  EXPECT_EQ(ParseJson(*reached)["host"], "127.0.0.1") << *reached;
  Stop(sam_serves);
  Stop(alex_serves);
}

TEST_F(OnionTest, ViaOnionWhileTorIsOffSaysHowToTurnItOn) {
  ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  const RunResult refused = RunAt(sam_, {"sync", "--via", "onion", "--json"});
  EXPECT_EQ(refused.exit_code, kExitUsage) << refused;
  EXPECT_EQ(FailureCode(refused), "invalid_argument");
  ASSERT_EQ(RunAt(sam_, {"tor", "on"}).exit_code, kExitOk);
  const RunResult no_tor = RunAt(sam_, {"ping", "--via", "onion", "--no-tor"});
  EXPECT_EQ(no_tor.exit_code, kExitUsage) << no_tor;
}

}  // namespace
}  // namespace attune::e2e
