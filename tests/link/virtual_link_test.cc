// The link in memory and in virtual time: A's side runs as serve runs a session (the responder's
// handshake, then a live Conversation) over an in-memory stream pair with bounded buffers, and
// the peer is a scripted partner (B's keys) on the other end. Time is a VirtualLinkClock that
// moves only when nothing else can happen, so timeouts of a minute or an hour take no wall time
// and every outcome happens at an exact virtual moment. No socket, no sleep.
#include <gtest/gtest.h>

#include <functional>
#include <optional>

#include "node/link/link_clock.h"
#include "node/link/link_conversation.h"
#include "node/link/link_io.h"
#include "node/link/link_session_internal.h"
#include "node/link/link_stream.h"
#include "protocol/frame.h"
#include "protocol/session.h"
#include "tests/link/link_test_util.h"

namespace attune::link_testing {
namespace {

namespace asio = node::link_io::asio;
using node::link_io::Duration;
using node::link_io::Task;
using std::chrono::hours;
using std::chrono::seconds;

constexpr Duration kIdle = seconds(60);
constexpr Duration kHandshakeTimeout = seconds(15);

// co_spawn's completion: an exception in a coroutine surfaces from io_context::poll.
void Rethrow(std::exception_ptr error) {
  if (error) std::rethrow_exception(error);
}

class VirtualLinkTest : public ::testing::Test {
 protected:
  VirtualLinkTest() : a_(temp_.File("a"), "Sam"), b_(temp_.File("b"), "Alex") {
    PairDirectly(a_, b_);
  }

  // Lets every coroutine end (the peer's stream closes, so whatever waits on it returns) while
  // the streams and the clock they use still exist.
  ~VirtualLinkTest() override {
    if (peer_) peer_->Close();
    if (served_) served_->Close();
    io_.restart();
    while (io_.poll() > 0 || clock_.AdvanceToNextDeadline()) io_.restart();
  }

  // A's side on one end of a pair whose directions buffer `capacity` bytes each, and the peer's
  // handshake as B on the other; `peer_script` runs once the session is established.
  void Start(size_t capacity, std::function<Task<void>()> peer_script) {
    auto [served, peer] = node::link_io::MakeMemoryStreamPair(io_.get_executor(), capacity);
    served_ = std::make_unique<node::link_io::FramedSocket>(std::move(served), clock_);
    peer_ = std::move(peer);
    asio::co_spawn(io_, Serve(), Rethrow);
    asio::co_spawn(io_, Peer(std::move(peer_script)), Rethrow);
  }

  // As Start, but the peer runs `script` from the connection on, handshake included.
  void StartWithoutHandshake(std::function<Task<void>()> script) {
    auto [served, peer] = node::link_io::MakeMemoryStreamPair(io_.get_executor(), 64 * 1024);
    served_ = std::make_unique<node::link_io::FramedSocket>(std::move(served), clock_);
    peer_ = std::move(peer);
    asio::co_spawn(io_, Serve(), Rethrow);
    asio::co_spawn(io_, RunScript(std::move(script)), Rethrow);
  }

  // Runs the loop until A's session ended; virtual time moves only when no handler is ready.
  void RunUntilServedSessionEnds(Duration limit) {
    while (!outcome_) {
      io_.restart();
      if (io_.poll() > 0) continue;
      if (clock_.elapsed() > limit || !clock_.AdvanceToNextDeadline()) break;
    }
    StopPeer();
    ASSERT_TRUE(outcome_.has_value()) << "A's session did not end";
  }

  // Ends the peer's script while the test's locals it may refer to still exist: its waits
  // return at once and its sends and receives fail, so it runs to its end without the clock
  // moving. (Left for the destructor, it would resume after the test body's locals are gone.)
  void StopPeer() {
    peer_stopping_ = true;
    peer_stop_.Notify();
    io_.restart();
    while (io_.poll() > 0) io_.restart();
  }

  // ---- The peer's side ----

  Task<bool> PeerSendBytes(ByteSpan bytes) {
    if (peer_stopping_) co_return false;
    const auto error = co_await peer_->WriteAll(asio::buffer(bytes.data(), bytes.size()));
    co_return !error;
  }

  Bytes SealedFrame(const protocol::Message& message) {
    EXPECT_TRUE(peer_session_->Send(message).ok());
    std::vector<Bytes> sealed = peer_session_->TakeOutgoing();
    EXPECT_EQ(sealed.size(), 1u);
    return protocol::EncodeFrame(sealed.at(0)).value();
  }

