// Authenticated encryption with associated data: XChaCha20-Poly1305 (IETF
// variant, draft-irtf-cfrg-xchacha), via libsodium's
// crypto_aead_xchacha20poly1305_ietf_*.
//
// Sealed format, the only one this module produces or accepts:
//
//   nonce (24 bytes, random) || ciphertext (= plaintext length) || tag (16)
//
// The 192-bit nonce is drawn at random for every Seal, which is safe for any
// number of messages under one key (collisions are negligible at 2^96).
//
// Associated data is authenticated but not encrypted or stored: the opener
// must supply the same bytes. Binding a sealed row to its identity (e.g. AD =
// entry id || kind) is what stops someone with write access to the database
// from swapping two rows' ciphertexts undetected.
//
// Preconditions: crypto::Init() has succeeded. All functions are thread-safe
// (they share no state).
#ifndef ATTUNE_CRYPTO_AEAD_H_
#define ATTUNE_CRYPTO_AEAD_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/secure_bytes.h"

namespace attune::crypto::aead {

inline constexpr size_t kKeyBytes = 32;
inline constexpr size_t kNonceBytes = 24;
inline constexpr size_t kTagBytes = 16;
// Sealed bytes are exactly this much longer than the plaintext.
inline constexpr size_t kOverheadBytes = kNonceBytes + kTagBytes;

using Nonce = std::array<uint8_t, kNonceBytes>;

// Encrypts and authenticates `plaintext` and authenticates
// `associated_data` under `key`, with a fresh random nonce.
// kInvalidArgument if key.size() != kKeyBytes or the plaintext exceeds
// libsodium's limit (~256 GiB).
Result<Bytes> Seal(const SecureBytes& key, ByteSpan plaintext, ByteSpan associated_data);

// As Seal, but with the caller's nonce. FOR TEST VECTORS AND DETERMINISTIC
// TESTS ONLY: sealing two different messages with the same key and nonce
// reveals their XOR and lets an attacker forge tags for that key. Production
// code calls Seal.
Result<Bytes> SealWithNonce(const SecureBytes& key, const Nonce& nonce, ByteSpan plaintext,
                            ByteSpan associated_data);

// Verifies and decrypts bytes produced by Seal under the same key and
// associated data. The plaintext is returned in secure memory.
//   kInvalidArgument  key.size() != kKeyBytes
//   kCorruption       sealed is shorter than kOverheadBytes (cannot be ours)
//   kAuthFailed       anything else that does not verify: a changed byte
//                     anywhere, truncation, wrong key or wrong associated data
Result<SecureBytes> Open(const SecureBytes& key, ByteSpan sealed, ByteSpan associated_data);

// As Open, but into `scratch` (see SecureScratch), for bulk data read many times over (journal
// entries): the plaintext stays in secure memory without an allocation per call. Returns the
// plaintext, valid until the scratch's next Take or Wipe; the caller wipes the scratch when done
// with it. On failure nothing of the plaintext remains in it.
Result<ByteSpan> OpenInto(const SecureBytes& key, ByteSpan sealed, ByteSpan associated_data,
                          SecureScratch& scratch);

}  // namespace attune::crypto::aead

#endif  // ATTUNE_CRYPTO_AEAD_H_
