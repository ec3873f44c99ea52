// Forged and replayed invitations on the local network, in one process: a stranger announcing
// the real inviter's channel (anyone can: the key comes from the channel number alone) must not
// keep the joiner from pairing with the real inviter, and must not pair with it either; and a
// genuine invitation replayed from another address is not even tried. The test sends the
// announcements itself, so the order in which the joiner hears them is known.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <poll.h>

#include <future>

#include "protocol/discovery.h"
#include "protocol/pairing_code.h"
#include "tests/common/group_sender.h"
#include "tests/link/link_test_util.h"

namespace attune::link_testing {
namespace {

using std::chrono::milliseconds;

constexpr const char* kGroupV4 = "239.255.71.18";  // docs/protocol.md, "Discovery"
constexpr milliseconds kRepeatEvery{20};

// LoopbackGroupSender's default source: the address the test's own announcements are sealed for.
const protocol::DiscoveryAddress kFromLoopback = protocol::DiscoveryAddress::IPv4({127, 0, 0, 1});

// A TCP listener on `host`:`port` that never accepts: whatever connects to it waits in its
// backlog, where the test can see it.
class IdleListener {
 public:
  IdleListener(const char* host, uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_port = htons(port);
    ok_ = fd_ >= 0 && inet_pton(AF_INET, host, &at.sin_addr) == 1 &&
          bind(fd_, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0 && listen(fd_, 8) == 0;
  }
  ~IdleListener() {
    if (fd_ >= 0) close(fd_);
  }
  IdleListener(const IdleListener&) = delete;
  IdleListener& operator=(const IdleListener&) = delete;

  bool ok() const { return ok_; }
  // Whether a connection has arrived (a listening socket is readable then); does not wait.
  bool SomeoneConnected() const {
    pollfd poll_fd{fd_, POLLIN, 0};
    return poll(&poll_fd, 1, 0) == 1;
  }

 private:
  int fd_;
  bool ok_ = false;
};

class ForgedInvitationTest : public ::testing::Test {
 protected:
  ForgedInvitationTest()
      : alex_(temp_.File("alex"), "Alex"),
        sam_(temp_.File("sam"), "Sam"),
        mallory_(temp_.File("mallory"), "Mallory") {}

  // `node` invites on 127.0.0.1, announcing on `announce_on` (0: not at all; the test announces
  // for it).
  std::future<Result<node::PairingResult>> Invite(TestNode& node, node::InviteOptions& options,
                                                  std::promise<node::PairingOffer>& offered,
                                                  uint16_t announce_on = 0) {
    options.listen = node::Endpoint{"127.0.0.1", 0};
    options.timeouts = FastTimeouts();
    options.timeouts.pairing_wait = std::chrono::seconds(20);
    options.discovery.enabled = announce_on != 0;
    options.discovery.port = announce_on;
    options.on_ready = [&offered](const node::PairingOffer& offer) { offered.set_value(offer); };
    return std::async(std::launch::async,
                      [&node, &options] { return node::InvitePartner(*node.journal, options); });
  }

