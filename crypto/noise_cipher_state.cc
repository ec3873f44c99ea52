#include "crypto/noise_cipher_state.h"

#include <sodium.h>

#include <algorithm>
#include <array>

namespace attune::crypto::noise {

static_assert(kCipherKeyBytes == crypto_aead_chacha20poly1305_ietf_KEYBYTES);
static_assert(kCipherTagBytes == crypto_aead_chacha20poly1305_ietf_ABYTES);

namespace {

using IetfNonce = std::array<uint8_t, crypto_aead_chacha20poly1305_ietf_NPUBBYTES>;

// Noise section 12.3: 32 bits of zeros followed by the little-endian counter.
IetfNonce EncodeNonce(uint64_t counter) {
  IetfNonce nonce{};
  for (size_t i = 0; i < 8; ++i) nonce[4 + i] = static_cast<uint8_t>(counter >> (8 * i));
  return nonce;
}

// The raw cipher, without nonce bookkeeping, so Rekey can use the reserved nonce.
Bytes Encrypt(const SecureBytes& key, uint64_t counter, ByteSpan associated_data,
              ByteSpan plaintext) {
  Bytes ciphertext(plaintext.size() + kCipherTagBytes);
  const IetfNonce nonce = EncodeNonce(counter);
  unsigned long long written = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(
      ciphertext.data(), &written, plaintext.data(), plaintext.size(), associated_data.data(),
      associated_data.size(), /*nsec=*/nullptr, nonce.data(), key.data());
  return ciphertext;
}

}  // namespace

Status CipherState::InitializeKey(ByteSpan key) {
  if (key.size() < kCipherKeyBytes) return Status::InvalidArgument("noise cipher key too short");
  key_ = SecureBytes::CopyOf(key.first(kCipherKeyBytes));
  nonce_ = 0;
  spent_ = false;
  return Status::Ok();
}

Result<Bytes> CipherState::EncryptWithAd(ByteSpan associated_data, ByteSpan plaintext) {
  if (!HasKey()) return Bytes(plaintext.begin(), plaintext.end());
  if (spent_ || nonce_ == kMaxNonce) {
    spent_ = true;
    return Status::InvalidArgument("noise nonces exhausted");
  }
  if (plaintext.size() > crypto_aead_chacha20poly1305_ietf_MESSAGEBYTES_MAX) {
    return Status::InvalidArgument("noise plaintext too long");
  }
  Bytes ciphertext = Encrypt(key_, nonce_, associated_data, plaintext);
  ++nonce_;
  return ciphertext;
}

Result<SecureBytes> CipherState::DecryptWithAd(ByteSpan associated_data, ByteSpan ciphertext) {
  if (!HasKey()) return SecureBytes::CopyOf(ciphertext);
  ATTUNE_RETURN_IF_ERROR(CheckDecryptable(ciphertext));
  SecureBytes plaintext(ciphertext.size() - kCipherTagBytes);
  ATTUNE_RETURN_IF_ERROR(DecryptTo(associated_data, ciphertext, plaintext.mutable_span()));
  return plaintext;
}

Result<ByteSpan> CipherState::DecryptWithAdInto(ByteSpan associated_data, ByteSpan ciphertext,
                                                SecureScratch& scratch) {
  if (!HasKey()) {
    const std::span<uint8_t> copy = scratch.Take(ciphertext.size());
    std::copy(ciphertext.begin(), ciphertext.end(), copy.begin());
    return ByteSpan(copy.data(), copy.size());
  }
  ATTUNE_RETURN_IF_ERROR(CheckDecryptable(ciphertext));
  const std::span<uint8_t> plaintext = scratch.Take(ciphertext.size() - kCipherTagBytes);
  if (Status decrypted = DecryptTo(associated_data, ciphertext, plaintext); !decrypted.ok()) {
    scratch.Wipe();
    return decrypted;
  }
  return ByteSpan(plaintext.data(), plaintext.size());
}

Status CipherState::CheckDecryptable(ByteSpan ciphertext) const {
  if (nonce_ == kMaxNonce) return Status::InvalidArgument("noise nonces exhausted");
  if (ciphertext.size() < kCipherTagBytes) return Status::Corruption("noise ciphertext too short");
  return Status::Ok();
}

Status CipherState::DecryptTo(ByteSpan associated_data, ByteSpan ciphertext,
                              std::span<uint8_t> plaintext) {
  const IetfNonce nonce = EncodeNonce(nonce_);
  unsigned long long written = 0;
  int rc = crypto_aead_chacha20poly1305_ietf_decrypt(
      plaintext.data(), &written, /*nsec=*/nullptr, ciphertext.data(), ciphertext.size(),
      associated_data.data(), associated_data.size(), nonce.data(), key_.data());
  if (rc != 0) return Status::AuthFailed("noise ciphertext failed authentication");
  ++nonce_;
  return Status::Ok();
}

Status CipherState::Rekey() {
  if (!HasKey()) return Status::InvalidArgument("noise rekey without a key");
  std::array<uint8_t, kCipherKeyBytes> zeros{};
  Bytes encrypted = Encrypt(key_, kMaxNonce, /*associated_data=*/{}, zeros);
  key_ = SecureBytes::CopyOf(ByteSpan(encrypted).first(kCipherKeyBytes));
  Wipe(encrypted);
  return Status::Ok();
}

}  // namespace attune::crypto::noise
