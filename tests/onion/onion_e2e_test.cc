// The real `attune` binary reaching a partner through Tor (issue 17), on the suite's private
// Tor network (the onion_network fixture): ATTUNE_TOR_EXTRA_TORRC points each attune's own tor
// at it. Alex serves with Tor on; Sam reaches Alex through Alex's onion service only
// (--via onion), so nothing travels over the local network.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/e2e/partners.h"

namespace attune::e2e {
namespace {

using std::chrono::seconds;

// Starting tor and publishing a descriptor on the private network takes 5-10 s here; the bound
// only ends a broken run.
constexpr auto kTorStep = seconds(120);

class OnionTest : public PartnersTest {
 protected:
  void SetUp() override {
    PartnersTest::SetUp();
    env["ATTUNE_TOR_EXTRA_TORRC"] = std::string(ATTUNE_ONION_NETWORK_DIR) + "/client.torrc";
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
  BackgroundProcess serve =
      StartAt(alex_, {"serve", "--json", "--listen", "127.0.0.1:0", "--no-discovery"});
  const std::optional<std::string> published =
      serve.ReadLineContaining(ServeEvent("onion_published"), kTorStep);
  ASSERT_TRUE(published.has_value()) << serve.Wait(kStep);
  const nlohmann::json event = ParseJson(*published);
  EXPECT_EQ(event["host"], OwnOnion(alex_));
  EXPECT_EQ(event["port"], 47017);

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
