// The partner session (protocol/session.h), driven in memory: frames are taken from one side's
// outgoing queue and fed to the other, tampered with, dropped, replayed or reordered on the way.
#include "protocol/session.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "crypto/noise.h"
#include "crypto/x25519.h"
#include "tests/common/status_assertions.h"

namespace attune::protocol {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr size_t kDhBytes = 32;   // an X25519 public key in the clear
constexpr size_t kTagBytes = 16;  // a ChaChaPoly tag

crypto::X25519KeyPair FixedKeyPair(uint8_t fill) {
  Result<crypto::X25519KeyPair> pair =
      crypto::X25519KeyPairFromSecret(crypto::SecureBytes::CopyOf(Bytes(32, fill)));
  EXPECT_TRUE(pair.ok());
  return std::move(pair).value();
}

size_t HelloSize(const HelloMessage& hello) {
  Result<Bytes> encoded = EncodeHello(hello);
  EXPECT_TRUE(encoded.ok());
  return encoded.ok() ? encoded->size() : 0;
}

Bytes Flip(Bytes bytes, size_t bit) {
  bytes[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
  return bytes;
}

class SessionTest : public ::testing::Test {
 protected:
  crypto::X25519KeyPair initiator_keys_ = crypto::GenerateX25519KeyPair();
  crypto::X25519KeyPair responder_keys_ = crypto::GenerateX25519KeyPair();
  HelloMessage initiator_hello_{kProtocolVersion, "Alice", 4100};
  HelloMessage responder_hello_{kProtocolVersion, "Bob", 4200};

  SessionConfig InitiatorConfig() {
    SessionConfig config;
    config.role = SessionRole::kInitiator;
    config.local_static = crypto::CopyKeyPair(initiator_keys_);
    config.pinned_partner = responder_keys_.public_key;
    config.hello = initiator_hello_;
    return config;
  }
  SessionConfig ResponderConfig() {
    SessionConfig config;
    config.role = SessionRole::kResponder;
    config.local_static = crypto::CopyKeyPair(responder_keys_);
    config.pinned_partner = initiator_keys_.public_key;
    config.hello = responder_hello_;
    return config;
  }

  static Session Start(SessionConfig config) {
    Result<Session> session = Session::Start(std::move(config));
    EXPECT_TRUE(session.ok()) << session.status().detail();
    return std::move(session).value();
  }

  // Takes exactly one outgoing frame from `from`.
  static Bytes TakeOne(Session& from) {
    std::vector<Bytes> frames = from.TakeOutgoing();
    EXPECT_EQ(frames.size(), 1u);
    return frames.empty() ? Bytes() : std::move(frames.front());
  }

  // Runs the handshake to completion; both sides end established.
  static void Handshake(Session& initiator, Session& responder) {
    ASSERT_OK(responder.Receive(TakeOne(initiator)));
    ASSERT_OK(initiator.Receive(TakeOne(responder)));
    ASSERT_OK(responder.Receive(TakeOne(initiator)));
    ASSERT_TRUE(initiator.established());
    ASSERT_TRUE(responder.established());
  }

  // Sends `message` from `from` and returns the one frame it produced.
  static Bytes SendOne(Session& from, const Message& message) {
    EXPECT_OK(from.Send(message));
    return TakeOne(from);
  }

  static void ExpectClosed(Session& session) {
    EXPECT_EQ(session.state(), SessionState::kClosed);
    EXPECT_FALSE(session.established());
    EXPECT_TRUE(session.TakeOutgoing().empty());
    EXPECT_CODE(session.Send(PingMessage{1}), kInvalidArgument);
    EXPECT_TRUE(session.TakeOutgoing().empty());
  }

  // An established pair, for the transport tests.
  void SetUpEstablished() {
    initiator_.emplace(Start(InitiatorConfig()));
    responder_.emplace(Start(ResponderConfig()));
    Handshake(*initiator_, *responder_);
  }

  std::optional<Session> initiator_;
  std::optional<Session> responder_;
};

TEST_F(SessionTest, HandshakeEstablishesBothSides) {
  Session initiator = Start(InitiatorConfig());
  Session responder = Start(ResponderConfig());
  EXPECT_EQ(initiator.state(), SessionState::kHandshaking);
  EXPECT_EQ(responder.state(), SessionState::kHandshaking);
  // Only the initiator speaks first.
  EXPECT_TRUE(responder.TakeOutgoing().empty());

  ASSERT_OK(responder.Receive(TakeOne(initiator)));
  EXPECT_EQ(responder.state(), SessionState::kHandshaking);
  ASSERT_OK(initiator.Receive(TakeOne(responder)));
  // The initiator is done once it has written message 3.
  EXPECT_TRUE(initiator.established());
  ASSERT_OK(responder.Receive(TakeOne(initiator)));
  EXPECT_TRUE(responder.established());
  EXPECT_TRUE(initiator.TakeOutgoing().empty());
  EXPECT_TRUE(responder.TakeOutgoing().empty());
  EXPECT_TRUE(initiator.TakeIncoming().empty());
  EXPECT_TRUE(responder.TakeIncoming().empty());
  EXPECT_FALSE(initiator.unknown_peer_key().has_value());
  EXPECT_FALSE(responder.unknown_peer_key().has_value());
}

TEST_F(SessionTest, PeerHellosAndTheWithheldResponderName) {
  Session initiator = Start(InitiatorConfig());
  Session responder = Start(ResponderConfig());
  EXPECT_FALSE(initiator.peer_hello().has_value());
  EXPECT_FALSE(responder.peer_hello().has_value());
  Handshake(initiator, responder);

  ASSERT_TRUE(initiator.peer_hello().has_value());
  EXPECT_EQ(initiator.peer_hello()->protocol_version, kProtocolVersion);
  EXPECT_EQ(initiator.peer_hello()->serve_port, responder_hello_.serve_port);
  EXPECT_EQ(initiator.peer_hello()->display_name, "");

  ASSERT_TRUE(responder.peer_hello().has_value());
  EXPECT_EQ(*responder.peer_hello(), initiator_hello_);
}

TEST_F(SessionTest, HandshakeMessagesHaveNoiseXXSizes) {
  initiator_hello_.display_name = std::string(kMaxDisplayNameBytes, 'a');
  Session initiator = Start(InitiatorConfig());
  Session responder = Start(ResponderConfig());

  const Bytes message1 = TakeOne(initiator);
  EXPECT_EQ(message1.size(), kDhBytes);  // -> e, empty payload in the clear
  ASSERT_OK(responder.Receive(message1));

  // <- e, ee, s, es: e in the clear, s encrypted (32 + 16), payload encrypted (+ 16).
  const size_t responder_payload = HelloSize({kProtocolVersion, "", responder_hello_.serve_port});
  const Bytes message2 = TakeOne(responder);
  EXPECT_EQ(message2.size(), kDhBytes + (kDhBytes + kTagBytes) + responder_payload + kTagBytes);
  // The name is withheld: the payload is smaller than one with the name would be.
  EXPECT_LT(responder_payload, HelloSize(responder_hello_));
  ASSERT_OK(initiator.Receive(message2));

  // -> s, se: s encrypted, payload encrypted.
  const Bytes message3 = TakeOne(initiator);
  EXPECT_EQ(message3.size(), (kDhBytes + kTagBytes) + HelloSize(initiator_hello_) + kTagBytes);
  ASSERT_OK(responder.Receive(message3));
  EXPECT_TRUE(responder.established());
}

TEST_F(SessionTest, ResponderNameNeverTravels) {
  responder_hello_.display_name = "responder-secret-name";
  Session responder = Start(ResponderConfig());
  // Even decrypted, message 2's payload has no name: a raw Noise initiator reads it.
  crypto::noise::HandshakeOptions options;
  options.role = crypto::noise::Role::kInitiator;
  options.protocol_name = std::string(kNoiseProtocolName);
  options.prologue = Bytes(kProtocolName.begin(), kProtocolName.end());
  options.local_static = crypto::CopyKeyPair(initiator_keys_);
  ASSERT_OK_AND_ASSIGN(crypto::noise::HandshakeState raw,
                       crypto::noise::HandshakeState::Create(std::move(options)));
  ASSERT_OK_AND_ASSIGN(Bytes message1, raw.WriteMessage({}));
  ASSERT_OK(responder.Receive(message1));
  ASSERT_OK_AND_ASSIGN(crypto::SecureBytes payload, raw.ReadMessage(TakeOne(responder)));
  ASSERT_OK_AND_ASSIGN(HelloMessage hello, DecodeHello(payload.span()));
  EXPECT_EQ(hello, (HelloMessage{kProtocolVersion, "", responder_hello_.serve_port}));
}

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

TEST_F(SessionTest, InitiatorPinnedToAnotherKeyStopsAfterMessage2) {
  const crypto::X25519KeyPair stranger = crypto::GenerateX25519KeyPair();
  SessionConfig config = InitiatorConfig();
  config.pinned_partner = stranger.public_key;
  Session initiator = Start(std::move(config));
  Session responder = Start(ResponderConfig());

  ASSERT_OK(responder.Receive(TakeOne(initiator)));
  EXPECT_CODE(initiator.Receive(TakeOne(responder)), kUnknownPeer);
  // No message 3: the wrong responder never learns who called.
  EXPECT_TRUE(initiator.TakeOutgoing().empty());
  ASSERT_TRUE(initiator.unknown_peer_key().has_value());
  EXPECT_EQ(*initiator.unknown_peer_key(), responder_keys_.public_key);
  ExpectClosed(initiator);
}

TEST_F(SessionTest, ResponderPinnedToAnotherKeyFailsAfterMessage3) {
  const crypto::X25519KeyPair stranger = crypto::GenerateX25519KeyPair();
  SessionConfig config = ResponderConfig();
  config.pinned_partner = stranger.public_key;
  Session initiator = Start(InitiatorConfig());
  Session responder = Start(std::move(config));

  ASSERT_OK(responder.Receive(TakeOne(initiator)));
  ASSERT_OK(initiator.Receive(TakeOne(responder)));
  EXPECT_CODE(responder.Receive(TakeOne(initiator)), kUnknownPeer);
  ASSERT_TRUE(responder.unknown_peer_key().has_value());
  EXPECT_EQ(*responder.unknown_peer_key(), initiator_keys_.public_key);
  ExpectClosed(responder);
  // Nothing the initiator sends now is accepted.
  const Bytes ping = SendOne(initiator, PingMessage{1});
  EXPECT_FALSE(responder.Receive(ping).ok());
  EXPECT_TRUE(responder.TakeIncoming().empty());
}

TEST_F(SessionTest, ThirdPartyPosingAsThePartnerIsRefused) {
  // A third node with its own keys, which pins the real responder, connects to it.
  const crypto::X25519KeyPair third = crypto::GenerateX25519KeyPair();
  SessionConfig config = InitiatorConfig();
  config.local_static = crypto::CopyKeyPair(third);
  Session intruder = Start(std::move(config));
  Session responder = Start(ResponderConfig());
  ASSERT_OK(responder.Receive(TakeOne(intruder)));
  ASSERT_OK(intruder.Receive(TakeOne(responder)));
  EXPECT_CODE(responder.Receive(TakeOne(intruder)), kUnknownPeer);
  ASSERT_TRUE(responder.unknown_peer_key().has_value());
  EXPECT_EQ(*responder.unknown_peer_key(), third.public_key);
  ExpectClosed(responder);
}

TEST_F(SessionTest, EveryFlippedBitOfMessages2And3FailsAuthentication) {
  for (int which : {2, 3}) {
    // Learn the message size once, then flip each bit of it in a fresh handshake.
    size_t size = 0;
    {
      Session initiator = Start(InitiatorConfig());
      Session responder = Start(ResponderConfig());
      ASSERT_OK(responder.Receive(TakeOne(initiator)));
      Bytes message2 = TakeOne(responder);
      ASSERT_OK(initiator.Receive(message2));
      size = which == 2 ? message2.size() : TakeOne(initiator).size();
    }
    for (size_t bit = 0; bit < size * 8; ++bit) {
      Session initiator = Start(InitiatorConfig());
      Session responder = Start(ResponderConfig());
      ASSERT_OK(responder.Receive(TakeOne(initiator)));
      if (which == 2) {
        EXPECT_CODE(initiator.Receive(Flip(TakeOne(responder), bit)), kAuthFailed) << "bit " << bit;
        ExpectClosed(initiator);
      } else {
        ASSERT_OK(initiator.Receive(TakeOne(responder)));
        EXPECT_CODE(responder.Receive(Flip(TakeOne(initiator), bit)), kAuthFailed) << "bit " << bit;
        ExpectClosed(responder);
      }
    }
  }
}

TEST_F(SessionTest, TamperedMessage1FailsAtTheInitiator) {
  // Message 1 is a bare ephemeral key: the responder cannot tell, but both hashes now differ, so
  // the initiator cannot open message 2.
  for (size_t bit : {size_t{0}, size_t{100}, size_t{255}}) {
    Session initiator = Start(InitiatorConfig());
    Session responder = Start(ResponderConfig());
    ASSERT_OK(responder.Receive(Flip(TakeOne(initiator), bit)));
    EXPECT_CODE(initiator.Receive(TakeOne(responder)), kAuthFailed) << bit;
    ExpectClosed(initiator);
  }
}

TEST_F(SessionTest, TruncatedOrOversizedHandshakeMessagesFail) {
  {
    Session responder = Start(ResponderConfig());
    EXPECT_FALSE(responder.Receive(Bytes(kDhBytes - 1, 0x42)).ok());
    ExpectClosed(responder);
  }
  {
    Session responder = Start(ResponderConfig());
    EXPECT_FALSE(responder.Receive(Bytes()).ok());
    ExpectClosed(responder);
  }
  {
    Session responder = Start(ResponderConfig());
    EXPECT_FALSE(responder.Receive(Bytes(crypto::noise::kMaxMessageBytes + 1, 0x42)).ok());
    ExpectClosed(responder);
  }
  for (size_t cut : {size_t{1}, size_t{16}, size_t{40}}) {
    Session initiator = Start(InitiatorConfig());
    Session responder = Start(ResponderConfig());
    ASSERT_OK(responder.Receive(TakeOne(initiator)));
    Bytes message2 = TakeOne(responder);
    message2.resize(message2.size() - cut);
    EXPECT_CODE(initiator.Receive(message2), kAuthFailed) << cut;
    ExpectClosed(initiator);
  }
  {
    Session initiator = Start(InitiatorConfig());
    Session responder = Start(ResponderConfig());
    ASSERT_OK(responder.Receive(TakeOne(initiator)));
    ASSERT_OK(initiator.Receive(TakeOne(responder)));
    Bytes message3 = TakeOne(initiator);
    message3.pop_back();
    EXPECT_CODE(responder.Receive(message3), kAuthFailed);
    ExpectClosed(responder);
  }
}

TEST_F(SessionTest, HandshakeMessagesReplayedOrOutOfTurnFail) {
  // The initiator is fed its own message 1.
  {
    Session initiator = Start(InitiatorConfig());
    Bytes message1 = TakeOne(initiator);
    EXPECT_FALSE(initiator.Receive(message1).ok());
    ExpectClosed(initiator);
  }
  // The responder is fed message 1 twice.
  {
    Session initiator = Start(InitiatorConfig());
    Session responder = Start(ResponderConfig());
    Bytes message1 = TakeOne(initiator);
    ASSERT_OK(responder.Receive(message1));
    EXPECT_FALSE(responder.Receive(message1).ok());
    ExpectClosed(responder);
  }
  // A message 2 from another handshake.
  {
    Session other_initiator = Start(InitiatorConfig());
    Session other_responder = Start(ResponderConfig());
    ASSERT_OK(other_responder.Receive(TakeOne(other_initiator)));
    const Bytes old_message2 = TakeOne(other_responder);

    Session initiator = Start(InitiatorConfig());
    Session responder = Start(ResponderConfig());
    ASSERT_OK(responder.Receive(TakeOne(initiator)));
    EXPECT_CODE(initiator.Receive(old_message2), kAuthFailed);
    ExpectClosed(initiator);
  }
  // A message 3 from another handshake.
  {
    Session other_initiator = Start(InitiatorConfig());
    Session other_responder = Start(ResponderConfig());
    ASSERT_OK(other_responder.Receive(TakeOne(other_initiator)));
    ASSERT_OK(other_initiator.Receive(TakeOne(other_responder)));
    const Bytes old_message3 = TakeOne(other_initiator);

    Session initiator = Start(InitiatorConfig());
    Session responder = Start(ResponderConfig());
    ASSERT_OK(responder.Receive(TakeOne(initiator)));
    ASSERT_OK(initiator.Receive(TakeOne(responder)));
    EXPECT_CODE(responder.Receive(old_message3), kAuthFailed);
    ExpectClosed(responder);
  }
}

TEST_F(SessionTest, SendBeforeEstablishedIsACallerError) {
  Session initiator = Start(InitiatorConfig());
  Session responder = Start(ResponderConfig());
  EXPECT_CODE(initiator.Send(PingMessage{1}), kInvalidArgument);
  EXPECT_CODE(responder.Send(PingMessage{1}), kInvalidArgument);
  ASSERT_OK(responder.Receive(TakeOne(initiator)));
  // The responder has sent message 2 but is not established before message 3.
  EXPECT_CODE(responder.Send(PingMessage{1}), kInvalidArgument);
  const std::vector<Bytes> queued = responder.TakeOutgoing();
  ASSERT_EQ(queued.size(), 1u);  // message 2 only, no transport frame
  // A caller error does not break the handshake.
  ASSERT_OK(initiator.Receive(queued[0]));
  ASSERT_OK(responder.Receive(TakeOne(initiator)));
  EXPECT_TRUE(responder.established());
}

TEST_F(SessionTest, StartRefusesABadHello) {
  SessionConfig config = InitiatorConfig();
  config.hello.display_name = std::string(kMaxDisplayNameBytes + 1, 'x');
  EXPECT_CODE(Session::Start(std::move(config)), kInvalidArgument);
  config = ResponderConfig();
  config.hello.protocol_version = 0;
  EXPECT_CODE(Session::Start(std::move(config)), kInvalidArgument);
  config = InitiatorConfig();
  config.hello.display_name = "\xc3";
  EXPECT_CODE(Session::Start(std::move(config)), kInvalidArgument);
}

TEST_F(SessionTest, StartRefusesAMissingStaticKey) {
  SessionConfig config = InitiatorConfig();
  config.local_static = crypto::X25519KeyPair{};
  EXPECT_FALSE(Session::Start(std::move(config)).ok());
}

// A Noise peer built directly on crypto::noise, to send what a Session never would.
class RawPeerTest : public SessionTest {
 protected:
  crypto::noise::HandshakeState Raw(crypto::noise::Role role, const crypto::X25519KeyPair& keys,
                                    std::string_view prologue = kProtocolName) {
    crypto::noise::HandshakeOptions options;
    options.role = role;
    options.protocol_name = std::string(kNoiseProtocolName);
    options.prologue = Bytes(prologue.begin(), prologue.end());
    options.local_static = crypto::CopyKeyPair(keys);
    Result<crypto::noise::HandshakeState> state =
        crypto::noise::HandshakeState::Create(std::move(options));
    EXPECT_TRUE(state.ok()) << state.status().detail();
    return std::move(state).value();
  }

  static Bytes Write(crypto::noise::HandshakeState& state, ByteSpan payload) {
    Result<Bytes> message = state.WriteMessage(payload);
    EXPECT_TRUE(message.ok()) << message.status().detail();
    return message.ok() ? std::move(*message) : Bytes();
  }

  static Bytes Hello(const HelloMessage& hello) {
    Result<Bytes> bytes = EncodeHello(hello);
    EXPECT_TRUE(bytes.ok());
    return bytes.ok() ? std::move(*bytes) : Bytes();
  }
};

TEST_F(RawPeerTest, InteroperatesWithPlainNoiseXXAndTheAttunePrologue) {
  // Pins the protocol name and prologue: a plain Noise_XX_25519_ChaChaPoly_BLAKE2b initiator with
  // prologue "attune/1" completes the handshake and exchanges transport messages.
  crypto::noise::HandshakeState raw = Raw(crypto::noise::Role::kInitiator, initiator_keys_);
  Session responder = Start(ResponderConfig());
  ASSERT_OK(responder.Receive(Write(raw, {})));
  ASSERT_OK_AND_ASSIGN(crypto::SecureBytes payload2, raw.ReadMessage(TakeOne(responder)));
  ASSERT_OK_AND_ASSIGN(HelloMessage hello2, DecodeHello(payload2.span()));
  EXPECT_EQ(hello2.serve_port, responder_hello_.serve_port);
  ASSERT_OK(responder.Receive(Write(raw, Hello(initiator_hello_))));
  ASSERT_TRUE(responder.established());
  ASSERT_EQ(raw.next_step(), crypto::noise::HandshakeStep::kFinished);
  ASSERT_OK_AND_ASSIGN(crypto::noise::TransportSession transport, std::move(raw).Finish());

  ASSERT_OK_AND_ASSIGN(Bytes ping, EncodeEnvelope(PingMessage{99}));
  ASSERT_OK_AND_ASSIGN(Bytes sealed, transport.Encrypt(ping));
  ASSERT_OK(responder.Receive(sealed));
  std::vector<Message> got = responder.TakeIncoming();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], Message(PingMessage{99}));