  test_common::TempDir temp_;
  TestNode alex_;
  TestNode sam_;
  TestNode mallory_;
};

TEST_F(ForgedInvitationTest, AFakeInviterOnTheSameChannelIsTriedThenTheRealOneStillPairs) {
  node::InviteOptions alex_options, mallory_options;
  std::promise<node::PairingOffer> alex_offered, mallory_offered;
  std::future<Result<node::PairingResult>> alex_invited = Invite(alex_, alex_options, alex_offered);
  std::future<Result<node::PairingResult>> mallory_invited =
      Invite(mallory_, mallory_options, mallory_offered);
  const node::PairingOffer alex_offer = alex_offered.get_future().get();
  const node::PairingOffer mallory_offer = mallory_offered.get_future().get();

  // Announcements of Alex's channel: a forged one naming Mallory's port, and Alex's real one.
  Result<protocol::PairingCode> code = protocol::ParsePairingCode(alex_offer.code);
  ASSERT_TRUE(code.ok());
  Result<protocol::DiscoveryKey> key = protocol::DiscoveryKey::Pairing(code->channel);
  ASSERT_TRUE(key.ok());
  const uint64_t window = protocol::DiscoveryWindow(sam_.clock.Now().utc_ms / 1000);
  const Bytes forged =
      key->Announce(node::ParseEndpoint(mallory_offer.address, 0)->port, window, kFromLoopback);
  const Bytes real =
      key->Announce(node::ParseEndpoint(alex_offer.address, 0)->port, window, kFromLoopback);

  const uint16_t discovery_port = UnusedUdpPort();
  ASSERT_NE(discovery_port, 0);
  test_common::LoopbackGroupSender sender;
  ASSERT_TRUE(sender.ok());
  node::DiscoveryOptions discovery;
  discovery.port = discovery_port;
  discovery.lookup = std::chrono::seconds(10);
  Result<node::PairingResult> joined = Status::Internal("not run");
  {
    test_common::Repeating announce(
        [&] {
          sender.Send(forged, kGroupV4, discovery_port);
          // The real invitation is heard only once the fake has been tried (its code is used up).
          if (mallory_invited.wait_for(milliseconds(0)) == std::future_status::ready) {
            sender.Send(real, kGroupV4, discovery_port);
          }
        },
        kRepeatEvery);
    joined =
        node::JoinPartner(*sam_.journal, alex_offer.code, std::nullopt, FastTimeouts(), discovery);
  }

  ASSERT_TRUE(joined.ok()) << joined.status().detail();
  EXPECT_EQ(joined->partner.public_key, alex_.identity.public_key);
  const Result<node::PairingResult> invited = alex_invited.get();
  ASSERT_TRUE(invited.ok()) << invited.status().detail();
  EXPECT_EQ(invited->partner.public_key, sam_.identity.public_key);
  EXPECT_EQ(joined->safety_number, invited->safety_number);
  // The fake was tried and learned nothing but a failed guess at its own code.
  const Result<node::PairingResult> faked = mallory_invited.get();
  EXPECT_TRUE(faked.status().Is(node::PairingReason::kCodeMismatch));
  EXPECT_FALSE(mallory_.journal->GetPartner()->has_value());
}

TEST_F(ForgedInvitationTest, OnlyAFakeInviterHeardFailsAsAWrongCodeAndStoresNothing) {
  node::InviteOptions mallory_options;
  std::promise<node::PairingOffer> mallory_offered;
  std::future<Result<node::PairingResult>> mallory_invited =
      Invite(mallory_, mallory_options, mallory_offered);
  const node::PairingOffer mallory_offer = mallory_offered.get_future().get();
  // Sam's code has another channel and words than Mallory's; Mallory announces Sam's channel.
  protocol::PairingCode code{*protocol::ParsePairingCode(mallory_offer.code)};
  code.channel = code.channel % protocol::kMaxChannel + 1;
  code.words[0] = static_cast<uint16_t>((code.words[0] + 1) % 2048);
  Result<protocol::DiscoveryKey> key = protocol::DiscoveryKey::Pairing(code.channel);
  ASSERT_TRUE(key.ok());
  const Bytes forged =
      key->Announce(node::ParseEndpoint(mallory_offer.address, 0)->port,
                    protocol::DiscoveryWindow(sam_.clock.Now().utc_ms / 1000), kFromLoopback);
  const uint16_t discovery_port = UnusedUdpPort();
  test_common::LoopbackGroupSender sender;
  ASSERT_TRUE(sender.ok());
  node::DiscoveryOptions discovery;
  discovery.port = discovery_port;
  discovery.lookup = std::chrono::seconds(2);
  Result<node::PairingResult> joined = Status::Internal("not run");
  {
    test_common::Repeating announce([&] { sender.Send(forged, kGroupV4, discovery_port); },
                                    kRepeatEvery);
    joined =
        node::JoinPartner(*sam_.journal, code.ToString(), std::nullopt, FastTimeouts(), discovery);
  }
  EXPECT_TRUE(joined.status().Is(node::PairingReason::kCodeMismatch)) << joined.status().detail();
  EXPECT_FALSE(sam_.journal->GetPartner()->has_value());
  EXPECT_TRUE(mallory_invited.get().status().Is(node::PairingReason::kCodeMismatch));
}

// Finding 5 of issue 15, for invitations: Alex's genuine announcement, recorded and replayed
// from 127.0.0.2 (another device), where a listener waits on Alex's pairing port. The joiner
// must not even connect there: it hears nothing it accepts and finds nobody. The same recording
// sent from 127.0.0.1, the address sealed in it, then leads to Alex and the pairing succeeds.
TEST_F(ForgedInvitationTest, AnInvitationReplayedFromAnotherAddressIsNotEvenTried) {
  const uint16_t recorded_on = UnusedUdpPort();
  const uint16_t discovery_port = UnusedUdpPort();
  ASSERT_NE(recorded_on, 0);
  ASSERT_NE(discovery_port, 0);
  node::InviteOptions alex_options;
  std::promise<node::PairingOffer> alex_offered;
  std::future<Result<node::PairingResult>> alex_invited =
      Invite(alex_, alex_options, alex_offered, recorded_on);
  const node::PairingOffer offer = alex_offered.get_future().get();
  const std::optional<std::string> recorded = test_common::CaptureGroupDatagram(
      kGroupV4, recorded_on, "127.0.0.1", std::chrono::seconds(5));
  ASSERT_TRUE(recorded.has_value());
  ASSERT_EQ(recorded->size(), protocol::kAnnouncementBytes);
  IdleListener elsewhere("127.0.0.2", node::ParseEndpoint(offer.address, 0)->port);
  ASSERT_TRUE(elsewhere.ok());

  node::DiscoveryOptions discovery;
  discovery.port = discovery_port;
  discovery.lookup = milliseconds(1500);
  test_common::LoopbackGroupSender from_elsewhere("127.0.0.2");
  ASSERT_TRUE(from_elsewhere.ok());
  Result<node::PairingResult> joined = Status::Internal("not run");
  {
    test_common::Repeating replay([&] { from_elsewhere.Send(*recorded, kGroupV4, discovery_port); },
                                  kRepeatEvery);
    joined = node::JoinPartner(*sam_.journal, offer.code, std::nullopt, FastTimeouts(), discovery);
  }
  EXPECT_EQ(joined.status().code(), StatusCode::kUnreachable) << joined.status().detail();
  EXPECT_TRUE(joined.status().Is(node::PairingReason::kInvitationNotFound));
  EXPECT_FALSE(elsewhere.SomeoneConnected());
  EXPECT_FALSE(sam_.journal->GetPartner()->has_value());

  test_common::LoopbackGroupSender from_alex("127.0.0.1");
  ASSERT_TRUE(from_alex.ok());
  {
    test_common::Repeating replay([&] { from_alex.Send(*recorded, kGroupV4, discovery_port); },
                                  kRepeatEvery);
    joined = node::JoinPartner(*sam_.journal, offer.code, std::nullopt, FastTimeouts(), discovery);
  }
  ASSERT_TRUE(joined.ok()) << joined.status().detail();
  EXPECT_EQ(joined->partner.public_key, alex_.identity.public_key);
  EXPECT_TRUE(alex_invited.get().ok());
  EXPECT_FALSE(elsewhere.SomeoneConnected());
}

}  // namespace
}  // namespace attune::link_testing
