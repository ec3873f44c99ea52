// What an inviter (`attune pair`) does with connections that are not the partner's, and with a
// partner of another version, over real loopback TCP (issue 15, finding 6, and the pairing
// version). Silent connections must not keep the partner out: at capacity the one that has
// waited longest is closed, and each has timeouts.first_frame to send its request. The deadlines
// are configured so that only the behaviour under test can let a pairing through in time; the
// tests wait for events (a connection closed, a future ready), never for time to pass.
#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <future>
#include <memory>
#include <thread>

#include "protocol/pairing.h"
#include "protocol/pairing_code.h"
#include "tests/common/fake_inviter.h"
#include "tests/common/status_assertions.h"
#include "tests/link/link_test_util.h"

namespace attune::link_testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class PairingGuardTest : public ::testing::Test {
 protected:
  PairingGuardTest() : a_(temp_.File("a"), "Sam"), b_(temp_.File("b"), "Alex") {}

  // A invites on a thread with `timeouts`; returns the port it listens on.
  uint16_t StartInvitation(const node::LinkTimeouts& timeouts) {
    invite_.listen = node::Endpoint{"127.0.0.1", 0};
    invite_.timeouts = timeouts;
    invite_.discovery.enabled = false;
    invite_.on_ready = [this](const node::PairingOffer& offer) { offered_.set_value(offer); };
    inviter_ = std::async(std::launch::async,
                          [this] { return node::InvitePartner(*a_.journal, invite_); });
    offer_ = offered_.get_future().get();
    return node::ParseEndpoint(offer_.address, 0)->port;
  }

  // B joins A's invitation with the right code, giving up as the partner's attune would.
  Result<node::PairingResult> Join() {
    return node::JoinPartner(*b_.journal, offer_.code, *node::ParseEndpoint(offer_.address, 0),
                             FastTimeouts());
  }

  // Inviter deadlines so long that a connection could only leave early by being closed to make
  // room: nothing in a test waits for them.
  static node::LinkTimeouts PatientInviter() {
    node::LinkTimeouts timeouts = FastTimeouts();
    timeouts.first_frame = seconds(60);
    timeouts.handshake = seconds(60);
    timeouts.pairing_wait = seconds(60);
    return timeouts;
  }

  test_common::TempDir temp_;
  TestNode a_;
  TestNode b_;
  node::InviteOptions invite_;
  std::promise<node::PairingOffer> offered_;
  node::PairingOffer offer_;
  std::future<Result<node::PairingResult>> inviter_;
};

TEST_F(PairingGuardTest, EightSilentConnectionsDoNotKeepTheJoinerOut) {
  const uint16_t port = StartInvitation(PatientInviter());
  std::vector<std::unique_ptr<RawClient>> silent;
  for (int i = 0; i < 8; ++i) {
    silent.push_back(std::make_unique<RawClient>(port));
    ASSERT_TRUE(silent.back()->connected());
  }
  // The joiner's connection is accepted ninth (the kernel queues them in order): it finds all
  // eight places taken.
  Result<node::PairingResult> joined = Join();
  ASSERT_TRUE(joined.ok()) << test_common::Describe(joined.status());
  ASSERT_TRUE(inviter_.get().ok());
  EXPECT_EQ(joined->partner.public_key, a_.identity.public_key);
  // The place was made by closing the connection that had waited longest.
  EXPECT_TRUE(silent.front()->ClosedByPeer(seconds(5)));
}

// Someone keeps eight connections waiting and opens a new one each time the inviter closes one
// of them, as fast as it can: the joiner still gets in.
TEST_F(PairingGuardTest, SilentConnectionsRenewedContinuouslyDoNotKeepTheJoinerOut) {
  const uint16_t port = StartInvitation(PatientInviter());
  std::atomic<bool> stop = false;
  std::atomic<int> renewed = 0;
  std::promise<void> churning;
  std::thread flood([&] {
    std::deque<std::unique_ptr<RawClient>> open;
    for (int i = 0; i < 8; ++i) open.push_back(std::make_unique<RawClient>(port));
    bool told = false;
    while (!stop) {
      open.push_back(std::make_unique<RawClient>(port));
      if (!open.back()->connected()) break;  // the invitation is over: nothing accepts
      // Only a connection the inviter closed is replaced; one that stays (no room was made for
      // the newest) is kept, and the flood grows by one.
      if (!open.front()->ClosedByPeer(milliseconds(500))) continue;
      open.pop_front();
      if (++renewed >= 3 && !told) {
        churning.set_value();
        told = true;
      }
    }
    if (!told) churning.set_value();
  });
  const bool churned =
      churning.get_future().wait_for(seconds(20)) == std::future_status::ready && renewed >= 3;
  Result<node::PairingResult> joined = churned ? Join() : Status::Internal("no flood");
  stop = true;
  flood.join();
  EXPECT_TRUE(churned) << "the inviter never closed a waiting connection to make room";
  if (!joined.ok() && inviter_.wait_for(seconds(0)) == std::future_status::ready) {
    // Seen once in a hundred runs beside a build: say how the invitation had ended.
    Result<node::PairingResult> invited = inviter_.get();
    FAIL() << test_common::Describe(joined.status()) << "; the invitation had ended: "
           << (invited.ok() ? "paired" : test_common::Describe(invited.status()));
  }
  ASSERT_TRUE(joined.ok()) << test_common::Describe(joined.status());
  EXPECT_TRUE(inviter_.get().ok());
}

