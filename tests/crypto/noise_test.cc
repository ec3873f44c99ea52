// HandshakeState and TransportSession behaviour beyond the vectors: turn
// order, poisoning, size limits, low-order keys, one-way sessions, rekeying
// and option checking.
#include "crypto/noise.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>

#include "base/bytes.h"

namespace attune::crypto::noise {
namespace {

constexpr char kNN[] = "Noise_NN_25519_ChaChaPoly_BLAKE2b";
constexpr char kXX[] = "Noise_XX_25519_ChaChaPoly_BLAKE2b";
constexpr char kIK[] = "Noise_IK_25519_ChaChaPoly_SHA512";

Bytes Copy(const SecureBytes& secret) {
  return Bytes(secret.span().begin(), secret.span().end());
}

Bytes BytesOf(std::string_view text) {
  return Bytes(AsBytes(text).begin(), AsBytes(text).end());
}

HandshakeOptions Options(Role role, std::string name) {
  HandshakeOptions options;
  options.role = role;
  options.protocol_name = std::move(name);
  options.prologue = BytesOf("attune test");
  return options;
}

HandshakeState Create(HandshakeOptions options) {
  Result<HandshakeState> state = HandshakeState::Create(std::move(options));
  EXPECT_TRUE(state.ok()) << state.status().detail();
  return std::move(state).value();
}

// Passes one message from `writer` to `reader`, expecting success.
void Exchange(HandshakeState& writer, HandshakeState& reader, std::string_view payload) {
  ASSERT_EQ(writer.next_step(), HandshakeStep::kWrite);
  ASSERT_EQ(reader.next_step(), HandshakeStep::kRead);
  Result<Bytes> message = writer.WriteMessage(AsBytes(payload));
  ASSERT_TRUE(message.ok()) << message.status().detail();
  Result<SecureBytes> read = reader.ReadMessage(*message);
  ASSERT_TRUE(read.ok()) << read.status().detail();
  EXPECT_EQ(Copy(*read), BytesOf(payload));
}

void ExpectTransport(TransportSession& sender, TransportSession& receiver, std::string_view text) {
  Result<Bytes> sealed = sender.Encrypt(AsBytes(text));
  ASSERT_TRUE(sealed.ok()) << sealed.status().detail();
  EXPECT_EQ(sealed->size(), text.size() + kCipherTagBytes);
  Result<SecureBytes> opened = receiver.Decrypt(*sealed);
  ASSERT_TRUE(opened.ok()) << opened.status().detail();
  EXPECT_EQ(Copy(*opened), BytesOf(text));
}

TEST(NoiseHandshakeTest, XXWithFreshKeysAuthenticatesBothSides) {
  X25519KeyPair alice = GenerateX25519KeyPair();
  X25519KeyPair bob = GenerateX25519KeyPair();
  HandshakeOptions initiator_options = Options(Role::kInitiator, kXX);
  initiator_options.local_static = CopyKeyPair(alice);
  HandshakeOptions responder_options = Options(Role::kResponder, kXX);
  responder_options.local_static = CopyKeyPair(bob);
  HandshakeState initiator = Create(std::move(initiator_options));
  HandshakeState responder = Create(std::move(responder_options));

  Exchange(initiator, responder, "one");
  EXPECT_FALSE(initiator.remote_static().has_value());
  Exchange(responder, initiator, "two");
  EXPECT_EQ(initiator.remote_static(), bob.public_key);
  Exchange(initiator, responder, "three");
  EXPECT_EQ(responder.remote_static(), alice.public_key);
  ASSERT_EQ(initiator.next_step(), HandshakeStep::kFinished);
  ASSERT_EQ(responder.next_step(), HandshakeStep::kFinished);
  EXPECT_EQ(initiator.handshake_hash().size(), 64u);
  EXPECT_TRUE(std::equal(initiator.handshake_hash().begin(), initiator.handshake_hash().end(),
                         responder.handshake_hash().begin(), responder.handshake_hash().end()));

  Result<TransportSession> a = std::move(initiator).Finish();
  Result<TransportSession> b = std::move(responder).Finish();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->remote_static(), bob.public_key);
  EXPECT_EQ(b->remote_static(), alice.public_key);
  EXPECT_EQ(Bytes(a->handshake_hash().begin(), a->handshake_hash().end()),
            Bytes(b->handshake_hash().begin(), b->handshake_hash().end()));
  ExpectTransport(*a, *b, "to bob");
  ExpectTransport(*b, *a, "to alice");
  ExpectTransport(*a, *b, "again");
  EXPECT_EQ(a->sending_nonce(), 2u);
  EXPECT_EQ(a->receiving_nonce(), 1u);
}

TEST(NoiseHandshakeTest, IKResponderLearnsThePinnedInitiatorInTheFirstMessage) {
  X25519KeyPair alice = GenerateX25519KeyPair();
  X25519KeyPair bob = GenerateX25519KeyPair();
  HandshakeOptions initiator_options = Options(Role::kInitiator, kIK);
  initiator_options.local_static = CopyKeyPair(alice);
  initiator_options.remote_static = bob.public_key;
  HandshakeOptions responder_options = Options(Role::kResponder, kIK);
  responder_options.local_static = CopyKeyPair(bob);
  HandshakeState initiator = Create(std::move(initiator_options));
  HandshakeState responder = Create(std::move(responder_options));
  EXPECT_EQ(initiator.remote_static(), bob.public_key);
  Exchange(initiator, responder, "");
  EXPECT_EQ(responder.remote_static(), alice.public_key);
  Exchange(responder, initiator, "");
  EXPECT_EQ(initiator.next_step(), HandshakeStep::kFinished);
}

TEST(NoiseHandshakeTest, WrongTurnToWriteIsRefusedWithoutHarm) {
  HandshakeState initiator = Create(Options(Role::kInitiator, kNN));
  HandshakeState responder = Create(Options(Role::kResponder, kNN));
  Result<Bytes> early = responder.WriteMessage(AsBytes("too soon"));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(responder.next_step(), HandshakeStep::kRead);
  Exchange(initiator, responder, "fine");
  Result<Bytes> twice = initiator.WriteMessage(AsBytes("again"));
  EXPECT_FALSE(twice.ok());
  Exchange(responder, initiator, "still fine");
}

TEST(NoiseHandshakeTest, WrongTurnToReadKillsTheHandshake) {
  HandshakeState initiator = Create(Options(Role::kInitiator, kNN));
  HandshakeState responder = Create(Options(Role::kResponder, kNN));
  Result<Bytes> message = responder.WriteMessage({});  // refused: not its turn
  EXPECT_FALSE(message.ok());
  Result<SecureBytes> read = initiator.ReadMessage(Bytes(48));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(initiator.next_step(), HandshakeStep::kFailed);
  EXPECT_FALSE(initiator.WriteMessage({}).ok());
}

TEST(NoiseHandshakeTest, NothingMoreAfterFinishing) {
  HandshakeState initiator = Create(Options(Role::kInitiator, kNN));
  HandshakeState responder = Create(Options(Role::kResponder, kNN));
  Exchange(initiator, responder, "a");
  Exchange(responder, initiator, "b");
  EXPECT_FALSE(initiator.WriteMessage(AsBytes("c")).ok());
  EXPECT_EQ(initiator.next_step(), HandshakeStep::kFinished);
  EXPECT_TRUE(std::move(initiator).Finish().ok());
  // Reading after the end is a protocol violation: the handshake is dropped.
  Result<SecureBytes> read = responder.ReadMessage(Bytes(48));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(responder.next_step(), HandshakeStep::kFailed);
  EXPECT_FALSE(std::move(responder).Finish().ok());
}

TEST(NoiseHandshakeTest, FinishBeforeTheEndIsRefusedAndLeavesTheHandshakeUsable) {
  HandshakeState initiator = Create(Options(Role::kInitiator, kNN));
  HandshakeState responder = Create(Options(Role::kResponder, kNN));
  Result<TransportSession> early = std::move(initiator).Finish();
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.status().code(), StatusCode::kInvalidArgument);
  Exchange(initiator, responder, "a");  // NOLINT(bugprone-use-after-move): Finish failed
  Exchange(responder, initiator, "b");
}