  const Bytes pong = SendOne(responder, PongMessage{99});
  ASSERT_OK_AND_ASSIGN(crypto::SecureBytes pong_plain, transport.Decrypt(pong));
  ASSERT_OK_AND_ASSIGN(Message decoded, DecodeEnvelope(pong_plain.span()));
  EXPECT_EQ(decoded, Message(PongMessage{99}));
}

TEST_F(RawPeerTest, AnotherPrologueFails) {
  for (std::string_view prologue : {std::string_view(""), std::string_view("attune/2")}) {
    crypto::noise::HandshakeState raw =
        Raw(crypto::noise::Role::kInitiator, initiator_keys_, prologue);
    Session responder = Start(ResponderConfig());
    ASSERT_OK(responder.Receive(Write(raw, {})));
    EXPECT_CODE(raw.ReadMessage(TakeOne(responder)), kAuthFailed) << prologue;
  }
}

TEST_F(RawPeerTest, PayloadInMessage1IsRefused) {
  crypto::noise::HandshakeState raw = Raw(crypto::noise::Role::kInitiator, initiator_keys_);
  Session responder = Start(ResponderConfig());
  const Bytes message1 = Write(raw, Hello(initiator_hello_));
  EXPECT_GT(message1.size(), kDhBytes);
  EXPECT_FALSE(responder.Receive(message1).ok());
  ExpectClosed(responder);
}

