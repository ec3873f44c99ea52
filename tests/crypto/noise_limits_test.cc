// Noise edges: message size limits, low-order keys, one-way sessions,
// transport tampering and rekeying, option checks, ephemeral injection.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "base/bytes.h"
#include "crypto/noise.h"

namespace attune::crypto::noise {
namespace {

constexpr char kNN[] = "Noise_NN_25519_ChaChaPoly_SHA256";
constexpr char kNK[] = "Noise_NK_25519_ChaChaPoly_SHA256";
constexpr char kKK[] = "Noise_KK_25519_ChaChaPoly_BLAKE2b";
constexpr char kXX[] = "Noise_XX_25519_ChaChaPoly_SHA512";
constexpr char kN[] = "Noise_N_25519_ChaChaPoly_BLAKE2b";

HandshakeOptions Options(Role role, std::string name) {
  HandshakeOptions options;
  options.role = role;
  options.protocol_name = std::move(name);
  return options;
}

HandshakeState Create(HandshakeOptions options) {
  Result<HandshakeState> state = HandshakeState::Create(std::move(options));
  EXPECT_TRUE(state.ok()) << state.status().detail();
  return std::move(state).value();
}

Bytes Pass(HandshakeState& writer, HandshakeState& reader, ByteSpan payload = {}) {
  Result<Bytes> message = writer.WriteMessage(payload);
  EXPECT_TRUE(message.ok()) << message.status().detail();
  if (!message.ok()) return {};
  Result<SecureBytes> read = reader.ReadMessage(*message);
  EXPECT_TRUE(read.ok()) << read.status().detail();
  return *message;
}

struct Sessions {
  TransportSession initiator;
  TransportSession responder;
};

Sessions FinishedNN() {
  HandshakeState initiator = Create(Options(Role::kInitiator, kNN));
  HandshakeState responder = Create(Options(Role::kResponder, kNN));
  Pass(initiator, responder);
  Pass(responder, initiator);
  return {std::move(initiator).Finish().value(), std::move(responder).Finish().value()};
}

TEST(NoiseLimitsTest, HandshakeMessagesAreCappedAt65535Bytes) {
  HandshakeState initiator = Create(Options(Role::kInitiator, kNN));
  HandshakeState responder = Create(Options(Role::kResponder, kNN));
  // NN message 1 is e (32 bytes) + the payload in clear.
  Result<Bytes> too_long = initiator.WriteMessage(Bytes(kMaxMessageBytes - 32 + 1));
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(initiator.next_step(), HandshakeStep::kWrite);  // refused before mixing anything
  EXPECT_EQ(Pass(initiator, responder, Bytes(kMaxMessageBytes - 32)).size(), kMaxMessageBytes);
  // Message 2 is e + an encrypted payload: 32 + payload + 16.
  EXPECT_FALSE(responder.WriteMessage(Bytes(kMaxMessageBytes - 48 + 1)).ok());
  EXPECT_EQ(Pass(responder, initiator, Bytes(kMaxMessageBytes - 48)).size(), kMaxMessageBytes);
}

TEST(NoiseLimitsTest, OversizedIncomingHandshakeMessageIsRejected) {
  HandshakeState responder = Create(Options(Role::kResponder, kNN));
  Result<SecureBytes> read = responder.ReadMessage(Bytes(kMaxMessageBytes + 1));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(responder.next_step(), HandshakeStep::kFailed);
}

TEST(NoiseLimitsTest, TransportMessagesAreCappedAt65535Bytes) {
  Sessions sessions = FinishedNN();
  Result<Bytes> too_long = sessions.initiator.Encrypt(Bytes(kMaxMessageBytes - 16 + 1));
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(sessions.initiator.sending_nonce(), 0u);
  Result<Bytes> largest = sessions.initiator.Encrypt(Bytes(kMaxMessageBytes - 16));
  ASSERT_TRUE(largest.ok());
  EXPECT_EQ(largest->size(), kMaxMessageBytes);
  EXPECT_TRUE(sessions.responder.Decrypt(*largest).ok());
  Result<SecureBytes> oversized = sessions.responder.Decrypt(Bytes(kMaxMessageBytes + 1));
  ASSERT_FALSE(oversized.ok());
  EXPECT_EQ(oversized.status().code(), StatusCode::kInvalidArgument);
}

TEST(NoiseLimitsTest, AllZeroRemoteEphemeralIsRejectedWhenRead) {
  // NK message 1 is e, es: the responder's es DH uses the received e at once.
  X25519KeyPair server = GenerateX25519KeyPair();
  HandshakeOptions initiator_options = Options(Role::kInitiator, kNK);
  initiator_options.remote_static = server.public_key;
  HandshakeOptions responder_options = Options(Role::kResponder, kNK);
  responder_options.local_static = std::move(server);
  HandshakeState initiator = Create(std::move(initiator_options));
  HandshakeState responder = Create(std::move(responder_options));
  Bytes message = *initiator.WriteMessage({});
  std::fill(message.begin(), message.begin() + kX25519PublicBytes, 0);
  Result<SecureBytes> read = responder.ReadMessage(message);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), StatusCode::kAuthFailed);
  EXPECT_EQ(responder.next_step(), HandshakeStep::kFailed);
}