struct AwaitingMessage {
  HandshakeState reader;
  Bytes message;
};

// An XX initiator after message 1, and the responder's message 2 (e, ee, s, es, payload).
AwaitingMessage XXInitiatorAwaitingSecondMessage() {
  HandshakeOptions initiator_options = Options(Role::kInitiator, kXX);
  initiator_options.local_static = GenerateX25519KeyPair();
  HandshakeOptions responder_options = Options(Role::kResponder, kXX);
  responder_options.local_static = GenerateX25519KeyPair();
  HandshakeState initiator = Create(std::move(initiator_options));
  HandshakeState responder = Create(std::move(responder_options));
  Exchange(initiator, responder, "hello");
  Bytes message = responder.WriteMessage(AsBytes("secret payload")).value();
  return {std::move(initiator), std::move(message)};
}

TEST(NoiseHandshakeTest, TamperedMessageFailsAndPoisons) {
  // Byte 0: the ephemeral key (changes ee); 40: the encrypted static; last: the payload tag.
  for (int index : {0, 40, -1}) {
    AwaitingMessage awaiting = XXInitiatorAwaitingSecondMessage();
    Bytes tampered = awaiting.message;
    tampered[index < 0 ? tampered.size() - 1 : static_cast<size_t>(index)] ^= 0x80;
    Result<SecureBytes> read = awaiting.reader.ReadMessage(tampered);
    ASSERT_FALSE(read.ok()) << index;
    EXPECT_EQ(read.status().code(), StatusCode::kAuthFailed) << index;
    EXPECT_EQ(awaiting.reader.next_step(), HandshakeStep::kFailed);
    EXPECT_TRUE(awaiting.reader.handshake_hash().empty());
    EXPECT_FALSE(awaiting.reader.remote_static().has_value());
    // No retry, not even with the genuine message.
    EXPECT_FALSE(awaiting.reader.ReadMessage(awaiting.message).ok());
    EXPECT_FALSE(std::move(awaiting.reader).Finish().ok());
  }
}