TEST_F(RawPeerTest, NewerProtocolInMessage2IsUnsupported) {
  Session initiator = Start(InitiatorConfig());
  crypto::noise::HandshakeState raw = Raw(crypto::noise::Role::kResponder, responder_keys_);
  ASSERT_OK(raw.ReadMessage(TakeOne(initiator)).status());
  EXPECT_CODE(initiator.Receive(Write(raw, Hello({kProtocolVersion + 1, "", 1}))), kUnsupported);
  ExpectClosed(initiator);
}

TEST_F(RawPeerTest, NewerProtocolInMessage3IsUnsupported) {
  crypto::noise::HandshakeState raw = Raw(crypto::noise::Role::kInitiator, initiator_keys_);
  Session responder = Start(ResponderConfig());
  ASSERT_OK(responder.Receive(Write(raw, {})));
  ASSERT_OK(raw.ReadMessage(TakeOne(responder)).status());
  EXPECT_CODE(responder.Receive(Write(raw, Hello({kProtocolVersion + 1, "Alice", 1}))),
              kUnsupported);
  ExpectClosed(responder);
}

TEST_F(RawPeerTest, MalformedOrMissingHelloIsCorruption) {
  const std::vector<Bytes> bad_payloads = {Bytes(), Bytes{0xff, 0xff, 0xff}, Bytes{0x08, 0x00},
                                           Bytes{0x12, 0x01, 0xff, 0x08, 0x01}};
  for (size_t i = 0; i < bad_payloads.size(); ++i) {
    Session initiator = Start(InitiatorConfig());
    crypto::noise::HandshakeState raw = Raw(crypto::noise::Role::kResponder, responder_keys_);
    ASSERT_OK(raw.ReadMessage(TakeOne(initiator)).status());
    EXPECT_CODE(initiator.Receive(Write(raw, bad_payloads[i])), kCorruption) << i;
    ExpectClosed(initiator);
  }
  for (size_t i = 0; i < bad_payloads.size(); ++i) {
    crypto::noise::HandshakeState raw = Raw(crypto::noise::Role::kInitiator, initiator_keys_);
    Session responder = Start(ResponderConfig());
    ASSERT_OK(responder.Receive(Write(raw, {})));
    ASSERT_OK(raw.ReadMessage(TakeOne(responder)).status());
    EXPECT_CODE(responder.Receive(Write(raw, bad_payloads[i])), kCorruption) << i;
    ExpectClosed(responder);
  }
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

TEST_F(SessionTest, DeterministicWithFixedKeys) {
  initiator_keys_ = FixedKeyPair(0x11);
  responder_keys_ = FixedKeyPair(0x22);
  auto run = [this](bool fixed_ephemerals) {
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
    pass(responder, initiator);
    pass(initiator, responder);
    EXPECT_TRUE(initiator.established());
    EXPECT_TRUE(responder.established());
    EXPECT_OK(initiator.Send(PingMessage{1}));
    EXPECT_OK(initiator.Send(GoodbyeMessage{}));
    pass(initiator, responder);
    EXPECT_OK(responder.Send(PongMessage{1}));
    pass(responder, initiator);
    EXPECT_EQ(frames.size(), 6u);
    return frames;
  };
  const std::vector<Bytes> first = run(true);
  const std::vector<Bytes> second = run(true);
  EXPECT_EQ(first, second);
  // The fixed ephemeral is what message 1 carries.
  ASSERT_FALSE(first.empty());
  const crypto::X25519KeyPair ephemeral = FixedKeyPair(0x33);
  EXPECT_EQ(first[0], Bytes(ephemeral.public_key.begin(), ephemeral.public_key.end()));

  // Without the test hook, ephemerals are fresh: every frame differs between runs.
  const std::vector<Bytes> third = run(false);
  const std::vector<Bytes> fourth = run(false);
  ASSERT_EQ(third.size(), fourth.size());
  for (size_t i = 0; i < third.size(); ++i) EXPECT_NE(third[i], fourth[i]) << i;
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

}  // namespace
}  // namespace attune::protocol