// An inviter that closes the joiner's connection with its request unread (as one making room
// does) has not used the code up: the joiner tries again, a bounded number of times. One that
// answered anything is never retried.
TEST_F(PairingGuardTest, AJoinerClosedUnansweredTriesAgainAFewTimes) {
  for (const auto ending :
       {ClosingListener::Ending::kResetting, ClosingListener::Ending::kAfterReading}) {
    ClosingListener inviter(ending);
    Result<node::PairingResult> joined =
        node::JoinPartner(*b_.journal, protocol::NewPairingCode().ToString(),
                          node::Endpoint{"127.0.0.1", inviter.port()}, FastTimeouts());
    EXPECT_EQ(joined.status().code(), StatusCode::kUnreachable);
    EXPECT_EQ(inviter.accepted(), 3);
  }
}

TEST_F(PairingGuardTest, AConnectionThatSendsNothingIsClosedAtTheFirstFrameDeadline) {
  node::LinkTimeouts timeouts = PatientInviter();
  timeouts.first_frame = milliseconds(300);
  const uint16_t port = StartInvitation(timeouts);
  const auto opened = std::chrono::steady_clock::now();
  RawClient silent(port);
  RawClient dribbling(port);  // one byte of a frame header, then nothing
  ASSERT_TRUE(silent.connected() && dribbling.connected());
  dribbling.SendBytes(Bytes{0x00});
  EXPECT_TRUE(silent.ClosedByPeer(seconds(10)));
  EXPECT_TRUE(dribbling.ClosedByPeer(seconds(10)));
  EXPECT_GE(std::chrono::steady_clock::now() - opened, milliseconds(300));
  // They did not use the code up: the partner still pairs.
  Result<node::PairingResult> joined = Join();
  EXPECT_TRUE(joined.ok()) << test_common::Describe(joined.status());
  EXPECT_TRUE(inviter_.get().ok());
}

TEST_F(PairingGuardTest, TheFirstFrameDeadlineDoesNotHurryTheRestOfTheExchange) {
  // Only the first frame has the short deadline; a joiner whose request arrived in time is
  // served under the per-message handshake deadline.
  node::LinkTimeouts timeouts = FastTimeouts();
  timeouts.first_frame = milliseconds(300);
  StartInvitation(timeouts);
  Result<node::PairingResult> joined = Join();
  EXPECT_TRUE(joined.ok()) << test_common::Describe(joined.status());
  EXPECT_TRUE(inviter_.get().ok());
}

// A joiner's side of a pairing with `code`, under a fresh key and `name`.
Result<protocol::Pairing> NewJoiner(const protocol::PairingCode& code, std::string name) {
  const crypto::X25519KeyPair keys = crypto::GenerateX25519KeyPair();
  return protocol::Pairing::Create(protocol::PairingRole::kJoiner, code,
                                   {keys.public_key, std::move(name), 0, "", std::nullopt});
}

// A joiner of its own making: pairs with A over `client` and keeps the connection open.
// True once it has read the inviter's finish.
bool PairByHand(RawClient& client, const std::string& code) {
  Result<protocol::Pairing> joiner = NewJoiner(*protocol::ParsePairingCode(code), "Hand");
  Result<Bytes> request = joiner.ok() ? joiner->Start() : joiner.status();
  if (!request.ok()) return false;
  client.SendFrame(*request);
  while (!joiner->finished()) {
    const std::optional<Bytes> frame = client.ReadFrame();
    if (!frame) return false;
    Result<std::optional<Bytes>> reply = joiner->Receive(*frame);
    if (!reply.ok()) return false;
    if (*reply) client.SendFrame(**reply);
  }
  return true;
}

// The inviter's last message can still be on its way (through Tor, inside a tor it is about to
// stop) when its write returns: it ends only once the joiner has closed the connection, which
// the joiner does after reading it.
TEST_F(PairingGuardTest, TheInviterEndsOnlyOnceTheJoinerHasClosedTheConnection) {
  const uint16_t port = StartInvitation(PatientInviter());
  RawClient joiner(port);
  ASSERT_TRUE(PairByHand(joiner, offer_.code));
  // A wait for something that must not happen: an inviter that does not wait ends at once.
  EXPECT_EQ(inviter_.wait_for(milliseconds(300)), std::future_status::timeout);
  joiner.ShutdownWrite();
  EXPECT_TRUE(inviter_.get().ok());
}

