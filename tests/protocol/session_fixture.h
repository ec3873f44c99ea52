// The partner session (protocol/session.h) driven in memory, for session_test.cc (the KK
// handshake and its admission) and session_transport_test.cc (the established session): frames
// are taken from one side's outgoing queue and fed to the other, tampered with, dropped,
// replayed or reordered on the way.
#ifndef ATTUNE_TESTS_PROTOCOL_SESSION_FIXTURE_H_
#define ATTUNE_TESTS_PROTOCOL_SESSION_FIXTURE_H_

#include <gtest/gtest.h>

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/noise.h"
#include "crypto/x25519.h"
#include "protocol/session.h"
#include "tests/common/status_assertions.h"

namespace attune::protocol {

inline constexpr size_t kDhBytes = 32;   // an X25519 public key in the clear
inline constexpr size_t kTagBytes = 16;  // a ChaChaPoly tag

inline crypto::X25519KeyPair FixedKeyPair(uint8_t fill) {
  Result<crypto::X25519KeyPair> pair =
      crypto::X25519KeyPairFromSecret(crypto::SecureBytes::CopyOf(Bytes(32, fill)));
  EXPECT_TRUE(pair.ok());
  return std::move(pair).value();
}

inline size_t HelloSize(const HelloMessage& hello) {
  Result<Bytes> encoded = EncodeHello(hello);
  EXPECT_TRUE(encoded.ok());
  return encoded.ok() ? encoded->size() : 0;
}

inline Bytes Flip(Bytes bytes, size_t bit) {
  bytes[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
  return bytes;
}

class SessionTest : public ::testing::Test {
 protected:
  static constexpr uint64_t kCounter = 1'767'225'600'000;

  crypto::X25519KeyPair initiator_keys_ = crypto::GenerateX25519KeyPair();
  crypto::X25519KeyPair responder_keys_ = crypto::GenerateX25519KeyPair();
  HelloMessage initiator_hello_{kLinkProtocolVersion, 4100, true};
  HelloMessage responder_hello_{kLinkProtocolVersion, 4200};
  uint64_t counter_ = kCounter;

  SessionConfig InitiatorConfig() {
    SessionConfig config;
    config.role = SessionRole::kInitiator;
    config.local_static = crypto::CopyKeyPair(initiator_keys_);
    config.pinned_partner = responder_keys_.public_key;
    config.hello = initiator_hello_;
    config.handshake_counter = counter_++;
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

  // The responder reads message 1 and, its counter admitted, answers.
  static void ReadAndAdmit(Session& responder, ByteSpan message1) {
    ASSERT_OK(responder.Receive(message1));
    ASSERT_EQ(responder.state(), SessionState::kAwaitingAdmission);
    ASSERT_OK(responder.Admit());
  }

  // Runs the handshake to completion; both sides end established.
  static void Handshake(Session& initiator, Session& responder) {
    ASSERT_NO_FATAL_FAILURE(ReadAndAdmit(responder, TakeOne(initiator)));
    ASSERT_OK(initiator.Receive(TakeOne(responder)));
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

// A Noise peer built directly on crypto::noise, to send what a Session never would.
class RawPeerTest : public SessionTest {
 protected:
  crypto::noise::HandshakeState Raw(crypto::noise::Role role, const crypto::X25519KeyPair& keys,
                                    const crypto::X25519PublicKey& remote,
                                    std::string_view prologue = kLinkProtocolName,
                                    std::string_view name = kNoiseProtocolName) {
    crypto::noise::HandshakeOptions options;
    options.role = role;
    options.protocol_name = std::string(name);
    options.prologue = Bytes(prologue.begin(), prologue.end());
    options.local_static = crypto::CopyKeyPair(keys);
    options.remote_static = remote;
    Result<crypto::noise::HandshakeState> state =
        crypto::noise::HandshakeState::Create(std::move(options));
    EXPECT_TRUE(state.ok()) << state.status().detail();
    return std::move(state).value();
  }
  crypto::noise::HandshakeState RawInitiator(std::string_view prologue = kLinkProtocolName) {
    return Raw(crypto::noise::Role::kInitiator, initiator_keys_, responder_keys_.public_key,
               prologue);
  }
  crypto::noise::HandshakeState RawResponder() {
    return Raw(crypto::noise::Role::kResponder, responder_keys_, initiator_keys_.public_key);
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

  // An initiator's Hello as attune sends it, with `counter`.
  HelloMessage InitiatorHello(uint64_t counter = kCounter) const {
    HelloMessage hello = initiator_hello_;
    hello.handshake_counter = counter;
    return hello;
  }
};

}  // namespace attune::protocol

#endif  // ATTUNE_TESTS_PROTOCOL_SESSION_FIXTURE_H_
