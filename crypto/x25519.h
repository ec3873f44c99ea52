// X25519 (Curve25519 Diffie-Hellman, RFC 7748) key pairs and key agreement,
// via libsodium's crypto_scalarmult_curve25519*. Used for the node's static
// identity and inside the Noise handshake.
//
// Preconditions: crypto::Init() has succeeded. All functions are thread-safe
// (they share no state).
#ifndef ATTUNE_CRYPTO_X25519_H_
#define ATTUNE_CRYPTO_X25519_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/secure_bytes.h"

namespace attune::crypto {

inline constexpr size_t kX25519SecretBytes = 32;
inline constexpr size_t kX25519PublicBytes = 32;
inline constexpr size_t kX25519SharedBytes = 32;

// A public key is not secret: plain memory, compared and copied freely.
using X25519PublicKey = std::array<uint8_t, kX25519PublicBytes>;

// A secret scalar (kX25519SecretBytes, in secure memory) and its public key.
// Move-only because of the secret; copy explicitly with CopyKeyPair.
struct X25519KeyPair {
  SecureBytes secret;
  X25519PublicKey public_key{};
};

// A fresh key pair from the OS CSPRNG. Cannot fail.
X25519KeyPair GenerateX25519KeyPair();

// The public key of `secret`. kInvalidArgument unless secret.size() ==
// kX25519SecretBytes. Any 32 bytes are a valid secret (X25519 clamps them).
Result<X25519PublicKey> DeriveX25519Public(const SecureBytes& secret);

// A key pair from an existing secret (e.g. one loaded from storage), taking
// ownership of it. Errors as DeriveX25519Public.
Result<X25519KeyPair> X25519KeyPairFromSecret(SecureBytes secret);

// A second key pair holding a secure copy of `pair`'s secret.
X25519KeyPair CopyKeyPair(const X25519KeyPair& pair);

// The shared secret X25519(secret, peer_public).
//   kInvalidArgument  secret.size() != kX25519SecretBytes
//   kAuthFailed       the result is all zeros: `peer_public` is a low-order
//                     point, so the "shared" secret would be known to anyone.
//                     A peer sending such a key is faulty or hostile.
Result<SecureBytes> X25519(const SecureBytes& secret, const X25519PublicKey& peer_public);

}  // namespace attune::crypto

#endif  // ATTUNE_CRYPTO_X25519_H_