// A joiner that never closes holds the inviter only until the handshake deadline, and the
// pairing stands.
TEST_F(PairingGuardTest, AJoinerThatNeverClosesHoldsTheInviterOnlyUntilTheHandshakeDeadline) {
  node::LinkTimeouts timeouts = PatientInviter();
  timeouts.handshake = milliseconds(300);
  const uint16_t port = StartInvitation(timeouts);
  RawClient joiner(port);
  ASSERT_TRUE(PairByHand(joiner, offer_.code));
  const Result<node::PairingResult> invited = inviter_.get();
  ASSERT_TRUE(invited.ok()) << test_common::Describe(invited.status());
  EXPECT_EQ(invited->partner.display_name, "Hand");
}

// ---- Versions ----

// A real request of this build, claiming `version` (an attune of that version asking to pair).
Bytes RequestOfVersion(uint32_t version) {
  Result<protocol::Pairing> joiner = NewJoiner(protocol::PairingCode{7, {1, 2, 3}}, "Old");
  EXPECT_TRUE(joiner.ok());
  Result<Bytes> request = joiner->Start();
  EXPECT_TRUE(request.ok());
  // PairingMessage{request (tag 0x0a), length, PairRequest{protocol_version (tag 0x08), value}}.
  Bytes edited = request.ok() ? *request : Bytes();
  EXPECT_TRUE(edited.size() > 3 && edited[2] == 0x08 && edited[3] == protocol::kPairingVersion);
  if (edited.size() > 3) edited[3] = static_cast<uint8_t>(version);
  return edited;
}

TEST_F(PairingGuardTest, AnInviterToldByAnOlderJoinerSaysSoAndTellsItsVersion) {
  const uint16_t port = StartInvitation(FastTimeouts());
  RawClient old_joiner(port);
  ASSERT_TRUE(old_joiner.connected());
  old_joiner.SendFrame(RequestOfVersion(1));
  // PairingMessage{abort: PairAbort{reason: VERSION_MISMATCH, protocol_version: 2}}.
  EXPECT_EQ(old_joiner.ReadFrame(), test_common::VersionMismatchAbort(2));
  const Result<node::PairingResult> invited = inviter_.get();
  EXPECT_EQ(invited.status().code(), StatusCode::kUnsupported);
  EXPECT_TRUE(invited.status().Is(node::PairingReason::kPartnerOlder))
      << test_common::Describe(invited.status());
  EXPECT_FALSE(a_.journal->GetPartner()->has_value());
}

TEST_F(PairingGuardTest, AnInviterToldByANewerJoinerSaysSo) {
  const uint16_t port = StartInvitation(FastTimeouts());
  RawClient newer_joiner(port);
  ASSERT_TRUE(newer_joiner.connected());
  newer_joiner.SendFrame(RequestOfVersion(3));
  const Result<node::PairingResult> invited = inviter_.get();
  EXPECT_TRUE(invited.status().Is(node::PairingReason::kPartnerNewer))
      << test_common::Describe(invited.status());
}

TEST_F(PairingGuardTest, AJoinerToldByAnOlderInviterSaysTheInviterIsOlder) {
  test_common::FakeInviter old_inviter(test_common::VersionMismatchAbort(0));
  ASSERT_NE(old_inviter.port(), 0);
  const Result<node::PairingResult> joined =
      node::JoinPartner(*b_.journal, "7-maple-lagoon-violet",
                        node::Endpoint{"127.0.0.1", old_inviter.port()}, FastTimeouts());
  EXPECT_EQ(joined.status().code(), StatusCode::kUnsupported);
  EXPECT_TRUE(joined.status().Is(node::PairingReason::kPartnerOlder))
      << test_common::Describe(joined.status());
  EXPECT_FALSE(b_.journal->GetPartner()->has_value());
}

TEST_F(PairingGuardTest, AJoinerToldByANewerInviterSaysTheInviterIsNewer) {
  test_common::FakeInviter newer_inviter(test_common::VersionMismatchAbort(3));
  ASSERT_NE(newer_inviter.port(), 0);
  const Result<node::PairingResult> joined =
      node::JoinPartner(*b_.journal, "7-maple-lagoon-violet",
                        node::Endpoint{"127.0.0.1", newer_inviter.port()}, FastTimeouts());
  EXPECT_TRUE(joined.status().Is(node::PairingReason::kPartnerNewer))
      << test_common::Describe(joined.status());
}

}  // namespace
}  // namespace attune::link_testing
