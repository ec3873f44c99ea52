// Finding the partner again when the remembered address still accepts connections but is not
// theirs any more (issue 15, finding 5): something else listens there now, or someone who
// replayed an announcement relays and then drops the link. A handshake that fails at the
// remembered address (closed without an answer, silent, not the partner) sends the node
// searching the network, as a refused connection does; the address it remembers changes only
// once a handshake succeeded elsewhere. `--to` and `--no-discovery` mean exactly there.
//
// The partner's serve announces itself on loopback on a UDP port of the test's own (Linux
// delivers IPv4 multicast sent through 127.0.0.1 to members joined there), so parallel tests
// do not hear each other.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "node/clock.h"
#include "tests/common/status_assertions.h"
#include "tests/link/link_test_util.h"

namespace attune::link_testing {
namespace {

using std::chrono::milliseconds;

class DiscoveryFallbackTest : public ::testing::Test {
 protected:
  DiscoveryFallbackTest() : a_(temp_.File("a"), "Sam"), b_(temp_.File("b"), "Alex") {}

  void SetUp() override {
    PairDirectly(a_, b_);
    discovery_.port = UnusedUdpPort();
    ASSERT_NE(discovery_.port, 0);
    discovery_.lookup = std::chrono::seconds(5);
    discovery_.announce_every = milliseconds(100);
    discovery_.on_looking = [this] { ++searches_; };
    // Announcements are told apart by the time window they were made in: B's test clock must
    // agree with the serve's wall clock.
    b_.clock.Advance(node::SystemClock().Now().utc_ms - b_.clock.Now().utc_ms);
  }

  // A serves and announces itself on the test's discovery port.
  std::unique_ptr<ServeThread> ServeA() {
    return std::make_unique<ServeThread>(
        a_, FastTimeouts(), ServeThreadOptions{.dial = false, .discovery = discovery_});
  }

  void RememberForB(uint16_t port) {
    node::Partner partner = **b_.journal->GetPartner();
    partner.last_address = "127.0.0.1:" + std::to_string(port);
    ASSERT_OK(b_.journal->SavePartner(partner, /*replace=*/true));
  }
  std::string RememberedByB() { return (*b_.journal->GetPartner())->last_address; }

  test_common::TempDir temp_;
  TestNode a_;
  TestNode b_;
  node::DiscoveryOptions discovery_;
  int searches_ = 0;
};

TEST_F(DiscoveryFallbackTest, AHandshakeThatFailsAtTheRememberedAddressFallsBackToDiscovery) {
  std::unique_ptr<ServeThread> serve = ServeA();
  ClosingListener squatter;  // accepts and closes: not the partner's attune any more
  RememberForB(squatter.port());
  Result<node::SyncResult> synced =
      node::SyncWithPartner(*b_.journal, std::nullopt, FastTimeouts(), discovery_);
  ASSERT_TRUE(synced.ok()) << synced.status().detail();
  EXPECT_EQ(synced->address, "127.0.0.1:" + std::to_string(serve->port()));
  EXPECT_EQ(searches_, 1);
  EXPECT_GE(squatter.accepted(), 1);
  // Only now, the handshake having succeeded there, is the new address remembered.
  EXPECT_EQ(RememberedByB(), synced->address);
}

TEST_F(DiscoveryFallbackTest, WithToTheFailingAddressIsReportedAndNothingIsSearchedOrRemembered) {
  std::unique_ptr<ServeThread> serve = ServeA();
  ClosingListener squatter;
  RememberForB(squatter.port());
  Result<node::PingResult> ping = node::PingPartner(
      *b_.journal, node::Endpoint{"127.0.0.1", squatter.port()}, FastTimeouts(), discovery_);
  EXPECT_EQ(ping.status().code(), StatusCode::kUnknownPeer) << ping.status().detail();
  EXPECT_TRUE(ping.status().Is(node::LinkReason::kNotAnswered));
  EXPECT_EQ(searches_, 0);
  EXPECT_EQ(RememberedByB(), "127.0.0.1:" + std::to_string(squatter.port()));
}

TEST_F(DiscoveryFallbackTest, AnAttuneThatWentAwayMidHandshakeIsUnreachableNotAStranger) {
  // A partner's attune killed while the handshake's first message waits, unread, in its socket:
  // the kernel resets the connection. That says the attune went away, not whose it was, so it
  // is kUnreachable (try again), never "not your partner's attune" (kUnknownPeer).
  std::unique_ptr<ServeThread> serve = ServeA();
  ClosingListener killed(ClosingListener::Ending::kResetting);
  RememberForB(killed.port());
  Result<node::PingResult> ping = node::PingPartner(
      *b_.journal, node::Endpoint{"127.0.0.1", killed.port()}, FastTimeouts(), discovery_);
  EXPECT_EQ(ping.status().code(), StatusCode::kUnreachable) << ping.status().detail();
  EXPECT_TRUE(ping.status().Is(node::LinkReason::kConnectionReset)) << ping.status().reason();
  EXPECT_EQ(killed.accepted(), 1);  // no second try in the older protocol
  EXPECT_EQ(searches_, 0);
}

TEST_F(DiscoveryFallbackTest, WithoutDiscoveryTheFailingAddressIsReported) {
  std::unique_ptr<ServeThread> serve = ServeA();
  ClosingListener squatter;
  RememberForB(squatter.port());
  discovery_.enabled = false;
  Result<node::PingResult> ping =
      node::PingPartner(*b_.journal, std::nullopt, FastTimeouts(), discovery_);
  EXPECT_EQ(ping.status().code(), StatusCode::kUnknownPeer) << ping.status().detail();
  EXPECT_EQ(searches_, 0);
  EXPECT_EQ(RememberedByB(), "127.0.0.1:" + std::to_string(squatter.port()));
}

TEST_F(DiscoveryFallbackTest, ServesDialingFallsBackToDiscoveryToo) {
  std::unique_ptr<ServeThread> serve_a = ServeA();
  ClosingListener squatter;
  RememberForB(squatter.port());
  node::DiscoveryOptions b_discovery = discovery_;
  b_discovery.on_looking = nullptr;
  ServeThread serve_b(b_, FastTimeouts(), {.dial = true, .discovery = b_discovery});
  const auto at_loopback = [](node::ServeEventKind kind) {
    return [kind](const node::ServeEvent& event) {
      return event.kind == kind && event.host == "127.0.0.1";
    };
  };
  ASSERT_TRUE(serve_b.WaitForEvents(at_loopback(node::ServeEventKind::kPartnerReached), 1,
                                    milliseconds(15'000)))
      << "B's serve did not find A";
  EXPECT_TRUE(serve_a->WaitForEvents(at_loopback(node::ServeEventKind::kPartnerConnected), 1));
  EXPECT_GE(squatter.accepted(), 1);
  EXPECT_EQ(RememberedByB(), "127.0.0.1:" + std::to_string(serve_a->port()));
}

}  // namespace
}  // namespace attune::link_testing
