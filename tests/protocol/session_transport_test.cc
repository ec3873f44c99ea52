// An established partner session (protocol/session.h): messages in order, every way a transport
// frame can be broken, the features both sides agreed to, and the limits that force a fresh
// handshake. The handshake itself is in session_test.cc.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "crypto/noise.h"
#include "tests/protocol/session_fixture.h"

namespace attune::protocol {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST_F(SessionTest, PingPongGoodbyeRoundTrip) {
  SetUpEstablished();
  Session& initiator = *initiator_;
  Session& responder = *responder_;

  const Bytes ping = SendOne(initiator, PingMessage{0x0123456789abcdefULL});
  ASSERT_OK_AND_ASSIGN(Bytes ping_plain, EncodeEnvelope(PingMessage{0x0123456789abcdefULL}));
  EXPECT_EQ(ping.size(), ping_plain.size() + kTagBytes);
  ASSERT_OK(responder.Receive(ping));
  std::vector<Message> got = responder.TakeIncoming();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], Message(PingMessage{0x0123456789abcdefULL}));
  EXPECT_TRUE(responder.TakeIncoming().empty());

  ASSERT_OK(initiator.Receive(SendOne(responder, PongMessage{0x0123456789abcdefULL})));
  got = initiator.TakeIncoming();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], Message(PongMessage{0x0123456789abcdefULL}));

  ASSERT_OK(responder.Receive(
      SendOne(initiator, GoodbyeMessage{GoodbyeMessage::Reason::kFreshHandshake})));
  got = responder.TakeIncoming();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], Message(GoodbyeMessage{GoodbyeMessage::Reason::kFreshHandshake}));

  EXPECT_EQ(initiator.messages_sent(), 2u);
  EXPECT_EQ(initiator.messages_received(), 1u);
  EXPECT_EQ(responder.messages_sent(), 1u);
  EXPECT_EQ(responder.messages_received(), 2u);
  EXPECT_TRUE(initiator.established());
  EXPECT_TRUE(responder.established());
}

TEST_F(SessionTest, ManyMessagesArriveInOrder) {
  SetUpEstablished();
  for (uint64_t i = 0; i < 50; ++i) ASSERT_OK(initiator_->Send(PingMessage{i}));
  std::vector<Bytes> frames = initiator_->TakeOutgoing();
  ASSERT_EQ(frames.size(), 50u);
  for (const Bytes& frame : frames) ASSERT_OK(responder_->Receive(frame));
  std::vector<Message> got = responder_->TakeIncoming();
  ASSERT_EQ(got.size(), 50u);
  for (uint64_t i = 0; i < 50; ++i) EXPECT_EQ(got[i], Message(PingMessage{i}));
  // Equal plaintexts never give equal ciphertexts (one nonce per message).
  ASSERT_OK(initiator_->Send(PingMessage{7}));
  ASSERT_OK(initiator_->Send(PingMessage{7}));
  frames = initiator_->TakeOutgoing();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_NE(frames[0], frames[1]);
}

TEST_F(SessionTest, TamperedTransportFrameClosesTheSession) {
  SetUpEstablished();
  const Bytes frame = SendOne(*initiator_, PingMessage{5});
  for (size_t bit : {size_t{0}, frame.size() * 4, frame.size() * 8 - 1}) {
    SetUpEstablished();
    const Bytes fresh = SendOne(*initiator_, PingMessage{5});
    EXPECT_CODE(responder_->Receive(Flip(fresh, bit)), kAuthFailed) << bit;
    ExpectClosed(*responder_);
    EXPECT_TRUE(responder_->TakeIncoming().empty());
    // Even the genuine frame is refused now.
    EXPECT_FALSE(responder_->Receive(fresh).ok());
    EXPECT_TRUE(responder_->TakeIncoming().empty());
  }
}

