// Finding each other on the local network (docs/protocol.md, "Discovery"), end to end on
// loopback: real attune processes pair with no address typed, `sync` finds a partner whose serve
// moved, `--no-discovery` turns it all off, and an announcement replayed from another address
// (where someone relays to the real serve) is ignored: nothing connects there, nothing is
// remembered.
//
// Each test uses a UDP discovery port of its own (--discovery-port), so parallel runs do not hear
// each other. Linux's lo has no MULTICAST flag, but delivers IPv4 multicast sent with
// IP_MULTICAST_IF 127.0.0.1 to members joined on 127.0.0.1; attune and the helpers below rely on
// that.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "tests/common/group_sender.h"
#include "tests/e2e/loopback.h"
#include "tests/e2e/partners.h"
#include "tests/e2e/recording_proxy.h"

namespace attune::e2e {
namespace {

// The IPv4 group, as documented; repeated here because it is part of attune's interface.
constexpr const char* kGroupV4 = "239.255.71.18";
constexpr size_t kAnnouncementBytes = 83;
constexpr std::chrono::milliseconds kRepeatEvery{50};

class LanDiscoveryTest : public PartnersTest {
 protected:
  void SetUp() override {
    PartnersTest::SetUp();
    discovery_port_ = UnusedLoopbackPort();
    ASSERT_NE(discovery_port_, 0);
  }

  std::vector<std::string> WithDiscoveryPort(std::vector<std::string> args) const {
    args.push_back("--discovery-port");
    args.push_back(std::to_string(discovery_port_));
    return args;
  }

  nlohmann::json PartnerOf(const std::string& home) { return JsonAt(home, {"partner"}); }

  // Pairs Alex (inviting, on loopback) and Sam (joining with the code alone).
  void PairWithoutAddress() {
    alex_ = NewHome("Alex");
    sam_ = NewHome("Sam");
    alex_port_ = UnusedLoopbackPort();
    sam_port_ = UnusedLoopbackPort();
    BackgroundProcess inviter =
        StartAt(alex_, WithDiscoveryPort({"pair", "--listen", "127.0.0.1:0", "--serve-port",
                                          std::to_string(alex_port_), "--json"}));
    const std::optional<std::string> offer_line = inviter.ReadLine(kStep);
    ASSERT_TRUE(offer_line.has_value()) << inviter.Wait(kStep);
    const nlohmann::json offer = ParseJson(*offer_line);
    ASSERT_TRUE(offer.contains("code")) << *offer_line;
    const auto start = std::chrono::steady_clock::now();
    const RunResult joined =
        RunAt(sam_, WithDiscoveryPort({"pair", "--join", offer["code"].get<std::string>(),
                                       "--serve-port", std::to_string(sam_port_), "--json"}));
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    std::cout << "[ figures  ] pair --join without an address took " << took.count()
              << " ms (discovery included)\n";
    // Found without an address: by a search (LookingTextTest in tests/cli words its line).
    ASSERT_EQ(joined.exit_code, kExitOk) << joined;
    const RunResult invited = inviter.Wait(kStep);
    ASSERT_EQ(invited.exit_code, kExitOk) << invited;
  }

  // serve in `home` on 127.0.0.1:port, announcing on this test's discovery port.
  BackgroundProcess ServeAt(const std::string& home, const std::string& listen,
                            std::vector<std::string> extra = {}) {
    std::vector<std::string> args = WithDiscoveryPort({"serve", "--json", "--listen", listen});
    args.insert(args.end(), extra.begin(), extra.end());
    BackgroundProcess serve = StartAt(home, args);
    const std::optional<std::string> line =
        serve.ReadLineContaining(ServeEvent("listening"), kStep);
    EXPECT_TRUE(line.has_value()) << serve.Wait(kStep);
    return serve;
  }

