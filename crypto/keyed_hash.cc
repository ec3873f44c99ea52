#include "crypto/keyed_hash.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace attune::crypto {
namespace {

void Require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "attune: internal error: %s\n", what);
    std::abort();
  }
}

bool ValidKeySize(size_t size) {
  return size >= crypto_generichash_KEYBYTES_MIN && size <= crypto_generichash_KEYBYTES_MAX;
}

bool ValidOutputSize(size_t size) {
  return size >= crypto_generichash_BYTES_MIN && size <= crypto_generichash_BYTES_MAX;
}

void KeyedBlake2b(ByteSpan key, ByteSpan message, std::span<uint8_t> out) {
  Require(ValidKeySize(key.size()), "keyed hash key size");
  Require(ValidOutputSize(out.size()), "keyed hash output size");
  crypto_generichash(out.data(), out.size(), message.data(), message.size(), key.data(),
                     key.size());
}

}  // namespace

SecureBytes DeriveSubkey(const SecureBytes& key_material, std::string_view label, size_t size) {
  SecureBytes subkey(size);
  KeyedBlake2b(key_material.span(), AsBytes(label), subkey.mutable_span());
  return subkey;
}

Bytes AuthTag(const SecureBytes& key, ByteSpan data) {
  Bytes tag(kTagBytes);
  KeyedBlake2b(key.span(), data, tag);
  return tag;
}

bool VerifyAuthTag(const SecureBytes& key, ByteSpan data, ByteSpan tag) {
  if (tag.size() != kTagBytes) return false;
  const Bytes expected = AuthTag(key, data);
  return sodium_memcmp(expected.data(), tag.data(), kTagBytes) == 0;
}

Bytes PublicDigest(std::string_view label, ByteSpan data, size_t size) {
  Require(ValidOutputSize(size), "digest output size");
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, size);
  crypto_generichash_update(&state, reinterpret_cast<const uint8_t*>(label.data()), label.size());
  crypto_generichash_update(&state, data.data(), data.size());
  Bytes digest(size);
  crypto_generichash_final(&state, digest.data(), size);
  return digest;
}

}  // namespace attune::crypto
