// The fixed Noise KK setup shared by noise_handshake_fuzz and make_fuzz_seeds: the partner link's
// protocol name and prologue, fixed static and ephemeral keys for both roles (each side knowing
// the other's static key, as pairing leaves them), fixed payloads, and the genuine two-message
// handshake they produce. Because every key is fixed, the genuine
// messages are the same bytes on every run, so the seeds make_fuzz_seeds writes stay valid for
// the fuzz target as long as both are built from this header.
//
// FOR FUZZING ONLY: fixed ephemeral keys destroy forward secrecy.
// Preconditions: crypto::Init() has succeeded.
#ifndef ATTUNE_TESTS_FUZZ_NOISE_FIXTURE_H_
#define ATTUNE_TESTS_FUZZ_NOISE_FIXTURE_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#include "base/bytes.h"
#include "crypto/noise.h"
#include "crypto/secure_bytes.h"
#include "crypto/x25519.h"

namespace attune::fuzz {

// As protocol/session.h uses them (kNoiseProtocolName, kProtocolName); repeated here so the
// crypto-only fuzz target does not link protocol/.
inline constexpr std::string_view kNoiseProtocol = "Noise_KK_25519_ChaChaPoly_BLAKE2b";
inline constexpr std::string_view kPrologue = "attune/2";

// What the first input byte selects in noise_handshake_fuzz (modulo kScenarioCount).
enum Scenario : uint8_t {
  kResponderReadsMessage1 = 0,
  kInitiatorReadsMessage2 = 1,  // after writing message 1
  kScenarioCount = 2,
};

inline void Check(bool condition) {
  if (!condition) std::abort();
}

inline Bytes ToBytes(std::string_view text) {
  return Bytes(text.begin(), text.end());
}

// The key pair whose secret is seed, seed + 1, ..., seed + 31.
inline crypto::X25519KeyPair FixedKey(uint8_t seed) {
  crypto::SecureBytes secret(crypto::kX25519SecretBytes);
  for (size_t i = 0; i < secret.size(); ++i) secret.data()[i] = static_cast<uint8_t>(seed + i);
  Result<crypto::X25519KeyPair> pair = crypto::X25519KeyPairFromSecret(std::move(secret));
  Check(pair.ok());
  return std::move(pair).value();
}

// Copies of key pairs derived once (deriving costs a scalar multiplication per fuzz input).
inline crypto::X25519KeyPair StaticKey(crypto::noise::Role role) {
  static const crypto::X25519KeyPair initiator = FixedKey(0x10);
  static const crypto::X25519KeyPair responder = FixedKey(0x20);
  return crypto::CopyKeyPair(role == crypto::noise::Role::kInitiator ? initiator : responder);
}

inline crypto::X25519KeyPair EphemeralKey(crypto::noise::Role role) {
  static const crypto::X25519KeyPair initiator = FixedKey(0x30);
  static const crypto::X25519KeyPair responder = FixedKey(0x40);
  return crypto::CopyKeyPair(role == crypto::noise::Role::kInitiator ? initiator : responder);
}

// Stand-ins for the Hellos the two messages carry.
inline Bytes Payload(int message) {
  return ToBytes(message == 1 ? "initiator hello" : "responder hello");
}

inline crypto::noise::HandshakeState NewHandshake(crypto::noise::Role role) {
  crypto::noise::HandshakeOptions options;
  options.role = role;
  options.protocol_name = std::string(kNoiseProtocol);
  options.prologue = ToBytes(kPrologue);
  options.local_static = StaticKey(role);
  options.remote_static =
      StaticKey(role == crypto::noise::Role::kInitiator ? crypto::noise::Role::kResponder
                                                        : crypto::noise::Role::kInitiator)
          .public_key;
  options.fixed_ephemeral_for_testing = EphemeralKey(role);
  Result<crypto::noise::HandshakeState> handshake =
      crypto::noise::HandshakeState::Create(std::move(options));
  Check(handshake.ok());
  return std::move(handshake).value();
}

// The genuine handshake between the two fixed parties, and the final handshake hash.
struct Transcript {
  Bytes message1;
  Bytes message2;
  Bytes handshake_hash;
};

inline Bytes WriteOrDie(crypto::noise::HandshakeState& handshake, int message) {
  Result<Bytes> written = handshake.WriteMessage(Payload(message));
  Check(written.ok());
  return std::move(written).value();
}

inline void ReadOrDie(crypto::noise::HandshakeState& handshake, ByteSpan message) {
  Check(handshake.ReadMessage(message).ok());
}

inline Transcript GenuineHandshake() {
  crypto::noise::HandshakeState initiator = NewHandshake(crypto::noise::Role::kInitiator);
  crypto::noise::HandshakeState responder = NewHandshake(crypto::noise::Role::kResponder);
  Transcript transcript;
  transcript.message1 = WriteOrDie(initiator, 1);
  ReadOrDie(responder, transcript.message1);
  transcript.message2 = WriteOrDie(responder, 2);
  ReadOrDie(initiator, transcript.message2);
  ByteSpan hash = responder.handshake_hash();
  transcript.handshake_hash.assign(hash.begin(), hash.end());
  return transcript;
}

}  // namespace attune::fuzz

#endif  // ATTUNE_TESTS_FUZZ_NOISE_FIXTURE_H_