  uint16_t discovery_port_ = 0;
};

TEST_F(LanDiscoveryTest, PairingWithTheCodeAloneFindsTheInviter) {
  ASSERT_NO_FATAL_FAILURE(PairWithoutAddress());
  const nlohmann::json sam_partner = PartnerOf(sam_);
  const nlohmann::json alex_partner = PartnerOf(alex_);
  EXPECT_EQ(sam_partner["partner"], "Alex");
  EXPECT_EQ(alex_partner["partner"], "Sam");
  EXPECT_EQ(sam_partner["safety_number"], alex_partner["safety_number"]);
  // The inviter listened on 127.0.0.1 only: the address that worked is the one remembered.
  EXPECT_EQ(sam_partner["last_address"], "127.0.0.1:" + std::to_string(alex_port_));
}

TEST_F(LanDiscoveryTest, SyncFindsAServeThatMovedAndRemembersTheNewAddress) {
  ASSERT_NO_FATAL_FAILURE(PairWithoutAddress());
  const uint16_t moved = UnusedLoopbackPort();
  ASSERT_NE(moved, alex_port_);
  const std::string need = AddAt(sam_, "need", "A quiet evening together.", {"--share"});
  BackgroundProcess serve = ServeAt(alex_, "127.0.0.1:" + std::to_string(moved));

  const auto start = std::chrono::steady_clock::now();
  const RunResult synced = RunAt(sam_, WithDiscoveryPort({"sync", "--json"}));
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  std::cout << "[ figures  ] sync after the serve moved took " << took.count()
            << " ms (a failed connect, discovery and the sync)\n";
  EXPECT_EQ(synced.exit_code, kExitOk) << synced;
  const nlohmann::json summary = ParseJson(synced.out);
  EXPECT_EQ(summary["searched"], true) << synced;
  EXPECT_EQ(summary["address"], "127.0.0.1:" + std::to_string(moved)) << synced;
  EXPECT_EQ(PartnerOf(sam_)["last_address"], "127.0.0.1:" + std::to_string(moved));
  Stop(serve);
  EXPECT_TRUE(PartnerHas(alex_, need));

  // The next sync goes straight to the remembered address: no search.
  BackgroundProcess again = ServeAt(alex_, "127.0.0.1:" + std::to_string(moved));
  const RunResult direct = RunAt(sam_, WithDiscoveryPort({"sync", "--json"}));
  EXPECT_EQ(direct.exit_code, kExitOk) << direct;
  EXPECT_EQ(ParseJson(direct.out)["searched"], false) << direct;
  Stop(again);
}

TEST_F(LanDiscoveryTest, NoDiscoveryNeitherAnnouncesNorLooks) {
  ASSERT_NO_FATAL_FAILURE(PairWithoutAddress());
  const uint16_t moved = UnusedLoopbackPort();
  BackgroundProcess serve =
      ServeAt(alex_, "127.0.0.1:" + std::to_string(moved), {"--no-discovery"});
  // Sam's search hears nothing, because Alex's serve does not announce.
  const RunResult searched = RunAt(sam_, WithDiscoveryPort({"sync", "--json"}));
  EXPECT_EQ(searched.exit_code, kExitUnreachable) << searched;
  EXPECT_EQ(FailureReason(searched), "link_partner_not_found") << searched;
  // And with --no-discovery, sync does not even look.
  const RunResult plain = RunAt(sam_, WithDiscoveryPort({"sync", "--no-discovery", "--json"}));
  EXPECT_EQ(plain.exit_code, kExitUnreachable) << plain;
  // Not "found nowhere", which a search that heard nothing says: the one address failed.
  EXPECT_NE(FailureReason(plain), "link_partner_not_found") << plain;
  EXPECT_EQ(PartnerOf(sam_)["last_address"], "127.0.0.1:" + std::to_string(alex_port_));
  Stop(serve);
}

TEST_F(LanDiscoveryTest, JoiningWithoutAnAddressNeedsDiscovery) {
  const std::string sam = NewHome("Sam");
  const RunResult refused =
      RunAt(sam, {"pair", "--join", "7-maple-lagoon-violet", "--no-discovery", "--json"});
  EXPECT_EQ(refused.exit_code, kExitUsage) << refused;
  EXPECT_EQ(FailureReason(refused), "pairing_needs_inviter_address") << refused;
  // With discovery but nobody inviting on the channel: nothing found, nothing stored. (What it
  // says, pairing's advice alone, is tests/cli's.)
  const RunResult alone =
      RunAt(sam, WithDiscoveryPort({"pair", "--join", "7-maple-lagoon-violet", "--json"}));
  EXPECT_EQ(alone.exit_code, kExitUnreachable) << alone;
  EXPECT_EQ(FailureReason(alone), "pairing_invitation_not_found") << alone;
  EXPECT_TRUE(PartnerOf(sam)["partner"].is_null());
}

// Finding 5 of issue 15: a captured announcement of Alex's serve, replayed from 127.0.0.2, where
// someone relays every connection to Alex's real serve. Were the replay accepted, Sam would
// connect there, the handshake with Alex would succeed through the relay, and Sam would remember
// the relay's address, and go there without searching for as long as it answers. The replay is
// ignored instead: Sam finds nobody, nothing connects to the relay, nothing is remembered. The
// same capture sent from 127.0.0.1, the address Alex sealed in it, is accepted.
TEST_F(LanDiscoveryTest, AnAnnouncementReplayedFromAnotherAddressIsIgnored) {
  ASSERT_NO_FATAL_FAILURE(PairWithoutAddress());
  const uint16_t moved = UnusedLoopbackPort();
  const std::string at = std::to_string(moved);
  std::optional<std::string> captured;
  {
    BackgroundProcess announcing = ServeAt(alex_, "127.0.0.1:" + at);
    captured = test_common::CaptureGroupDatagram(kGroupV4, discovery_port_, "127.0.0.1", kStep);
    Stop(announcing);
  }
  ASSERT_TRUE(captured.has_value());
  ASSERT_EQ(captured->size(), kAnnouncementBytes);
  // Alex's serve keeps quiet (only the test's copies are heard), and a relay to it listens on
  // 127.0.0.2, the replayer's address, on the same port.
  BackgroundProcess alex_serve = ServeAt(alex_, "127.0.0.1:" + at, {"--no-discovery"});
  RecordingProxy relay(moved, "127.0.0.2", moved);
  ASSERT_TRUE(relay.listening());

  test_common::LoopbackGroupSender from_elsewhere("127.0.0.2");
  ASSERT_TRUE(from_elsewhere.ok());
  RunResult replayed;
  {
    test_common::Repeating replay(
        [&] { from_elsewhere.Send(*captured, kGroupV4, discovery_port_); }, kRepeatEvery);
    replayed = RunAt(sam_, WithDiscoveryPort({"sync", "--json"}));
  }
  EXPECT_EQ(replayed.exit_code, kExitUnreachable) << replayed;
  EXPECT_EQ(FailureReason(replayed), "link_partner_not_found") << replayed;
  EXPECT_EQ(PartnerOf(sam_)["last_address"], "127.0.0.1:" + std::to_string(alex_port_));

  test_common::LoopbackGroupSender from_alex("127.0.0.1");
  ASSERT_TRUE(from_alex.ok());
  RunResult synced;
  {
    test_common::Repeating replay([&] { from_alex.Send(*captured, kGroupV4, discovery_port_); },
                                  kRepeatEvery);
    synced = RunAt(sam_, WithDiscoveryPort({"sync"}));
  }
  EXPECT_EQ(synced.exit_code, kExitOk) << synced;
  EXPECT_EQ(PartnerOf(sam_)["last_address"], "127.0.0.1:" + at);
  Stop(alex_serve);
  EXPECT_TRUE(relay.Stop().empty()) << "someone connected to the replayer's address";
}

}  // namespace
}  // namespace attune::e2e
