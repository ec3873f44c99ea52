#include "crypto/onion.h"

#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <span>

#include "crypto/random.h"
#include "crypto/sha3.h"

namespace attune::crypto {

static_assert(kOnionSeedBytes == crypto_sign_ed25519_SEEDBYTES);
static_assert(kEd25519PublicBytes == crypto_sign_ed25519_PUBLICKEYBYTES);
static_assert(kOnionExpandedKeyBytes == crypto_hash_sha512_BYTES);
static_assert(kOnionClientAuthSecretBytes == kX25519SecretBytes);

namespace {

constexpr char kOnionBase32Alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
constexpr std::string_view kOnionSuffix = ".onion";
constexpr std::string_view kOnionChecksumLabel = ".onion checksum";
constexpr size_t kOnionChecksumBytes = 2;
// pubkey || checksum[:2] || version: 35 bytes, exactly 56 base32 characters.
constexpr size_t kOnionAddressBytes = kEd25519PublicBytes + kOnionChecksumBytes + 1;
static_assert(kOnionAddressBytes * 8 == kOnionAddressChars * 5);

// The clamping of RFC 7748 and RFC 8032: a multiple of the cofactor 8, below 2^255, bit 254
// set. (tor writes `[31] &= 63; [31] |= 64`, which leaves the same bits.)
void ClampScalar(std::span<uint8_t> scalar) {
  scalar[0] &= 248;
  scalar[31] &= 127;
  scalar[31] |= 64;
}

std::array<uint8_t, kOnionChecksumBytes> AddressChecksum(const Ed25519PublicKey& public_key,
                                                         uint8_t version) {
  std::array<uint8_t, kOnionChecksumLabel.size() + kEd25519PublicBytes + 1> input{};
  auto next = std::copy(kOnionChecksumLabel.begin(), kOnionChecksumLabel.end(), input.begin());
  next = std::copy(public_key.begin(), public_key.end(), next);
  *next = version;
  const Sha3_256Digest digest = Sha3_256(input);
  return {digest[0], digest[1]};
}

int OnionBase32Value(char c) {
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

bool HasOnionSuffix(std::string_view address) {
  if (address.size() < kOnionSuffix.size()) return false;
  const std::string_view tail = address.substr(address.size() - kOnionSuffix.size());
  return std::equal(tail.begin(), tail.end(), kOnionSuffix.begin(), [](char a, char b) {
    return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
  });
}

}  // namespace

OnionServiceKey::OnionServiceKey(SecureBytes seed, SecureBytes expanded,
                                 const Ed25519PublicKey& public_key)
    : seed_(std::move(seed)), expanded_(std::move(expanded)), public_key_(public_key) {}

OnionServiceKey OnionServiceKey::Generate() {
  // A 32-byte seed is always accepted, so only a libsodium bug could fail here.
  Result<OnionServiceKey> key = FromSeed(RandomSecret(kOnionSeedBytes));
  if (!key.ok()) std::abort();
  return std::move(key).value();
}

Result<OnionServiceKey> OnionServiceKey::FromSeed(SecureBytes seed) {
  if (seed.size() != kOnionSeedBytes) {
    return Status::InvalidArgument("onion service seed must be 32 bytes");
  }
  // tor takes the key expanded, as its key blinding needs the scalar rather than the seed.
  SecureBytes expanded(kOnionExpandedKeyBytes);
  crypto_hash_sha512(expanded.data(), seed.data(), seed.size());
  ClampScalar(expanded.mutable_span().first(32));

  // libsodium's secret key is seed || public key; only the public key is kept from it.
  SecureBytes sodium_secret(crypto_sign_ed25519_SECRETKEYBYTES);
  Ed25519PublicKey public_key{};
  if (crypto_sign_ed25519_seed_keypair(public_key.data(), sodium_secret.data(), seed.data()) != 0) {
    return Status::Internal("ed25519 key derivation failed");
  }
  return OnionServiceKey(std::move(seed), std::move(expanded), public_key);
}

SecureBytes OnionServiceKey::ControlPortKeyBlob() const {
  return Base64EncodeSecret(kOnionKeyBlobPrefix, expanded_.span());
}

std::string OnionAddress(const Ed25519PublicKey& public_key) {
  std::array<uint8_t, kOnionAddressBytes> raw{};
  std::copy(public_key.begin(), public_key.end(), raw.begin());
  const std::array<uint8_t, kOnionChecksumBytes> checksum =
      AddressChecksum(public_key, kOnionAddressVersion);
  std::copy(checksum.begin(), checksum.end(), raw.begin() + kEd25519PublicBytes);
  raw.back() = kOnionAddressVersion;
  return Base32Encode(raw);
}

Result<Ed25519PublicKey> ParseOnionAddress(std::string_view address) {
  if (HasOnionSuffix(address)) address.remove_suffix(kOnionSuffix.size());
  if (address.size() != kOnionAddressChars) {
    return Status::InvalidArgument("onion address must be 56 base32 characters");
  }
  Result<Bytes> raw = Base32Decode(address);
  if (!raw.ok()) return raw.status().WithContext("onion address");
  if (raw->back() != kOnionAddressVersion) {
    return Status::InvalidArgument("onion address version is not 3");
  }
  Ed25519PublicKey public_key{};
  std::copy_n(raw->begin(), kEd25519PublicBytes, public_key.begin());
  const std::array<uint8_t, kOnionChecksumBytes> checksum =
      AddressChecksum(public_key, kOnionAddressVersion);
  if (!std::equal(checksum.begin(), checksum.end(), raw->begin() + kEd25519PublicBytes)) {
    return Status::InvalidArgument("onion address checksum does not match");
  }
  // A small-order or mixed-order point would let one service answer to several addresses.
  if (crypto_core_ed25519_is_valid_point(public_key.data()) != 1) {
    return Status::InvalidArgument("onion address key is not a valid ed25519 point");
  }
  return public_key;
}

OnionClientAuthKey OnionClientAuthKey::Generate() {
  SecureBytes secret = RandomSecret(kOnionClientAuthSecretBytes);
  ClampScalar(secret.mutable_span());
  // Clamped, the secret has bit 254 set and so is never all zeros: this cannot fail.
  Result<OnionClientAuthKey> key = FromSecret(std::move(secret));
  if (!key.ok()) std::abort();
  return std::move(key).value();
}

Result<OnionClientAuthKey> OnionClientAuthKey::FromSecret(SecureBytes secret) {
  if (secret.size() != kOnionClientAuthSecretBytes) {
    return Status::InvalidArgument("client authorisation secret must be 32 bytes");
  }
  if (sodium_is_zero(secret.data(), secret.size()) == 1) {
    return Status::InvalidArgument("client authorisation secret is all zeros");
  }
  ATTUNE_ASSIGN_OR_RETURN(X25519KeyPair pair, X25519KeyPairFromSecret(std::move(secret)));
  return OnionClientAuthKey(std::move(pair));
}

std::string ClientAuthPublicText(const X25519PublicKey& public_key) {
  return Base32Encode(public_key);
}

SecureBytes ClientAuthPrivateText(const OnionClientAuthKey& key) {
  return Base64EncodeSecret(kClientAuthKeyPrefix, key.secret().span());
}

std::string Base32Encode(ByteSpan bytes) {
  std::string text;
  text.reserve((bytes.size() * 8 + 4) / 5);
  uint32_t buffer = 0;  // only the low `bits` bits are pending
  int bits = 0;
  for (uint8_t byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text.push_back(kOnionBase32Alphabet[(buffer >> bits) & 0x1f]);
    }
  }
  if (bits > 0) text.push_back(kOnionBase32Alphabet[(buffer << (5 - bits)) & 0x1f]);
  return text;
}

Result<Bytes> Base32Decode(std::string_view text) {
  const size_t tail = text.size() % 8;
  if (tail == 1 || tail == 3 || tail == 6) {
    return Status::InvalidArgument("base32 text has a length no encoding has");
  }
  Bytes bytes;
  bytes.reserve(text.size() * 5 / 8);
  uint32_t buffer = 0;  // only the low `bits` bits are pending
  int bits = 0;
  for (char c : text) {
    const int value = OnionBase32Value(c);
    if (value < 0) return Status::InvalidArgument("base32 text has a character outside base32");
    buffer = (buffer << 5) | static_cast<uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<uint8_t>(buffer >> bits));
    }
  }
  if ((buffer & ((1u << bits) - 1)) != 0) {
    return Status::InvalidArgument("base32 text has nonzero bits after its last byte");
  }
  return bytes;
}

SecureBytes Base64EncodeSecret(std::string_view prefix, ByteSpan bytes) {
  constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
  // sodium_bin2base64 ends the text with a NUL, which the result leaves out.
  SecureBytes encoded(sodium_base64_ENCODED_LEN(bytes.size(), kVariant));
  sodium_bin2base64(reinterpret_cast<char*>(encoded.data()), encoded.size(), bytes.data(),
                    bytes.size(), kVariant);
  const size_t encoded_chars = encoded.size() - 1;
  SecureBytes text(prefix.size() + encoded_chars);
  std::copy(prefix.begin(), prefix.end(), text.mutable_span().begin());
  std::copy_n(encoded.data(), encoded_chars, text.mutable_span().begin() + prefix.size());
  return text;
}

}  // namespace attune::crypto
