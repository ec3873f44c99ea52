#include "protocol/identity.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "crypto/keyed_hash.h"
#include "crypto/x25519.h"

namespace attune::protocol {
namespace {

crypto::X25519PublicKey KeyFilledWith(uint8_t fill) {
  crypto::X25519PublicKey key;
  key.fill(fill);
  return key;
}

// The safety number's 30 digits for one key, computed here from the header's description:
// BLAKE2b (labelled) of the key, six 40-bit big-endian groups, each reduced to 5 digits.
std::string DigitsOf(const crypto::X25519PublicKey& key) {
  const Bytes digest = crypto::PublicDigest("attune/1 safety number", key, 30);
  std::string out;
  for (size_t group = 0; group < 6; ++group) {
    uint64_t value = 0;
    for (size_t i = 0; i < 5; ++i) value = value * 256 + digest[group * 5 + i];
    std::string digits = std::to_string(value % 100000);
    out += std::string(5 - digits.size(), '0') + digits + " ";
  }
  return out;
}

TEST(FingerprintTest, IsEightGroupsOfFourHexDigits) {
  const std::regex format("[0-9a-f]{4}( [0-9a-f]{4}){7}");
  for (int i = 0; i < 50; ++i) {
    const std::string fingerprint = Fingerprint(crypto::GenerateX25519KeyPair().public_key);
    EXPECT_EQ(fingerprint.size(), 39u) << fingerprint;
    EXPECT_TRUE(std::regex_match(fingerprint, format)) << fingerprint;
  }
  EXPECT_TRUE(std::regex_match(Fingerprint(KeyFilledWith(0)), format));
}

TEST(FingerprintTest, IsTheLabelledDigestOfTheKey) {
  const crypto::X25519PublicKey key = crypto::GenerateX25519KeyPair().public_key;
  std::string hex = Fingerprint(key);
  std::erase(hex, ' ');
  EXPECT_EQ(hex, ToHex(crypto::PublicDigest("attune/1 fingerprint", key, 16)));
}

TEST(FingerprintTest, IsStableAndDistinct) {
  const crypto::X25519PublicKey a = crypto::GenerateX25519KeyPair().public_key;
  EXPECT_EQ(Fingerprint(a), Fingerprint(a));
  std::set<std::string> seen;
  for (int i = 0; i < 32; ++i) {
    crypto::X25519PublicKey changed = a;
    changed[static_cast<size_t>(i)] ^= 0x01;
    EXPECT_NE(Fingerprint(changed), Fingerprint(a)) << i;
    seen.insert(Fingerprint(changed));
  }
  EXPECT_EQ(seen.size(), 32u);
}

TEST(SafetyNumberTest, IsTwelveGroupsOfFiveDigits) {
  const std::regex format("[0-9]{5}( [0-9]{5}){11}");
  for (int i = 0; i < 50; ++i) {
    const std::string number = SafetyNumber(crypto::GenerateX25519KeyPair().public_key,
                                            crypto::GenerateX25519KeyPair().public_key);
    EXPECT_EQ(number.size(), 71u) << number;
    EXPECT_TRUE(std::regex_match(number, format)) << number;
  }
  // A key paired with itself still gives a well-formed number.
  const crypto::X25519PublicKey same = KeyFilledWith(7);
  EXPECT_TRUE(std::regex_match(SafetyNumber(same, same), format));
}

TEST(SafetyNumberTest, IsTheSameOnBothMachines) {
  for (int i = 0; i < 20; ++i) {
    const crypto::X25519PublicKey a = crypto::GenerateX25519KeyPair().public_key;
    const crypto::X25519PublicKey b = crypto::GenerateX25519KeyPair().public_key;
    EXPECT_EQ(SafetyNumber(a, b), SafetyNumber(b, a));
  }
  EXPECT_EQ(SafetyNumber(KeyFilledWith(1), KeyFilledWith(2)),
            SafetyNumber(KeyFilledWith(2), KeyFilledWith(1)));
}

TEST(SafetyNumberTest, IsTheLowerKeysDigitsThenTheHigherKeys) {
  const crypto::X25519PublicKey low = KeyFilledWith(0x10);
  const crypto::X25519PublicKey high = KeyFilledWith(0xf0);
  std::string expected = DigitsOf(low) + DigitsOf(high);
  expected.pop_back();
  EXPECT_EQ(SafetyNumber(low, high), expected);
  EXPECT_EQ(SafetyNumber(high, low), expected);

  // Keys differing only in the last byte order by that byte.
  crypto::X25519PublicKey a = KeyFilledWith(0x55), b = KeyFilledWith(0x55);
  a[31] = 0x01;
  b[31] = 0x02;
  expected = DigitsOf(a) + DigitsOf(b);
  expected.pop_back();
  EXPECT_EQ(SafetyNumber(b, a), expected);
}

TEST(SafetyNumberTest, ChangesWhenEitherKeyChanges) {
  const crypto::X25519PublicKey a = crypto::GenerateX25519KeyPair().public_key;
  const crypto::X25519PublicKey b = crypto::GenerateX25519KeyPair().public_key;
  const std::string number = SafetyNumber(a, b);
  for (size_t i = 0; i < 32; ++i) {
    crypto::X25519PublicKey a2 = a, b2 = b;
    a2[i] ^= 0x80;
    b2[i] ^= 0x01;
    EXPECT_NE(SafetyNumber(a2, b), number) << i;
    EXPECT_NE(SafetyNumber(a, b2), number) << i;
    EXPECT_NE(SafetyNumber(b2, a), number) << i;
  }
  // A man in the middle holds a third key: each victim's number differs from the real one.
  const crypto::X25519PublicKey mallory = crypto::GenerateX25519KeyPair().public_key;
  EXPECT_NE(SafetyNumber(a, mallory), number);
  EXPECT_NE(SafetyNumber(mallory, b), number);
  EXPECT_NE(SafetyNumber(a, mallory), SafetyNumber(mallory, b));
}

}  // namespace
}  // namespace attune::protocol
