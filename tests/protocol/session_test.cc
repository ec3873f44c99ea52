// The partner session's handshake (protocol/session.h): Noise KK with both keys pinned, the
// responder's decision from message 1 alone (admission of its counter by the caller), exact
// message sizes, no static key on the wire, and every way a handshake message can be wrong.
// The established session is in session_transport_test.cc.
#include "protocol/session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "crypto/noise.h"
#include "crypto/x25519.h"
#include "tests/protocol/session_fixture.h"

namespace attune::protocol {
namespace {

bool ContainsBytes(ByteSpan haystack, ByteSpan needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

TEST_F(SessionTest, HandshakeEstablishesBothSidesInTwoMessages) {
  Session initiator = Start(InitiatorConfig());
  Session responder = Start(ResponderConfig());
  EXPECT_EQ(initiator.state(), SessionState::kHandshaking);
  EXPECT_EQ(responder.state(), SessionState::kHandshaking);
  EXPECT_TRUE(responder.TakeOutgoing().empty());  // only the initiator speaks first

  ASSERT_OK(responder.Receive(TakeOne(initiator)));
  // The responder decides from message 1 alone, and has said nothing yet.
  EXPECT_EQ(responder.state(), SessionState::kAwaitingAdmission);
  EXPECT_TRUE(responder.TakeOutgoing().empty());
  EXPECT_CODE(responder.Send(PingMessage{1}), kInvalidArgument);
  ASSERT_OK(responder.Admit());
  EXPECT_TRUE(responder.established());
  ASSERT_OK(initiator.Receive(TakeOne(responder)));
  EXPECT_TRUE(initiator.established());
  EXPECT_TRUE(initiator.TakeOutgoing().empty());
  EXPECT_TRUE(responder.TakeOutgoing().empty());
  EXPECT_TRUE(initiator.TakeIncoming().empty());
  EXPECT_TRUE(responder.TakeIncoming().empty());
  EXPECT_EQ(initiator.agreed_features(), SupportedFeatures());
}

TEST_F(SessionTest, EachSideReadsThePeersHelloAndTheResponderTheCounter) {
  Session initiator = Start(InitiatorConfig());
  Session responder = Start(ResponderConfig());
  Handshake(initiator, responder);
  ASSERT_TRUE(responder.peer_hello().has_value());
  HelloMessage sent = initiator_hello_;
  sent.handshake_counter = kCounter;
  EXPECT_EQ(*responder.peer_hello(), sent);
  ASSERT_TRUE(initiator.peer_hello().has_value());
  EXPECT_EQ(*initiator.peer_hello(), responder_hello_);  // the responder's has no counter
  EXPECT_EQ(initiator.peer_hello()->handshake_counter, 0u);
}

TEST_F(SessionTest, HandshakeMessagesHaveNoiseKKSizesAndNoStaticKey) {
  Session initiator = Start(InitiatorConfig());
  Session responder = Start(ResponderConfig());
  HelloMessage hello1 = initiator_hello_;
  hello1.handshake_counter = kCounter;

  // -> e, es, ss: e in the clear, the payload encrypted (+ 16). No static key travels.
  const Bytes message1 = TakeOne(initiator);
  EXPECT_EQ(message1.size(), kDhBytes + HelloSize(hello1) + kTagBytes);
  ASSERT_NO_FATAL_FAILURE(ReadAndAdmit(responder, message1));
  // <- e, ee, se: the same shape.
  const Bytes message2 = TakeOne(responder);
  EXPECT_EQ(message2.size(), kDhBytes + HelloSize(responder_hello_) + kTagBytes);
  ASSERT_OK(initiator.Receive(message2));

  // attune's own Hellos: version, port, [one_shot,] a fixed-size counter, four features
  // (sync/1, ping/1, onion/1: 25 bytes; exercise/1: 12).
  EXPECT_EQ(HelloSize(hello1), 2u + 3u + 2u + 9u + 25u + 12u);
  EXPECT_EQ(HelloSize(responder_hello_), 2u + 3u + 25u + 12u);
  for (const Bytes& message : {message1, message2}) {
    EXPECT_FALSE(ContainsBytes(message, initiator_keys_.public_key));
    EXPECT_FALSE(ContainsBytes(message, responder_keys_.public_key));
  }
}

TEST_F(SessionTest, AnInitiatorNeedsACounter) {
  SessionConfig config = InitiatorConfig();
  config.handshake_counter = 0;
  EXPECT_CODE(Session::Start(std::move(config)), kInvalidArgument);
  // The responder's counter, if any, is never sent.
  config = ResponderConfig();
  config.handshake_counter = 99;
  Session responder = Start(std::move(config));
  Session initiator = Start(InitiatorConfig());
  Handshake(initiator, responder);
  EXPECT_EQ(initiator.peer_hello()->handshake_counter, 0u);
}

TEST_F(SessionTest, ARejectedFirstMessageGetsNothingBack) {
  Session initiator = Start(InitiatorConfig());
  Session responder = Start(ResponderConfig());
  ASSERT_OK(responder.Receive(TakeOne(initiator)));
  responder.Reject();
  ExpectClosed(responder);
  EXPECT_CODE(responder.Admit(), kInvalidArgument);
  EXPECT_TRUE(responder.TakeOutgoing().empty());
}

TEST_F(SessionTest, AdmitOnlyAfterAnAuthenticFirstMessage) {
  Session initiator = Start(InitiatorConfig());
  Session responder = Start(ResponderConfig());
  EXPECT_CODE(responder.Admit(), kInvalidArgument);
  EXPECT_CODE(initiator.Admit(), kInvalidArgument);
  EXPECT_TRUE(responder.TakeOutgoing().empty());
  // More from the peer before the answer: nothing honest does that.
  const Bytes message1 = TakeOne(initiator);
  ASSERT_OK(responder.Receive(message1));
  EXPECT_CODE(responder.Receive(message1), kProtocolError);
  ExpectClosed(responder);
}

TEST_F(SessionTest, AStrangersFirstMessageFailsAuthenticationAndGetsNothing) {
  // Any key but the pinned partner's, whether it knows the responder's key or not.
  const crypto::X25519KeyPair stranger = crypto::GenerateX25519KeyPair();
  for (const crypto::X25519PublicKey& pinned :
       {responder_keys_.public_key, crypto::GenerateX25519KeyPair().public_key}) {
    SessionConfig config = InitiatorConfig();
    config.local_static = crypto::CopyKeyPair(stranger);
    config.pinned_partner = pinned;
    Session intruder = Start(std::move(config));
    Session responder = Start(ResponderConfig());
    EXPECT_CODE(responder.Receive(TakeOne(intruder)), kAuthFailed);
    ExpectClosed(responder);
    EXPECT_FALSE(responder.peer_hello().has_value());
  }
}

TEST_F(SessionTest, AnInitiatorPinnedToAnotherResponderIsRefusedByTheRealOne) {
  SessionConfig config = InitiatorConfig();
  config.pinned_partner = crypto::GenerateX25519KeyPair().public_key;
  Session initiator = Start(std::move(config));
  Session responder = Start(ResponderConfig());
  EXPECT_CODE(responder.Receive(TakeOne(initiator)), kAuthFailed);
  ExpectClosed(responder);
}

TEST_F(SessionTest, AFirstMessageOfTheOlderProtocolsSizeIsToldApart) {
  // attune/1's message 1 (Noise XX: -> e, no payload) is 32 bytes; no KK message 1 is.
  Session responder = Start(ResponderConfig());
  const Status status = responder.Receive(Bytes(kLegacyFirstMessageBytes, 0x42));
  EXPECT_CODE(status, kUnsupported);
  EXPECT_TRUE(status.Is(ProtocolReason::kPeerOlder));
  ExpectClosed(responder);
  // One byte more or less is just a broken message.
  for (size_t size : {kLegacyFirstMessageBytes - 1, kLegacyFirstMessageBytes + 1}) {
    Session other = Start(ResponderConfig());
    EXPECT_CODE(other.Receive(Bytes(size, 0x42)), kAuthFailed) << size;
  }
}

TEST_F(SessionTest, EveryFlippedBitOfEitherMessageFailsAuthentication) {
  size_t size1 = 0, size2 = 0;
  {
    Session initiator = Start(InitiatorConfig());
    Session responder = Start(ResponderConfig());
    const Bytes message1 = TakeOne(initiator);
    size1 = message1.size();
    ASSERT_NO_FATAL_FAILURE(ReadAndAdmit(responder, message1));
    size2 = TakeOne(responder).size();
  }
  for (size_t bit = 0; bit < size1 * 8; ++bit) {
    Session initiator = Start(InitiatorConfig());
    Session responder = Start(ResponderConfig());
    EXPECT_CODE(responder.Receive(Flip(TakeOne(initiator), bit)), kAuthFailed) << "bit " << bit;
    ExpectClosed(responder);
  }
  for (size_t bit = 0; bit < size2 * 8; ++bit) {
    Session initiator = Start(InitiatorConfig());
    Session responder = Start(ResponderConfig());
    ASSERT_NO_FATAL_FAILURE(ReadAndAdmit(responder, TakeOne(initiator)));
    EXPECT_CODE(initiator.Receive(Flip(TakeOne(responder), bit)), kAuthFailed) << "bit " << bit;
    ExpectClosed(initiator);
  }
}

TEST_F(SessionTest, TruncatedExtendedOrOversizedHandshakeMessagesFail) {
  for (const Bytes& message : {Bytes(), Bytes(kDhBytes - 1, 0x42), Bytes(kDhBytes + 16, 0x42),
                               Bytes(crypto::noise::kMaxMessageBytes + 1, 0x42)}) {
    Session responder = Start(ResponderConfig());
    EXPECT_FALSE(responder.Receive(message).ok()) << message.size();
    ExpectClosed(responder);
  }
  for (int change : {-1, -16, +1}) {
    Session initiator = Start(InitiatorConfig());
    Session responder = Start(ResponderConfig());
    Bytes message1 = TakeOne(initiator);
    message1.resize(static_cast<size_t>(static_cast<int>(message1.size()) + change));
    EXPECT_CODE(responder.Receive(message1), kAuthFailed) << change;
    ExpectClosed(responder);
  }
  for (int change : {-1, -16, +1}) {
    Session initiator = Start(InitiatorConfig());
    Session responder = Start(ResponderConfig());
    ASSERT_NO_FATAL_FAILURE(ReadAndAdmit(responder, TakeOne(initiator)));
    Bytes message2 = TakeOne(responder);
    message2.resize(static_cast<size_t>(static_cast<int>(message2.size()) + change));
    EXPECT_CODE(initiator.Receive(message2), kAuthFailed) << change;
    ExpectClosed(initiator);
  }
}

TEST_F(SessionTest, AReplayedFirstMessageIsAuthenticWithTheSameCounterForTheCallerToRefuse) {
  // The session cannot know what it answered before: the caller (node/, through the journal)
  // admits each counter once. A replay reads as the original, counter and all.
  Session initiator = Start(InitiatorConfig());
  const Bytes message1 = TakeOne(initiator);
  Session first = Start(ResponderConfig());
  Session replayed = Start(ResponderConfig());
  ASSERT_OK(first.Receive(message1));
  ASSERT_OK(replayed.Receive(message1));
  EXPECT_EQ(first.peer_hello()->handshake_counter, replayed.peer_hello()->handshake_counter);
  replayed.Reject();
  ExpectClosed(replayed);
  // Were it answered, the replayer could not read the answer or continue (it lacks the
  // initiator's ephemeral secret); the genuine initiator completes with the first answer only.
  ASSERT_OK(first.Admit());
  ASSERT_OK(initiator.Receive(TakeOne(first)));
  EXPECT_TRUE(initiator.established());
}

TEST_F(SessionTest, HandshakeMessagesOutOfTurnOrFromAnotherHandshakeFail) {
  {  // the initiator fed its own message 1
    Session initiator = Start(InitiatorConfig());
    EXPECT_FALSE(initiator.Receive(TakeOne(initiator)).ok());
    ExpectClosed(initiator);
  }
  {  // a message 2 from another handshake
    Session other_initiator = Start(InitiatorConfig());
    Session other_responder = Start(ResponderConfig());
    ASSERT_NO_FATAL_FAILURE(ReadAndAdmit(other_responder, TakeOne(other_initiator)));
    const Bytes old_message2 = TakeOne(other_responder);
    Session initiator = Start(InitiatorConfig());
    Session responder = Start(ResponderConfig());
    ASSERT_NO_FATAL_FAILURE(ReadAndAdmit(responder, TakeOne(initiator)));
    EXPECT_CODE(initiator.Receive(old_message2), kAuthFailed);
    ExpectClosed(initiator);
  }
  {  // a message 2 reflected back to the responder
    Session initiator = Start(InitiatorConfig());
    Session responder = Start(ResponderConfig());
    ASSERT_NO_FATAL_FAILURE(ReadAndAdmit(responder, TakeOne(initiator)));
    const Bytes message2 = TakeOne(responder);
    EXPECT_FALSE(responder.Receive(message2).ok());
  }
}

TEST_F(SessionTest, StartRefusesABadHelloOrKey) {
  SessionConfig config = InitiatorConfig();
  config.hello.features = {"not a feature"};
  EXPECT_CODE(Session::Start(std::move(config)), kInvalidArgument);
  config = ResponderConfig();
  config.hello.protocol_version = 0;
  EXPECT_CODE(Session::Start(std::move(config)), kInvalidArgument);
  config = InitiatorConfig();
  config.local_static = crypto::X25519KeyPair{};
  EXPECT_FALSE(Session::Start(std::move(config)).ok());
}

TEST_F(SessionTest, DeterministicWithFixedKeys) {
  initiator_keys_ = FixedKeyPair(0x11);
  responder_keys_ = FixedKeyPair(0x22);
  auto run = [this](bool fixed_ephemerals) {
    counter_ = kCounter;
    SessionConfig initiator_config = InitiatorConfig();
    SessionConfig responder_config = ResponderConfig();
    if (fixed_ephemerals) {
      initiator_config.fixed_ephemeral_for_testing = FixedKeyPair(0x33);
      responder_config.fixed_ephemeral_for_testing = FixedKeyPair(0x44);
    }
    Session initiator = Start(std::move(initiator_config));
    Session responder = Start(std::move(responder_config));
    std::vector<Bytes> frames;
    auto pass = [&frames](Session& from, Session& to) {
      for (Bytes& frame : from.TakeOutgoing()) {
        EXPECT_OK(to.Receive(frame));
        frames.push_back(std::move(frame));
      }
    };
    pass(initiator, responder);
    EXPECT_OK(responder.Admit());
    pass(responder, initiator);
    EXPECT_TRUE(initiator.established());
    EXPECT_TRUE(responder.established());
    EXPECT_OK(initiator.Send(PingMessage{1}));
    EXPECT_OK(initiator.Send(GoodbyeMessage{}));
    pass(initiator, responder);
    EXPECT_OK(responder.Send(PongMessage{1}));
    pass(responder, initiator);
    EXPECT_EQ(frames.size(), 5u);
    return frames;
  };
  const std::vector<Bytes> first = run(true);
  const std::vector<Bytes> second = run(true);
  EXPECT_EQ(first, second);
  // The fixed ephemeral is what message 1 starts with.
  ASSERT_FALSE(first.empty());
  const crypto::X25519KeyPair ephemeral = FixedKeyPair(0x33);
  EXPECT_EQ(Bytes(first[0].begin(), first[0].begin() + kDhBytes),
            Bytes(ephemeral.public_key.begin(), ephemeral.public_key.end()));

  // Without the test hook, ephemerals are fresh: every frame differs between runs.
  const std::vector<Bytes> third = run(false);
  const std::vector<Bytes> fourth = run(false);
  ASSERT_EQ(third.size(), fourth.size());
  for (size_t i = 0; i < third.size(); ++i) EXPECT_NE(third[i], fourth[i]) << i;
}

// ---- Against a plain Noise peer ----

TEST_F(RawPeerTest, InteroperatesWithPlainNoiseKKAndTheAttunePrologue) {
  // Pins the protocol name and prologue: a plain Noise_KK_25519_ChaChaPoly_BLAKE2b initiator
  // with prologue "attune/2" and attune's Hello completes the handshake and talks.
  crypto::noise::HandshakeState raw = RawInitiator();
  Session responder = Start(ResponderConfig());
  ASSERT_NO_FATAL_FAILURE(ReadAndAdmit(responder, Write(raw, Hello(InitiatorHello()))));
  ASSERT_OK_AND_ASSIGN(crypto::SecureBytes payload2, raw.ReadMessage(TakeOne(responder)));
  ASSERT_OK_AND_ASSIGN(HelloMessage hello2, DecodeHello(payload2.span()));
  EXPECT_EQ(hello2, responder_hello_);
  ASSERT_EQ(raw.next_step(), crypto::noise::HandshakeStep::kFinished);
  ASSERT_OK_AND_ASSIGN(crypto::noise::TransportSession transport, std::move(raw).Finish());

  ASSERT_OK_AND_ASSIGN(Bytes ping, EncodeEnvelope(PingMessage{99}));
  ASSERT_OK_AND_ASSIGN(Bytes sealed, transport.Encrypt(ping));
  ASSERT_OK(responder.Receive(sealed));
  std::vector<Message> got = responder.TakeIncoming();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], Message(PingMessage{99}));
  ASSERT_OK_AND_ASSIGN(crypto::SecureBytes pong,
                       transport.Decrypt(SendOne(responder, PongMessage{99})));
  ASSERT_OK_AND_ASSIGN(Message decoded, DecodeEnvelope(pong.span()));
  EXPECT_EQ(decoded, Message(PongMessage{99}));
}

TEST_F(RawPeerTest, AnotherPrologueOrPatternFails) {
  for (std::string_view prologue : {std::string_view(""), kLegacyLinkProtocolName}) {
    crypto::noise::HandshakeState raw = RawInitiator(prologue);
    Session responder = Start(ResponderConfig());
    EXPECT_CODE(responder.Receive(Write(raw, Hello(InitiatorHello()))), kAuthFailed) << prologue;
  }
  // The same tokens as KK's message 1 under another name (the one-way K) or hash.
  for (std::string_view name : {std::string_view("Noise_K_25519_ChaChaPoly_BLAKE2b"),
                                std::string_view("Noise_KK_25519_ChaChaPoly_SHA256")}) {
    crypto::noise::HandshakeState raw = Raw(crypto::noise::Role::kInitiator, initiator_keys_,
                                            responder_keys_.public_key, kLinkProtocolName, name);
    Session responder = Start(ResponderConfig());
    EXPECT_CODE(responder.Receive(Write(raw, Hello(InitiatorHello()))), kAuthFailed) << name;
  }
}

TEST_F(RawPeerTest, ANewerVersionEitherWayIsUnsupportedWithItsReason) {
  {
    crypto::noise::HandshakeState raw = RawInitiator();
    Session responder = Start(ResponderConfig());
    HelloMessage newer = InitiatorHello();
    newer.protocol_version = kLinkProtocolVersion + 1;
    const Status status = responder.Receive(Write(raw, Hello(newer)));
    EXPECT_CODE(status, kUnsupported);
    EXPECT_TRUE(status.Is(ProtocolReason::kPeerNewer));
    ExpectClosed(responder);
  }
  {
    Session initiator = Start(InitiatorConfig());
    crypto::noise::HandshakeState raw = RawResponder();
    ASSERT_OK(raw.ReadMessage(TakeOne(initiator)).status());
    const Status status =
        initiator.Receive(Write(raw, Hello({kLinkProtocolVersion + 1, 1, false, 0, {}})));
    EXPECT_CODE(status, kUnsupported);
    EXPECT_TRUE(status.Is(ProtocolReason::kPeerNewer));
    ExpectClosed(initiator);
  }
}

TEST_F(RawPeerTest, AFirstMessageWithoutACounterOrOfAnOlderVersionIsCorruption) {
  HelloMessage no_counter = InitiatorHello(0);
  HelloMessage older = InitiatorHello();
  older.protocol_version = kLegacyLinkProtocolVersion;
  for (const HelloMessage& hello : {no_counter, older}) {
    crypto::noise::HandshakeState raw = RawInitiator();
    Session responder = Start(ResponderConfig());
    EXPECT_CODE(responder.Receive(Write(raw, Hello(hello))), kCorruption);
    ExpectClosed(responder);
  }
}

TEST_F(RawPeerTest, MalformedOrMissingHelloIsCorruption) {
  const std::vector<Bytes> bad_payloads = {Bytes(), Bytes{0xff, 0xff, 0xff}, Bytes{0x08, 0x00},
                                           Bytes{0x08, 0x02, 0x32, 0x01, 0x00}};
  for (size_t i = 0; i < bad_payloads.size(); ++i) {
    Session initiator = Start(InitiatorConfig());
    crypto::noise::HandshakeState raw = RawResponder();
    ASSERT_OK(raw.ReadMessage(TakeOne(initiator)).status());
    EXPECT_CODE(initiator.Receive(Write(raw, bad_payloads[i])), kCorruption) << i;
    ExpectClosed(initiator);
  }
  for (size_t i = 0; i < bad_payloads.size(); ++i) {
    crypto::noise::HandshakeState raw = RawInitiator();
    Session responder = Start(ResponderConfig());
    EXPECT_CODE(responder.Receive(Write(raw, bad_payloads[i])), kCorruption) << i;
    ExpectClosed(responder);
  }
}

}  // namespace
}  // namespace attune::protocol