TEST_F(SessionTest, EveryFlippedBitOfATransportFrameIsCaught) {
  SetUpEstablished();
  const size_t bits = SendOne(*initiator_, PingMessage{5}).size() * 8;
  for (size_t bit = 0; bit < bits; ++bit) {
    SetUpEstablished();
    EXPECT_CODE(responder_->Receive(Flip(SendOne(*initiator_, PingMessage{5}), bit)), kAuthFailed)
        << bit;
    EXPECT_EQ(responder_->state(), SessionState::kClosed);
  }
}

TEST_F(SessionTest, TruncatedTransportFrameClosesTheSession) {
  for (size_t keep : {size_t{0}, size_t{1}, size_t{15}, size_t{16}}) {
    SetUpEstablished();
    Bytes frame = SendOne(*initiator_, PingMessage{5});
    ASSERT_GT(frame.size(), keep);
    frame.resize(keep);
    EXPECT_FALSE(responder_->Receive(frame).ok()) << keep;
    ExpectClosed(*responder_);
  }
  SetUpEstablished();
  Bytes frame = SendOne(*initiator_, PingMessage{5});
  frame.pop_back();
  EXPECT_CODE(responder_->Receive(frame), kAuthFailed);
  ExpectClosed(*responder_);
}

TEST_F(SessionTest, ExtendedTransportFrameClosesTheSession) {
  SetUpEstablished();
  Bytes frame = SendOne(*initiator_, PingMessage{5});
  frame.push_back(0);
  EXPECT_CODE(responder_->Receive(frame), kAuthFailed);
  ExpectClosed(*responder_);
}

TEST_F(SessionTest, ReplayedTransportFrameClosesTheSession) {
  SetUpEstablished();
  const Bytes frame = SendOne(*initiator_, PingMessage{5});
  ASSERT_OK(responder_->Receive(frame));
  EXPECT_CODE(responder_->Receive(frame), kAuthFailed);
  ExpectClosed(*responder_);
  // The first delivery still counts, the replay does not.
  EXPECT_EQ(responder_->TakeIncoming().size(), 1u);
  EXPECT_EQ(responder_->messages_received(), 1u);
}

TEST_F(SessionTest, ReorderedTransportFramesCloseTheSession) {
  SetUpEstablished();
  const Bytes first = SendOne(*initiator_, PingMessage{1});
  const Bytes second = SendOne(*initiator_, PingMessage{2});
  EXPECT_CODE(responder_->Receive(second), kAuthFailed);
  ExpectClosed(*responder_);
  EXPECT_FALSE(responder_->Receive(first).ok());
  EXPECT_TRUE(responder_->TakeIncoming().empty());
}

TEST_F(SessionTest, DroppedTransportFrameClosesTheSession) {
  SetUpEstablished();
  (void)SendOne(*initiator_, PingMessage{1});  // lost
  EXPECT_CODE(responder_->Receive(SendOne(*initiator_, PingMessage{2})), kAuthFailed);
  ExpectClosed(*responder_);
}

TEST_F(SessionTest, ReflectedFrameIsRefused) {
  // A frame sent back to its own sender: the two directions use different keys.
  SetUpEstablished();
  EXPECT_CODE(initiator_->Receive(SendOne(*initiator_, PingMessage{1})), kAuthFailed);
  ExpectClosed(*initiator_);
}

TEST_F(SessionTest, FrameFromAnotherSessionIsRefused) {
  SetUpEstablished();
  const Bytes other = SendOne(*initiator_, PingMessage{1});
  SetUpEstablished();  // same keys, fresh ephemerals
  EXPECT_CODE(responder_->Receive(other), kAuthFailed);
  ExpectClosed(*responder_);
}

TEST_F(SessionTest, OversizedTransportFrameClosesTheSession) {
  SetUpEstablished();
  EXPECT_FALSE(responder_->Receive(Bytes(crypto::noise::kMaxMessageBytes + 1, 0)).ok());
  ExpectClosed(*responder_);
}