TEST(NoiseHandshakeTest, GenuineSecondMessageIsAccepted) {
  AwaitingMessage awaiting = XXInitiatorAwaitingSecondMessage();
  Result<SecureBytes> read = awaiting.reader.ReadMessage(awaiting.message);
  ASSERT_TRUE(read.ok()) << read.status().detail();
  EXPECT_EQ(Copy(*read), BytesOf("secret payload"));
}

TEST(NoiseHandshakeTest, TamperedPayloadTagFailsToo) {
  HandshakeState initiator = Create(Options(Role::kInitiator, kNN));
  HandshakeState responder = Create(Options(Role::kResponder, kNN));
  Exchange(initiator, responder, "a");
  Bytes message = *responder.WriteMessage(AsBytes("b"));
  message.back() ^= 0x01;
  Result<SecureBytes> read = initiator.ReadMessage(message);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), StatusCode::kAuthFailed);
  EXPECT_EQ(initiator.next_step(), HandshakeStep::kFailed);
}

TEST(NoiseHandshakeTest, TruncatedMessageIsCorruptAndPoisons) {
  HandshakeState initiator = Create(Options(Role::kInitiator, kNN));
  HandshakeState responder = Create(Options(Role::kResponder, kNN));
  Bytes message = *initiator.WriteMessage({});
  message.resize(31);
  Result<SecureBytes> read = responder.ReadMessage(message);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(responder.next_step(), HandshakeStep::kFailed);
}

TEST(NoiseHandshakeTest, MismatchedProloguesFailAtTheFirstEncryptedPayload) {
  HandshakeOptions other = Options(Role::kResponder, kNN);
  other.prologue = BytesOf("something else");
  HandshakeState initiator = Create(Options(Role::kInitiator, kNN));
  HandshakeState responder = Create(std::move(other));
  Exchange(initiator, responder, "clear");
  Bytes message = *responder.WriteMessage(AsBytes("sealed"));
  EXPECT_EQ(initiator.ReadMessage(message).status().code(), StatusCode::kAuthFailed);
}

}  // namespace
}  // namespace attune::crypto::noise