TEST(NoiseLimitsTest, AllZeroRemoteEphemeralIsRejectedAtTheNextDh) {
  // NN message 1 is only e, so the zero key surfaces when the responder's ee runs.
  HandshakeState responder = Create(Options(Role::kResponder, kNN));
  ASSERT_TRUE(responder.ReadMessage(Bytes(kX25519PublicBytes)).ok());
  Result<Bytes> reply = responder.WriteMessage({});
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), StatusCode::kAuthFailed);
  EXPECT_EQ(responder.next_step(), HandshakeStep::kFailed);
}

TEST(NoiseLimitsTest, OneWaySessionsSendOnlyFromTheInitiator) {
  X25519KeyPair recipient = GenerateX25519KeyPair();
  HandshakeOptions sender_options = Options(Role::kInitiator, kN);
  sender_options.remote_static = recipient.public_key;
  HandshakeOptions recipient_options = Options(Role::kResponder, kN);
  recipient_options.local_static = std::move(recipient);
  HandshakeState sender = Create(std::move(sender_options));
  HandshakeState receiver = Create(std::move(recipient_options));
  Pass(sender, receiver, AsBytes("sealed note"));
  TransportSession from = std::move(sender).Finish().value();
  TransportSession to = std::move(receiver).Finish().value();
  EXPECT_TRUE(from.CanSend());
  EXPECT_FALSE(from.CanReceive());
  EXPECT_FALSE(to.CanSend());
  EXPECT_TRUE(to.CanReceive());
  Result<Bytes> sealed = from.Encrypt(AsBytes("later"));
  ASSERT_TRUE(sealed.ok());
  EXPECT_TRUE(to.Decrypt(*sealed).ok());
  EXPECT_EQ(to.Encrypt(AsBytes("reply")).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(from.Decrypt(*sealed).status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(to.RekeyOutgoing().ok());
}

TEST(NoiseLimitsTest, TamperedTransportMessageFailsWithoutAdvancing) {
  Sessions sessions = FinishedNN();
  Bytes sealed = *sessions.initiator.Encrypt(AsBytes("entry"));
  Bytes tampered = sealed;
  tampered[0] ^= 0x01;
  EXPECT_EQ(sessions.responder.Decrypt(tampered).status().code(), StatusCode::kAuthFailed);
  EXPECT_EQ(sessions.responder.receiving_nonce(), 0u);
  EXPECT_TRUE(sessions.responder.Decrypt(sealed).ok());
  // Replaying it is out of order now.
  EXPECT_EQ(sessions.responder.Decrypt(sealed).status().code(), StatusCode::kAuthFailed);
}

TEST(NoiseLimitsTest, RekeyMustBeMatchedOnBothSides) {
  Sessions sessions = FinishedNN();
  ASSERT_TRUE(sessions.initiator.RekeyOutgoing().ok());
  Bytes after_rekey = *sessions.initiator.Encrypt(AsBytes("x"));
  EXPECT_FALSE(sessions.responder.Decrypt(after_rekey).ok());
  ASSERT_TRUE(sessions.responder.RekeyIncoming().ok());
  EXPECT_TRUE(sessions.responder.Decrypt(after_rekey).ok());
  // The other direction kept its key.
  Bytes reply = *sessions.responder.Encrypt(AsBytes("y"));
  EXPECT_TRUE(sessions.initiator.Decrypt(reply).ok());
}

TEST(NoiseLimitsTest, OptionsMustMatchThePattern) {
  auto code_of = [](HandshakeOptions options) {
    return HandshakeState::Create(std::move(options)).status().code();
  };
  HandshakeOptions xx_without_static = Options(Role::kInitiator, kXX);
  EXPECT_EQ(code_of(std::move(xx_without_static)), StatusCode::kInvalidArgument);
  HandshakeOptions xx_with_remote = Options(Role::kInitiator, kXX);
  xx_with_remote.local_static = GenerateX25519KeyPair();
  xx_with_remote.remote_static = GenerateX25519KeyPair().public_key;
  EXPECT_EQ(code_of(std::move(xx_with_remote)), StatusCode::kInvalidArgument);
  HandshakeOptions nk_without_remote = Options(Role::kInitiator, kNK);
  EXPECT_EQ(code_of(std::move(nk_without_remote)), StatusCode::kInvalidArgument);
  HandshakeOptions nn_with_static = Options(Role::kResponder, kNN);
  nn_with_static.local_static = GenerateX25519KeyPair();
  EXPECT_EQ(code_of(std::move(nn_with_static)), StatusCode::kInvalidArgument);
  HandshakeOptions kk_responder = Options(Role::kResponder, kKK);
  kk_responder.local_static = GenerateX25519KeyPair();
  EXPECT_EQ(code_of(std::move(kk_responder)), StatusCode::kInvalidArgument);  // needs remote
  HandshakeOptions inconsistent = Options(Role::kInitiator, kXX);
  inconsistent.local_static = GenerateX25519KeyPair();
  inconsistent.local_static->public_key[0] ^= 1;
  EXPECT_EQ(code_of(std::move(inconsistent)), StatusCode::kInvalidArgument);
  EXPECT_EQ(code_of(Options(Role::kInitiator, "Noise_XXpsk3_25519_ChaChaPoly_SHA256")),
            StatusCode::kUnsupported);
  EXPECT_EQ(code_of(Options(Role::kInitiator, "not noise")), StatusCode::kInvalidArgument);
}

Bytes FirstMessage(std::optional<X25519KeyPair> ephemeral) {
  HandshakeOptions options = Options(Role::kInitiator, kNN);
  options.fixed_ephemeral_for_testing = std::move(ephemeral);
  return Create(std::move(options)).WriteMessage({}).value();
}

TEST(NoiseLimitsTest, EphemeralsAreFreshUnlessFixedForTesting) {
  X25519KeyPair fixed = GenerateX25519KeyPair();
  Bytes with_fixed = FirstMessage(CopyKeyPair(fixed));
  EXPECT_EQ(with_fixed, Bytes(fixed.public_key.begin(), fixed.public_key.end()));
  EXPECT_EQ(FirstMessage(CopyKeyPair(fixed)), with_fixed);
  EXPECT_NE(FirstMessage(std::nullopt), FirstMessage(std::nullopt));
}

}  // namespace
}  // namespace attune::crypto::noise
