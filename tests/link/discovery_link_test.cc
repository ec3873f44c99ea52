// Forged invitations on the local network, in one process: a stranger announcing the real
// inviter's channel (anyone can: the key comes from the channel number alone) must not keep the
// joiner from pairing with the real inviter, and must not pair with it either. The test sends
// the announcements itself, so the order in which the joiner hears them is known: the fake's
// first, the real one only once the fake has been tried.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>

#include "protocol/discovery.h"
#include "protocol/pairing_code.h"
#include "tests/common/group_sender.h"
#include "tests/link/link_test_util.h"

namespace attune::link_testing {
namespace {

using std::chrono::milliseconds;

constexpr const char* kGroupV4 = "239.255.71.18";  // docs/protocol.md, "Discovery"

// A UDP port that was free a moment ago.
uint16_t UnusedUdpPort() {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof at;
  uint16_t port = 0;
  if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&at), &size) == 0) {
    port = ntohs(at.sin_port);
  }
  if (fd >= 0) close(fd);
  return port;
}

class ForgedInvitationTest : public ::testing::Test {
 protected:
  ForgedInvitationTest()
      : alex_(temp_.File("alex"), "Alex"),
        sam_(temp_.File("sam"), "Sam"),
        mallory_(temp_.File("mallory"), "Mallory") {}

  // `node` invites on 127.0.0.1 without announcing (the test announces for it).
  std::future<Result<node::PairingResult>> Invite(TestNode& node, node::InviteOptions& options,
                                                  std::promise<node::PairingOffer>& offered) {
    options.listen = node::Endpoint{"127.0.0.1", 0};
    options.timeouts = FastTimeouts();
    options.timeouts.pairing_wait = std::chrono::seconds(20);
    options.discovery.enabled = false;
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
  const Bytes forged = key->Announce(node::ParseEndpoint(mallory_offer.address, 0)->port, window);
  const Bytes real = key->Announce(node::ParseEndpoint(alex_offer.address, 0)->port, window);

  const uint16_t discovery_port = UnusedUdpPort();
  ASSERT_NE(discovery_port, 0);
  test_common::LoopbackGroupSender sender;
  ASSERT_TRUE(sender.ok());
  std::atomic<bool> sending = true;
  std::thread announce([&] {
    while (sending) {
      sender.Send(forged, kGroupV4, discovery_port);
      // The real invitation is heard only once the fake has been tried (its code is used up).
      if (mallory_invited.wait_for(milliseconds(0)) == std::future_status::ready) {
        sender.Send(real, kGroupV4, discovery_port);
      }
      std::this_thread::sleep_for(milliseconds(20));
    }
  });
  node::DiscoveryOptions discovery;
  discovery.port = discovery_port;
  discovery.lookup = std::chrono::seconds(10);
  Result<node::PairingResult> joined =
      node::JoinPartner(*sam_.journal, alex_offer.code, std::nullopt, FastTimeouts(), discovery);
  sending = false;
  announce.join();

  ASSERT_TRUE(joined.ok()) << joined.status().detail();
  EXPECT_EQ(joined->partner.public_key, alex_.identity.public_key);
  const Result<node::PairingResult> invited = alex_invited.get();
  ASSERT_TRUE(invited.ok()) << invited.status().detail();
  EXPECT_EQ(invited->partner.public_key, sam_.identity.public_key);
  EXPECT_EQ(joined->safety_number, invited->safety_number);
  // The fake was tried and learned nothing but a failed guess at its own code.
  const Result<node::PairingResult> faked = mallory_invited.get();
  EXPECT_EQ(faked.status().code(), StatusCode::kCodeMismatch);
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
  const Bytes forged = key->Announce(node::ParseEndpoint(mallory_offer.address, 0)->port,
                                     protocol::DiscoveryWindow(sam_.clock.Now().utc_ms / 1000));
  const uint16_t discovery_port = UnusedUdpPort();
  test_common::LoopbackGroupSender sender;
  ASSERT_TRUE(sender.ok());
  std::atomic<bool> sending = true;
  std::thread announce([&] {
    while (sending) {
      sender.Send(forged, kGroupV4, discovery_port);
      std::this_thread::sleep_for(milliseconds(20));
    }
  });
  node::DiscoveryOptions discovery;
  discovery.port = discovery_port;
  discovery.lookup = std::chrono::seconds(2);
  Result<node::PairingResult> joined =
      node::JoinPartner(*sam_.journal, code.ToString(), std::nullopt, FastTimeouts(), discovery);
  sending = false;
  announce.join();
  EXPECT_EQ(joined.status().code(), StatusCode::kCodeMismatch) << joined.status().detail();
  EXPECT_FALSE(sam_.journal->GetPartner()->has_value());
  EXPECT_EQ(mallory_invited.get().status().code(), StatusCode::kCodeMismatch);
}

}  // namespace
}  // namespace attune::link_testing