TEST_F(SessionTest, ReceiveAfterCloseIsRefused) {
  SetUpEstablished();
  const Bytes good = SendOne(*initiator_, PingMessage{1});
  ASSERT_FALSE(responder_->Receive(Bytes{1, 2, 3}).ok());
  EXPECT_CODE(responder_->Receive(good), kInvalidArgument);
  EXPECT_TRUE(responder_->TakeIncoming().empty());
}

TEST_F(SessionTest, FreshHandshakeIsNotDueEarly) {
  SetUpEstablished();
  for (uint64_t i = 0; i < 10; ++i) {
    ASSERT_OK(responder_->Receive(SendOne(*initiator_, PingMessage{i})));
    ASSERT_OK(initiator_->Receive(SendOne(*responder_, PongMessage{i})));
  }
  EXPECT_FALSE(initiator_->NeedsFreshHandshake());
  EXPECT_FALSE(responder_->NeedsFreshHandshake());
  EXPECT_FALSE(SessionDue(*initiator_, seconds(0)));
  EXPECT_FALSE(SessionDue(*initiator_, minutes(59)));
  EXPECT_FALSE(SessionDue(*initiator_, hours(1) - std::chrono::nanoseconds(1)));
  EXPECT_TRUE(SessionDue(*initiator_, hours(1)));
  EXPECT_TRUE(SessionDue(*responder_, hours(1)));
  EXPECT_TRUE(SessionDue(*initiator_, hours(5)));
  EXPECT_EQ(kFreshHandshakeAfter, hours(1));
  EXPECT_EQ(kFreshHandshakeAfterMessages, uint64_t{1} << 20);
}

TEST_F(SessionTest, MessageLimitForcesAFreshHandshake) {
  // 2^20 messages one way. Only the first few are delivered: decrypting a million frames costs
  // seconds (each plaintext is a fresh sodium_malloc), and the limit is the sender's count.
  SetUpEstablished();
  for (uint64_t i = 0; i < 3; ++i)
    ASSERT_OK(responder_->Receive(SendOne(*initiator_, PingMessage{i})));
  for (uint64_t i = 3; i < kFreshHandshakeAfterMessages; ++i) {
    ASSERT_OK(initiator_->Send(PingMessage{i}));
    if (i % 4096 == 0) initiator_->TakeOutgoing();
    if (i == kFreshHandshakeAfterMessages - 2) {
      EXPECT_FALSE(initiator_->NeedsFreshHandshake());
      EXPECT_FALSE(SessionDue(*initiator_, seconds(1)));
    }
  }
  const std::vector<Bytes> last = initiator_->TakeOutgoing();
  ASSERT_FALSE(last.empty());
  EXPECT_EQ(initiator_->messages_sent(), kFreshHandshakeAfterMessages);
  EXPECT_TRUE(initiator_->NeedsFreshHandshake());
  EXPECT_TRUE(SessionDue(*initiator_, seconds(1)));
  EXPECT_CODE(initiator_->Send(PingMessage{1}), kInvalidArgument);
  EXPECT_TRUE(initiator_->TakeOutgoing().empty());
  // One Goodbye may still go out, so the peer learns why the session ends; not two.
  ASSERT_OK(initiator_->Send(GoodbyeMessage{GoodbyeMessage::Reason::kFreshHandshake}));
  EXPECT_EQ(initiator_->TakeOutgoing().size(), 1u);
  EXPECT_CODE(initiator_->Send(GoodbyeMessage{GoodbyeMessage::Reason::kFreshHandshake}),
              kInvalidArgument);
  // Refusing is not a failure of the session: it stays usable for receiving and saying goodbye.
  EXPECT_TRUE(initiator_->established());
  ASSERT_OK(initiator_->Receive(
      SendOne(*responder_, GoodbyeMessage{GoodbyeMessage::Reason::kFreshHandshake})));
  EXPECT_EQ(initiator_->TakeIncoming().size(), 1u);
  // The responder received only three and is not due.
  EXPECT_FALSE(responder_->NeedsFreshHandshake());
}

