// The Noise CipherState (revision 34, section 5.1) for the ChaChaPoly cipher
// (section 12.3): ChaCha20-Poly1305 IETF with the 96-bit nonce
// 4 zero bytes || 64-bit little-endian counter. Internal to the Noise
// implementation; noise.h is the public entry point.
//
// Nonces: n counts up from 0 and is never reused by EncryptWithAd. The value
// 2^64-1 is reserved (REKEY uses it), so encrypting at n == 2^64-1 fails and
// leaves the state spent: every later EncryptWithAd fails too, even after
// SetNonce, since reusing a nonce would reveal plaintext and allow forgery.
// Decrypting at n == 2^64-1 fails without spending the state.
//
// Preconditions: crypto::Init() has succeeded. Move-only (it owns the key);
// not thread-safe.
#ifndef ATTUNE_CRYPTO_NOISE_CIPHER_STATE_H_
#define ATTUNE_CRYPTO_NOISE_CIPHER_STATE_H_

#include <cstddef>
#include <cstdint>
#include <limits>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/secure_bytes.h"

namespace attune::crypto::noise {

inline constexpr size_t kCipherKeyBytes = 32;
inline constexpr size_t kCipherTagBytes = 16;
inline constexpr uint64_t kMaxNonce = std::numeric_limits<uint64_t>::max();

class CipherState {
 public:
  // A state without a key (HasKey() false): EncryptWithAd / DecryptWithAd
  // return their input unchanged, as the spec requires before the first
  // MixKey of a handshake.
  CipherState() = default;
  CipherState(CipherState&&) noexcept = default;
  CipherState& operator=(CipherState&&) noexcept = default;

  // InitializeKey(key): takes the first kCipherKeyBytes bytes of `key` (a
  // HASHLEN-sized HKDF output) and sets n = 0. kInvalidArgument if `key` is
  // shorter than kCipherKeyBytes.
  Status InitializeKey(ByteSpan key);
  bool HasKey() const { return !key_.empty(); }

  void SetNonce(uint64_t nonce) { nonce_ = nonce; }
  uint64_t nonce() const { return nonce_; }

  // ENCRYPT(k, n++, ad, plaintext): ciphertext || 16-byte tag.
  //   kInvalidArgument  n == kMaxNonce (the state is now spent), or the
  //                     state was spent earlier
  Result<Bytes> EncryptWithAd(ByteSpan associated_data, ByteSpan plaintext);

  // DECRYPT(k, n, ad, ciphertext), then n++ on success only.
  //   kInvalidArgument  n == kMaxNonce
  //   kCorruption       ciphertext shorter than the tag
  //   kAuthFailed       the tag does not verify (n is left unchanged)
  Result<SecureBytes> DecryptWithAd(ByteSpan associated_data, ByteSpan ciphertext);
  // The same into `scratch` (its earlier contents wiped first): a session receiving thousands
  // of frames reuses one locked buffer instead of mapping and locking one per frame. The span
  // lives until the scratch's next Take or Wipe; on failure the scratch holds nothing.
  Result<ByteSpan> DecryptWithAdInto(ByteSpan associated_data, ByteSpan ciphertext,
                                     SecureScratch& scratch);

  // REKEY (section 11.3): k = first 32 bytes of ENCRYPT(k, 2^64-1, "", 32
  // zero bytes). n is not changed. kInvalidArgument without a key.
  Status Rekey();

 private:
  // The checks before a keyed DECRYPT: nonces left, and at least a tag's worth of ciphertext.
  Status CheckDecryptable(ByteSpan ciphertext) const;
  // DECRYPT into `plaintext`, exactly ciphertext.size() - kCipherTagBytes long.
  Status DecryptTo(ByteSpan associated_data, ByteSpan ciphertext, std::span<uint8_t> plaintext);

  SecureBytes key_;
  uint64_t nonce_ = 0;
  bool spent_ = false;
};

}  // namespace attune::crypto::noise

#endif  // ATTUNE_CRYPTO_NOISE_CIPHER_STATE_H_
