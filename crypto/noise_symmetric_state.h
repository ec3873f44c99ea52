// The Noise SymmetricState (revision 34, section 5.2): the chaining key ck,
// the handshake hash h and a CipherState. Internal to the Noise
// implementation; noise.h is the public entry point.
//
// Preconditions: crypto::Init() has succeeded. Move-only; not thread-safe.
#ifndef ATTUNE_CRYPTO_NOISE_SYMMETRIC_STATE_H_
#define ATTUNE_CRYPTO_NOISE_SYMMETRIC_STATE_H_

#include <string_view>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/noise_cipher_state.h"
#include "crypto/noise_hash.h"
#include "crypto/secure_bytes.h"

namespace attune::crypto::noise {

// The two CipherStates returned by Split: the first encrypts initiator ->
// responder traffic, the second responder -> initiator.
struct CipherStatePair {
  CipherState initiator_to_responder;
  CipherState responder_to_initiator;
};

class SymmetricState {
 public:
  // InitializeSymmetric(protocol_name): h = protocol_name zero-padded to
  // HASHLEN if it fits, else HASH(protocol_name); ck = h; no cipher key.
  SymmetricState(HashFunction function, std::string_view protocol_name);
  SymmetricState(SymmetricState&&) noexcept = default;
  SymmetricState& operator=(SymmetricState&&) noexcept = default;

  // ck, temp_k = HKDF(ck, input_key_material, 2); InitializeKey(temp_k).
  Status MixKey(ByteSpan input_key_material);
  // h = HASH(h || data).
  void MixHash(ByteSpan data);
  // ck, temp_h, temp_k = HKDF(ck, input_key_material, 3); MixHash(temp_h);
  // InitializeKey(temp_k). (Only PSK handshakes use it; kept for the spec.)
  Status MixKeyAndHash(ByteSpan input_key_material);

  // The current h; after the handshake this is the channel binding value.
  ByteSpan handshake_hash() const { return h_.span(); }
  bool HasKey() const { return cipher_.HasKey(); }

  // ciphertext = EncryptWithAd(h, plaintext); MixHash(ciphertext). Without a
  // key the "ciphertext" is the plaintext. Errors as CipherState.
  Result<Bytes> EncryptAndHash(ByteSpan plaintext);
  // plaintext = DecryptWithAd(h, ciphertext); MixHash(ciphertext). On error h
  // is unchanged. Errors as CipherState.
  Result<SecureBytes> DecryptAndHash(ByteSpan ciphertext);

  // The transport CipherStates from HKDF(ck, "", 2). The symmetric state
  // should be discarded afterwards.
  Result<CipherStatePair> Split() const;

 private:
  HashFunction function_;
  SecureBytes chaining_key_;
  Digest h_;
  CipherState cipher_;
};

}  // namespace attune::crypto::noise

#endif  // ATTUNE_CRYPTO_NOISE_SYMMETRIC_STATE_H_