// ---- Features ----

TEST_F(SessionTest, BothSidesAgreeOnTheFeaturesBothListed) {
  initiator_hello_.features = {"ping/1", "sync/1", "teleport/9"};
  responder_hello_.features = {"sync/1", "ping/1", "telepathy/2"};
  SetUpEstablished();
  // In the order of one's own Hello; never a feature only one side listed.
  EXPECT_EQ(initiator_->agreed_features(), (std::vector<std::string>{"ping/1", "sync/1"}));
  EXPECT_EQ(responder_->agreed_features(), (std::vector<std::string>{"sync/1", "ping/1"}));
  EXPECT_FALSE(initiator_->Agreed("teleport/9"));
  EXPECT_FALSE(responder_->Agreed("telepathy/2"));
}

TEST_F(SessionTest, NothingIsSentOfAFeatureThePeerDidNotList) {
  responder_hello_.features = {std::string(kFeaturePing)};
  SetUpEstablished();
  for (Session* session : {&*initiator_, &*responder_}) {
    EXPECT_FALSE(session->Agreed(kFeatureSync));
    EXPECT_FALSE(session->MaySend(SyncHelloMessage{}));
    EXPECT_CODE(session->Send(SyncHelloMessage{Bytes(kEpochBytes, 1), {}}), kInvalidArgument);
    EXPECT_CODE(session->Send(SyncAckMessage{Bytes(kEpochBytes, 1), 1, 0}), kInvalidArgument);
    EXPECT_TRUE(session->TakeOutgoing().empty());
    // A caller error: the session goes on, with what was agreed.
    EXPECT_TRUE(session->established());
    EXPECT_OK(session->Send(PingMessage{1}));
    EXPECT_OK(session->Send(GoodbyeMessage{}));  // always allowed
    EXPECT_EQ(session->TakeOutgoing().size(), 2u);
  }
}

TEST_F(RawPeerTest, AnUnknownBodyAndAMessageNotAgreedAreSkippedAndTheSessionGoesOn) {
  responder_hello_.features = {std::string(kFeaturePing)};
  Session responder = Start(ResponderConfig());
  crypto::noise::HandshakeState raw = RawInitiator();
  ASSERT_NO_FATAL_FAILURE(ReadAndAdmit(responder, Write(raw, Hello(InitiatorHello()))));
  ASSERT_OK(raw.ReadMessage(TakeOne(responder)).status());
  ASSERT_OK_AND_ASSIGN(crypto::noise::TransportSession transport, std::move(raw).Finish());
  auto seal = [&transport](ByteSpan plaintext) { return transport.Encrypt(plaintext).value(); };

  // Envelope{version 1, field 20 (a later version's body)} and a SyncHello (not agreed).
  ASSERT_OK(responder.Receive(seal(Bytes{0x08, 0x01, 0xa2, 0x01, 0x00})));
  ASSERT_OK_AND_ASSIGN(Bytes sync_hello,
                       EncodeEnvelope(SyncHelloMessage{Bytes(kEpochBytes, 3), {}}));
  ASSERT_OK(responder.Receive(seal(sync_hello)));
  EXPECT_TRUE(responder.TakeIncoming().empty());
  EXPECT_EQ(responder.messages_skipped(), 2u);
  EXPECT_EQ(responder.messages_received(), 2u);
  // And what was agreed still arrives.
  ASSERT_OK_AND_ASSIGN(Bytes ping, EncodeEnvelope(PingMessage{5}));
  ASSERT_OK(responder.Receive(seal(ping)));
  std::vector<Message> got = responder.TakeIncoming();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], Message(PingMessage{5}));
  EXPECT_TRUE(responder.established());
}

}  // namespace
}  // namespace attune::protocol