  // The next message from A; nullopt once A closed the connection.
  Task<std::optional<protocol::Message>> PeerReceive() {
    while (!peer_stopping_) {
      uint8_t header[protocol::kFrameHeaderBytes];
      if (co_await peer_->ReadExactly(asio::buffer(header))) co_return std::nullopt;
      Bytes payload(size_t{header[0]} << 8 | header[1]);
      if (co_await peer_->ReadExactly(asio::buffer(payload))) co_return std::nullopt;
      ++frames_received_;
      if (!peer_session_->established()) co_return std::nullopt;
      EXPECT_TRUE(peer_session_->Receive(payload).ok());
      std::vector<protocol::Message> in = peer_session_->TakeIncoming();
      if (!in.empty()) co_return in.front();
    }
    co_return std::nullopt;
  }

  // Starts B's session as initiator; message 1 of the handshake, framed.
  Bytes FirstHandshakeFrame() {
    using namespace node::link_session;
    Result<SessionSetup> setup = LoadSetup(*b_.journal);
    EXPECT_TRUE(setup.ok());
    protocol::SessionConfig config = MakeConfig(*setup, protocol::SessionRole::kInitiator);
    config.handshake_counter = b_.journal->NextHandshakeCounter().value();
    peer_session_.emplace(protocol::Session::Start(std::move(config)).value());
    std::vector<Bytes> first = peer_session_->TakeOutgoing();
    EXPECT_EQ(first.size(), 1u);
    return protocol::EncodeFrame(first.at(0)).value();
  }

  Task<void> PeerWaits(Duration pause) {
    if (peer_stopping_) co_return;
    co_await node::link_io::WaitUntil(clock_, clock_.Now() + pause, peer_stop_);
  }

  test_common::TempDir temp_;
  TestNode a_;
  TestNode b_;
  // Declared before what runs on it, so that it is destroyed after.
  asio::io_context io_;
  node::link_io::VirtualLinkClock clock_;
  node::link_io::Wakeup peer_stop_{io_.get_executor()};  // notified by StopPeer
  bool peer_stopping_ = false;
  std::unique_ptr<node::link_io::FramedSocket> served_;
  std::unique_ptr<node::link_io::ByteStream> peer_;
  std::optional<protocol::Session> peer_session_;
  std::optional<Status> outcome_;  // how A's session ended
  size_t frames_received_ = 0;     // by the peer, handshake included

 private:
  // A's side, as serve's HandleConnection and Converse run it.
  Task<void> Serve() {
    using namespace node::link_session;
    Result<SessionSetup> setup = LoadSetup(*a_.journal);
    if (!setup.ok()) {
      outcome_ = setup.status();
      co_return;
    }
    Result<protocol::Session> session =
        co_await AnswerHandshake(*a_.journal, *served_, *setup, kHandshakeTimeout);
    if (!session.ok()) {
      outcome_ = session.status();
      co_return;
    }
    node::link_io::Conversation conversation(*a_.journal, *served_, *session,
                                             {.live = true, .idle = kIdle});
    const Status ended = co_await conversation.Run();
    served_->Close();
    outcome_ = ended;
  }

  // Holds `script` (a lambda whose captures its coroutine uses) for as long as it runs.
  static Task<void> RunScript(std::function<Task<void>()> script) { co_await script(); }

