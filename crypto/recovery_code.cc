#include "crypto/recovery_code.h"

#include <sodium.h>

#include <algorithm>
#include <cstdint>

namespace attune::crypto {
namespace {

constexpr size_t kChecksumBytes = 3;
constexpr size_t kPayloadBytes = kRecoveryKeyBytes + kChecksumBytes;  // 35
constexpr size_t kBlockBytes = 5;                                     // base32: 5 bytes ...
constexpr size_t kBlockChars = 8;                                     // ... <-> 8 characters
constexpr size_t kGroupChars = 4;
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
// Changing this string changes every checksum: it names the format version.
constexpr char kChecksumDomain[] = "attune recovery code v1 checksum";

static_assert(kPayloadBytes % kBlockBytes == 0, "no padding, no spare bits");
static_assert(kPayloadBytes / kBlockBytes * kBlockChars == kRecoveryCodeChars);
static_assert(sizeof(kChecksumDomain) - 1 >= crypto_generichash_KEYBYTES_MIN);
static_assert(sizeof(kChecksumDomain) - 1 <= crypto_generichash_KEYBYTES_MAX);

// Writes the checksum of `key` to `out` (kChecksumBytes). Keyed BLAKE2b with
// the domain string as its key keeps this hash unrelated to any other hash
// of the data key.
void ComputeChecksum(ByteSpan key, std::span<uint8_t> out) {
  SecureBytes digest(crypto_generichash_BYTES);
  crypto_generichash(digest.data(), digest.size(), key.data(), key.size(),
                     reinterpret_cast<const uint8_t*>(kChecksumDomain),
                     sizeof(kChecksumDomain) - 1);
  std::copy_n(digest.data(), out.size(), out.begin());
}

// The 5-bit value of a code character, or -1. Applies the documented
// case folding and digit-for-letter substitutions.
int SymbolValue(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == '0') c = 'O';
  if (c == '1') c = 'I';
  if (c == '8') c = 'B';
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= '2' && c <= '7') return 26 + (c - '2');
  return -1;
}

bool IsSeparator(char c) {
  return c == ' ' || c == '-' || c == '\n' || c == '\r' || c == '\t';
}

// Packs 8 symbols (5 bits each) per 5 bytes; the inverse of the encoder.
void UnpackSymbols(const SecureBytes& symbols, SecureBytes& payload) {
  for (size_t block = 0; block < kPayloadBytes / kBlockBytes; ++block) {
    uint64_t bits = 0;
    for (size_t j = 0; j < kBlockChars; ++j) {
      bits = (bits << 5) | symbols.data()[block * kBlockChars + j];
    }
    for (size_t j = 0; j < kBlockBytes; ++j) {
      payload.data()[block * kBlockBytes + j] =
          static_cast<uint8_t>(bits >> (8 * (kBlockBytes - 1 - j)));
    }
    sodium_memzero(&bits, sizeof bits);
  }
}

}  // namespace

Result<std::string> EncodeRecoveryCode(const SecureBytes& key) {
  if (key.size() != kRecoveryKeyBytes) {
    return Status::InvalidArgument("recovery key must be 32 bytes");
  }
  SecureBytes payload(kPayloadBytes);
  std::copy_n(key.data(), key.size(), payload.data());
  ComputeChecksum(key.span(), payload.mutable_span().subspan(kRecoveryKeyBytes));

  std::string code;
  code.reserve(kRecoveryCodeChars + kRecoveryCodeChars / kGroupChars - 1);
  for (size_t block = 0; block < kPayloadBytes / kBlockBytes; ++block) {
    uint64_t bits = 0;
    for (size_t j = 0; j < kBlockBytes; ++j) {
      bits = (bits << 8) | payload.data()[block * kBlockBytes + j];
    }
    for (size_t j = 0; j < kBlockChars; ++j) {
      size_t index = block * kBlockChars + j;
      if (index > 0 && index % kGroupChars == 0) code.push_back('-');
      code.push_back(kAlphabet[(bits >> (5 * (kBlockChars - 1 - j))) & 0x1f]);
    }
    sodium_memzero(&bits, sizeof bits);
  }
  return code;
}

Result<SecureBytes> DecodeRecoveryCode(std::string_view code) {
  SecureBytes symbols(kRecoveryCodeChars);
  size_t count = 0;
  for (size_t i = 0; i < code.size(); ++i) {
    if (IsSeparator(code[i])) continue;
    int value = SymbolValue(code[i]);
    if (value < 0) {
      return Status::InvalidArgument(
          "recovery code has a character other than A-Z, 2-7 at offset " + std::to_string(i));
    }
    // Keep counting past the end so the length error can say how many.
    if (count < kRecoveryCodeChars) symbols.data()[count] = static_cast<uint8_t>(value);
    ++count;
  }
  if (count != kRecoveryCodeChars) {
    return Status::InvalidArgument("wrong length: a recovery code has 56 characters, got " +
                                   std::to_string(count));
  }
  SecureBytes payload(kPayloadBytes);
  UnpackSymbols(symbols, payload);
  SecureBytes key = SecureBytes::CopyOf(payload.span().first(kRecoveryKeyBytes));
  SecureBytes expected(kChecksumBytes);
  ComputeChecksum(key.span(), expected.mutable_span());
  if (sodium_memcmp(expected.data(), payload.data() + kRecoveryKeyBytes, kChecksumBytes) != 0) {
    return Status::InvalidArgument("checksum does not match: a character was probably mistyped");
  }
  return key;
}

}  // namespace attune::crypto
