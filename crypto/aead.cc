#include "crypto/aead.h"

#include <sodium.h>

#include <algorithm>

#include "crypto/random.h"

namespace attune::crypto::aead {

static_assert(kKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(kNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kTagBytes == crypto_aead_xchacha20poly1305_ietf_ABYTES);

namespace {

Status CheckKey(const SecureBytes& key) {
  if (key.size() != kKeyBytes) return Status::InvalidArgument("aead key must be 32 bytes");
  return Status::Ok();
}

}  // namespace

Result<Bytes> Seal(const SecureBytes& key, ByteSpan plaintext, ByteSpan associated_data) {
  Nonce nonce;
  FillRandom(nonce);
  return SealWithNonce(key, nonce, plaintext, associated_data);
}

Result<Bytes> SealWithNonce(const SecureBytes& key, const Nonce& nonce, ByteSpan plaintext,
                            ByteSpan associated_data) {
  ATTUNE_RETURN_IF_ERROR(CheckKey(key));
  if (plaintext.size() > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX) {
    return Status::InvalidArgument("aead plaintext too long");
  }
  Bytes sealed(kNonceBytes + plaintext.size() + kTagBytes);
  std::copy(nonce.begin(), nonce.end(), sealed.begin());
  // The combined mode writes ciphertext || tag, which lands right after the
  // nonce, giving the documented layout without a second copy.
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      sealed.data() + kNonceBytes, &written, plaintext.data(), plaintext.size(),
      associated_data.data(), associated_data.size(), /*nsec=*/nullptr, nonce.data(), key.data());
  if (written != plaintext.size() + kTagBytes) return Status::Internal("aead encrypt length");
  return sealed;
}

namespace {

// Decrypts into `out`, which holds exactly the plaintext's length.
Status Decrypt(const SecureBytes& key, ByteSpan sealed, ByteSpan associated_data,
               std::span<uint8_t> out) {
  ByteSpan nonce = sealed.first(kNonceBytes);
  ByteSpan ciphertext_and_tag = sealed.subspan(kNonceBytes);
  unsigned long long written = 0;
  // libsodium checks the tag before decrypting anything, so on failure no
  // unauthenticated plaintext is produced.
  int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
      out.data(), &written, /*nsec=*/nullptr, ciphertext_and_tag.data(), ciphertext_and_tag.size(),
      associated_data.data(), associated_data.size(), nonce.data(), key.data());
  if (rc != 0) return Status::AuthFailed("sealed data failed authentication");
  if (written != out.size()) return Status::Internal("aead decrypt length");
  return Status::Ok();
}

Status CheckSealed(const SecureBytes& key, ByteSpan sealed) {
  ATTUNE_RETURN_IF_ERROR(CheckKey(key));
  if (sealed.size() < kOverheadBytes) return Status::Corruption("sealed data too short");
  return Status::Ok();
}

}  // namespace

Result<SecureBytes> Open(const SecureBytes& key, ByteSpan sealed, ByteSpan associated_data) {
  ATTUNE_RETURN_IF_ERROR(CheckSealed(key, sealed));
  SecureBytes plaintext(sealed.size() - kOverheadBytes);
  ATTUNE_RETURN_IF_ERROR(
      Decrypt(key, sealed, associated_data, {plaintext.data(), plaintext.size()}));
  return plaintext;
}

Result<ByteSpan> OpenInto(const SecureBytes& key, ByteSpan sealed, ByteSpan associated_data,
                          SecureScratch& scratch) {
  ATTUNE_RETURN_IF_ERROR(CheckSealed(key, sealed));
  const std::span<uint8_t> plaintext = scratch.Take(sealed.size() - kOverheadBytes);
  const Status opened = Decrypt(key, sealed, associated_data, plaintext);
  if (!opened.ok()) {
    scratch.Wipe();
    return opened;
  }
  return ByteSpan(plaintext.data(), plaintext.size());
}

}  // namespace attune::crypto::aead