  // B's side of the handshake over the raw stream, then `script`.
  Task<void> Peer(std::function<Task<void>()> script) {
    co_await PeerSendBytes(FirstHandshakeFrame());
    uint8_t header[protocol::kFrameHeaderBytes];
    if (co_await peer_->ReadExactly(asio::buffer(header))) co_return;
    Bytes payload(size_t{header[0]} << 8 | header[1]);
    if (co_await peer_->ReadExactly(asio::buffer(payload))) co_return;
    EXPECT_TRUE(peer_session_->Receive(payload).ok());
    EXPECT_TRUE(peer_session_->established());
    co_await script();
  }
};

// A couple as they were paired before onion contacts travelled at pairing: `node` knows no
// onion contact of its partner and never told its own.
void ForgetOnionContacts(TestNode& node) {
  Result<std::optional<node::Partner>> partner = node.journal->GetPartner();
  ASSERT_TRUE(partner.ok() && partner->has_value());
  node::Partner before_tor = **partner;
  before_tor.onion.reset();
  before_tor.told_own_onion = false;
  ASSERT_TRUE(node.journal->SavePartner(before_tor, /*replace=*/true).ok());
}

protocol::OnionContactMessage AsMessage(const node::OnionContact& contact) {
  return {contact.address, Bytes(contact.client_key.begin(), contact.client_key.end())};
}

// Partners paired before issue 17 tell each other their onion contacts over their next session
// (onion/1): A tells its own, learns B's, and remembers having told once the session ended
// cleanly.
TEST_F(VirtualLinkTest, PartnersPairedBeforeTorTellEachOtherTheirOnionContacts) {
  ASSERT_NO_FATAL_FAILURE(ForgetOnionContacts(a_));
  const node::OnionContact a_contact = a_.journal->OwnOnionContact().value();
  const node::OnionContact b_contact = b_.journal->OwnOnionContact().value();
  std::optional<protocol::OnionContactMessage> told;
  Start(64 * 1024, [&]() -> Task<void> {
    while (std::optional<protocol::Message> message = co_await PeerReceive()) {
      if (const auto* contact = std::get_if<protocol::OnionContactMessage>(&*message)) {
        told = *contact;
        co_await PeerSendBytes(SealedFrame(AsMessage(b_contact)));
        co_await PeerSendBytes(SealedFrame(protocol::GoodbyeMessage{}));
      }
    }
  });
  RunUntilServedSessionEnds(hours(1));
  EXPECT_TRUE(outcome_->ok()) << outcome_->detail();
  ASSERT_TRUE(told.has_value());
  EXPECT_EQ(*told, AsMessage(a_contact));
  const node::Partner partner = a_.journal->GetPartner().value().value();
  EXPECT_EQ(partner.onion, b_contact);
  EXPECT_TRUE(partner.told_own_onion);
}

// A contact once known is never replaced by another (the partner's keys are never made anew),
// and a session that breaks off leaves "told" unset, so the next session tells it again.
TEST_F(VirtualLinkTest, AKnownOnionContactIsKeptAndATellingCutShortIsRepeated) {
  ASSERT_NO_FATAL_FAILURE(ForgetOnionContacts(a_));
  const node::OnionContact b_contact = b_.journal->OwnOnionContact().value();
  node::Partner known = a_.journal->GetPartner().value().value();
  known.onion = b_contact;
  ASSERT_TRUE(a_.journal->SavePartner(known, /*replace=*/true).ok());
  node::OnionContact other = b_contact;
  other.client_key[0] ^= 1;
  bool told = false;
  Start(64 * 1024, [&]() -> Task<void> {
    while (std::optional<protocol::Message> message = co_await PeerReceive()) {
      if (std::holds_alternative<protocol::OnionContactMessage>(*message)) {
        told = true;
        co_await PeerSendBytes(SealedFrame(AsMessage(other)));
        peer_->Close();  // cut short: no goodbye
      }
    }
  });
  RunUntilServedSessionEnds(hours(1));
  EXPECT_FALSE(outcome_->ok());
  EXPECT_TRUE(told);
  const node::Partner partner = a_.journal->GetPartner().value().value();
  EXPECT_EQ(partner.onion, b_contact);
  EXPECT_FALSE(partner.told_own_onion);
}

// A quiet link: A pings at a third of the idle timeout to keep it up, and a peer that answers
// nothing is dropped exactly when the idle timeout has passed since its last frame.
TEST_F(VirtualLinkTest, AQuietPeerIsPingedThenDroppedAtTheIdleTimeout) {
  int pings = 0;
  Start(64 * 1024, [&]() -> Task<void> {
    while (std::optional<protocol::Message> message = co_await PeerReceive()) {
      if (std::holds_alternative<protocol::PingMessage>(*message)) ++pings;
    }
  });
  RunUntilServedSessionEnds(hours(1));
  EXPECT_EQ(outcome_->code(), StatusCode::kTimedOut);
  EXPECT_EQ(clock_.elapsed(), kIdle);
  EXPECT_GE(pings, 2);  // at 20 s and 40 s
}

// (g) A frame trickled a byte at a time, each byte well within the idle timeout of the one
// before: the frame as a whole must arrive within the idle timeout, so it is dropped then.
TEST_F(VirtualLinkTest, AFrameTrickledByteByByteIsDroppedAtTheIdleTimeout) {
  size_t trickled = 0;
  Bytes frame;
  Start(64 * 1024, [&]() -> Task<void> {
    frame = SealedFrame(protocol::PingMessage{9});
    while (trickled < frame.size()) {
      if (!co_await PeerSendBytes(ByteSpan(frame).subspan(trickled, 1))) break;
      ++trickled;
      co_await PeerWaits(seconds(15));
    }
  });
  RunUntilServedSessionEnds(hours(1));
  EXPECT_EQ(outcome_->code(), StatusCode::kTimedOut);
  EXPECT_EQ(clock_.elapsed(), kIdle);
  EXPECT_LT(trickled, frame.size()) << "the whole frame got in";
}

// (f) Backpressure: a peer that floods pings and never reads the pongs. Once the pongs fill the
// bounded buffer back to it, A stops reading (so the pongs waiting in memory stay a few dozen
// frames), the flood stalls, and the write timeout ends the session.
TEST_F(VirtualLinkTest, APingFloodThatNeverReadsIsThrottledThenDropped) {
  constexpr size_t kCapacity = 4096;
  constexpr uint64_t kFloodPings = 100'000;
  uint64_t taken = 0;  // pings the flood got into the buffer
  Start(kCapacity, [&]() -> Task<void> {
    for (uint64_t nonce = 0; nonce < kFloodPings; ++nonce) {
      if (!co_await PeerSendBytes(SealedFrame(protocol::PingMessage{nonce}))) break;
      ++taken;
    }
  });
  RunUntilServedSessionEnds(hours(1));
  EXPECT_EQ(outcome_->code(), StatusCode::kTimedOut);
  EXPECT_LT(taken, 500u) << "A kept reading pings it could not answer";
  EXPECT_GE(clock_.elapsed(), kIdle);  // the write that stalled had the idle timeout
  EXPECT_LT(clock_.elapsed(), 2 * kIdle);
}

// A session is renewed after an hour (protocol::kFreshHandshakeAfter): A says goodbye with the
// reason, so that the peer reconnects for a fresh handshake. The hour of keepalive pings, each
// answered, runs in virtual time.
TEST_F(VirtualLinkTest, ASessionIsRenewedAfterAnHour) {
  std::optional<protocol::GoodbyeMessage> goodbye;
  Start(64 * 1024, [&]() -> Task<void> {
    while (std::optional<protocol::Message> message = co_await PeerReceive()) {
      if (const auto* ping = std::get_if<protocol::PingMessage>(&*message)) {
        co_await PeerSendBytes(SealedFrame(protocol::PongMessage{ping->nonce}));
      } else if (const auto* bye = std::get_if<protocol::GoodbyeMessage>(&*message)) {
        goodbye = *bye;
      }
    }
  });
  RunUntilServedSessionEnds(2 * protocol::kFreshHandshakeAfter);
  EXPECT_TRUE(outcome_->ok()) << outcome_->detail();
  ASSERT_TRUE(goodbye.has_value());
  EXPECT_EQ(goodbye->reason, protocol::GoodbyeMessage::Reason::kFreshHandshake);
  EXPECT_GE(clock_.elapsed(), protocol::kFreshHandshakeAfter);
  EXPECT_LT(clock_.elapsed(), protocol::kFreshHandshakeAfter + kIdle);
}

// A connection that never says anything is dropped when the handshake timeout has passed.
TEST_F(VirtualLinkTest, APeerThatSaysNothingIsDroppedAtTheHandshakeTimeout) {
  StartWithoutHandshake([]() -> Task<void> { co_return; });
  RunUntilServedSessionEnds(hours(1));
  EXPECT_EQ(outcome_->code(), StatusCode::kTimedOut);
  EXPECT_EQ(clock_.elapsed(), kHandshakeTimeout);
}

// (g) The handshake as a whole must finish within the handshake timeout, however steadily its
// first message trickles in (a byte every 2 s here; it would take minutes).
TEST_F(VirtualLinkTest, AHandshakeTrickledByteByByteIsDroppedAtTheHandshakeTimeout) {
  size_t trickled = 0;
  Bytes first;
  StartWithoutHandshake([&]() -> Task<void> {
    first = FirstHandshakeFrame();
    while (trickled < first.size()) {
      if (!co_await PeerSendBytes(ByteSpan(first).subspan(trickled, 1))) break;
      ++trickled;
      co_await PeerWaits(seconds(2));
    }
  });
  RunUntilServedSessionEnds(hours(1));
  EXPECT_EQ(outcome_->code(), StatusCode::kTimedOut);
  EXPECT_EQ(clock_.elapsed(), kHandshakeTimeout);
  EXPECT_LT(trickled, first.size());
  EXPECT_EQ(peer_->Available(), 0u);  // not a byte back
}

}  // namespace
}  // namespace attune::link_testing
