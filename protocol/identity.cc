#include "protocol/identity.h"

#include <cstdio>

#include "crypto/keyed_hash.h"
#include "crypto/onion.h"

namespace attune::protocol {
namespace {

constexpr std::string_view kFingerprintLabel = "attune/1 fingerprint";
constexpr std::string_view kSafetyNumberLabel = "attune/1 safety number";
constexpr size_t kFingerprintBytes = 16;
constexpr size_t kGroupsPerKey = 6;
constexpr size_t kBytesPerGroup = 5;  // 40 bits reduced to 5 decimal digits: bias < 2^-23

ByteSpan KeyBytes(const crypto::X25519PublicKey& key) {
  return {key.data(), key.size()};
}

// Appends the key's six 5-digit groups, each followed by a space.
void AppendDigitGroups(const crypto::X25519PublicKey& key, std::string& out) {
  const Bytes digest =
      crypto::PublicDigest(kSafetyNumberLabel, KeyBytes(key), kGroupsPerKey * kBytesPerGroup);
  for (size_t group = 0; group < kGroupsPerKey; ++group) {
    uint64_t value = 0;
    for (size_t i = 0; i < kBytesPerGroup; ++i) {
      value = (value << 8) | digest[group * kBytesPerGroup + i];
    }
    char digits[8];
    std::snprintf(digits, sizeof digits, "%05u", static_cast<unsigned>(value % 100000));
    out += digits;
    out += ' ';
  }
}

}  // namespace

std::string Fingerprint(const crypto::X25519PublicKey& key) {
  const std::string hex =
      ToHex(crypto::PublicDigest(kFingerprintLabel, KeyBytes(key), kFingerprintBytes));
  std::string grouped;
  for (size_t i = 0; i < hex.size(); i += 4) {
    if (i > 0) grouped += ' ';
    grouped += hex.substr(i, 4);
  }
  return grouped;
}

std::string SafetyNumber(const crypto::X25519PublicKey& a, const crypto::X25519PublicKey& b) {
  const bool a_first = a <= b;
  std::string number;
  AppendDigitGroups(a_first ? a : b, number);
  AppendDigitGroups(a_first ? b : a, number);
  number.pop_back();  // the trailing space
  return number;
}

bool IsCanonicalOnionAddress(std::string_view address) {
  if (address.size() != crypto::kOnionAddressChars) return false;
  Result<crypto::Ed25519PublicKey> key = crypto::ParseOnionAddress(address);
  return key.ok() && crypto::OnionAddress(*key) == address;
}

}  // namespace attune::protocol
