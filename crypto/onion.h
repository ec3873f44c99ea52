// Keys and names of Tor v3 onion services, in the forms tor's control port takes (tor's
// control-spec ADD_ONION and ONION_CLIENT_AUTH_ADD, rend-spec-v3 section 6 and appendix G):
//
//   - the service's ed25519 identity key, from a 32-byte seed that attune stores, and the
//     "ED25519-V3:<base64>" key blob that ADD_ONION takes;
//   - the onion address, base32(pubkey || checksum[:2] || 0x03) with checksum =
//     SHA3-256(".onion checksum" || pubkey || 0x03): 56 lowercase characters, tor's ServiceID
//     (no ".onion");
//   - client authorisation: an x25519 key pair per client, its public key as ADD_ONION's
//     "ClientAuthV3=" value (base32) and its private key as ONION_CLIENT_AUTH_ADD's
//     "x25519:<base64>".
//
// Every secret, and every text that holds one, is returned in secure memory (SecureBytes); the
// texts are ASCII, meant to be written straight into a control-port command.
//
// Preconditions: crypto::Init() has succeeded. All functions are thread-safe (no shared state);
// the key classes are move-only and, like any value, not safe to mutate from two threads.
#ifndef ATTUNE_CRYPTO_ONION_H_
#define ATTUNE_CRYPTO_ONION_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/secure_bytes.h"
#include "crypto/x25519.h"

namespace attune::crypto {

inline constexpr size_t kOnionSeedBytes = 32;
inline constexpr size_t kEd25519PublicBytes = 32;
// The secret scalar (clamped, little-endian) followed by the 32-byte PRF secret.
inline constexpr size_t kOnionExpandedKeyBytes = 64;
inline constexpr size_t kOnionAddressChars = 56;
inline constexpr uint8_t kOnionAddressVersion = 3;
inline constexpr size_t kOnionClientAuthSecretBytes = 32;

// The key blob's prefix in ADD_ONION ("ED25519-V3:" KeyBlob) and ONION_CLIENT_AUTH_ADD's.
inline constexpr std::string_view kOnionKeyBlobPrefix = "ED25519-V3:";
inline constexpr std::string_view kClientAuthKeyPrefix = "x25519:";

// An ed25519 public key: not secret, compared and copied freely.
using Ed25519PublicKey = std::array<uint8_t, kEd25519PublicBytes>;

// An onion service's identity key. Holds the seed (what attune stores), the expanded secret key
// derived from it (what tor takes) and the public key (what the address encodes).
class OnionServiceKey {
 public:
  // A fresh key from the OS CSPRNG. Cannot fail.
  static OnionServiceKey Generate();
  // The key of `seed`, taking ownership of it. kInvalidArgument unless seed.size() ==
  // kOnionSeedBytes; any 32 bytes are a valid seed.
  static Result<OnionServiceKey> FromSeed(SecureBytes seed);

  OnionServiceKey(OnionServiceKey&&) noexcept = default;
  OnionServiceKey& operator=(OnionServiceKey&&) noexcept = default;

  const SecureBytes& seed() const { return seed_; }
  // SHA-512(seed) with its first half clamped as ed25519 does (RFC 8032 section 5.1.5):
  // kOnionExpandedKeyBytes. Signing with it gives the same signatures as signing with the seed.
  const SecureBytes& expanded_secret_key() const { return expanded_; }
  const Ed25519PublicKey& public_key() const { return public_key_; }

  // ADD_ONION's key argument: kOnionKeyBlobPrefix + base64 of the expanded secret key (standard
  // alphabet with '=' padding, as tor's own reply writes it), 99 characters.
  SecureBytes ControlPortKeyBlob() const;

 private:
  OnionServiceKey(SecureBytes seed, SecureBytes expanded, const Ed25519PublicKey& public_key);

  SecureBytes seed_;
  SecureBytes expanded_;
  Ed25519PublicKey public_key_{};
};

// The v3 onion address of `public_key`: kOnionAddressChars lowercase base32 characters, without
// the ".onion" suffix (tor's ServiceID and ONION_CLIENT_AUTH_ADD's HSAddress).
std::string OnionAddress(const Ed25519PublicKey& public_key);

// The public key in an onion address, with or without ".onion" and in any letter case.
// kInvalidArgument, with a detail naming which, for: a length other than kOnionAddressChars
// (after the suffix), a character outside base32, a version byte other than
// kOnionAddressVersion, a checksum that does not match, or a key that is not a valid ed25519
// point of the prime-order subgroup (tor refuses those too: they would give one service several
// addresses). Subdomains ("www.<address>.onion") are refused as a wrong length.
Result<Ed25519PublicKey> ParseOnionAddress(std::string_view address);

// A client's key pair for v3 client authorisation: an x25519 secret in secure memory and its
// public key. The service is told the public key; the client's tor the private key.
class OnionClientAuthKey {
 public:
  // A fresh key pair from the OS CSPRNG, its secret clamped as X25519 uses it (and as tor
  // stores its own), so it is never all zeros. Cannot fail.
  static OnionClientAuthKey Generate();
  // The key pair of a stored secret, taking ownership of it. kInvalidArgument unless
  // secret.size() == kOnionClientAuthSecretBytes, or if it is all zeros (tor refuses that key).
  static Result<OnionClientAuthKey> FromSecret(SecureBytes secret);

  OnionClientAuthKey(OnionClientAuthKey&&) noexcept = default;
  OnionClientAuthKey& operator=(OnionClientAuthKey&&) noexcept = default;

  const SecureBytes& secret() const { return pair_.secret; }
  const X25519PublicKey& public_key() const { return pair_.public_key; }

 private:
  explicit OnionClientAuthKey(X25519KeyPair pair) : pair_(std::move(pair)) {}

  X25519KeyPair pair_;
};

// ADD_ONION's "ClientAuthV3=" value for a client: lowercase base32 of its public key without
// padding, 52 characters.
std::string ClientAuthPublicText(const X25519PublicKey& public_key);

// ONION_CLIENT_AUTH_ADD's key argument for a client: kClientAuthKeyPrefix + base64 of its secret
// (standard alphabet with '=' padding), 51 characters.
SecureBytes ClientAuthPrivateText(const OnionClientAuthKey& key);

// RFC 4648 base32 as tor writes it: lowercase, no padding. For public bytes (table lookups).
std::string Base32Encode(ByteSpan bytes);

// RFC 4648 base32 without padding, in either letter case. kInvalidArgument for a character
// outside the alphabet (including '='), a length no encoding has (1, 3 or 6 mod 8) or nonzero
// bits left over after the last whole byte (so every byte string has exactly one encoding).
// For public text.
Result<Bytes> Base32Decode(std::string_view text);

// `prefix` followed by RFC 4648 base64 of `bytes` (standard alphabet, '=' padding), in secure
// memory. The encoding's timing does not depend on `bytes` (libsodium's sodium_bin2base64), so
// it is fit for keys.
SecureBytes Base64EncodeSecret(std::string_view prefix, ByteSpan bytes);

}  // namespace attune::crypto

#endif  // ATTUNE_CRYPTO_ONION_H_
