#include "crypto/recovery_code.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "base/bytes.h"
#include "crypto/random.h"

namespace attune::crypto {
namespace {

SecureBytes KeyFromHex(std::string_view hex) {
  return SecureBytes::CopyOf(FromHex(hex).value());
}

std::string EncodeOrDie(const SecureBytes& key) {
  Result<std::string> code = EncodeRecoveryCode(key);
  EXPECT_TRUE(code.ok()) << code.status().detail();
  return code.ok() ? *code : std::string();
}

void ExpectInvalid(std::string_view code, const std::string& detail_part) {
  Result<SecureBytes> decoded = DecodeRecoveryCode(code);
  ASSERT_FALSE(decoded.ok()) << code;
  EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument) << code;
  EXPECT_NE(decoded.status().detail().find(detail_part), std::string::npos)
      << decoded.status().detail();
}

// Golden codes computed independently with Python's base64.b32encode and
// hashlib.blake2b(key, key=b"attune recovery code v1 checksum",
// digest_size=32).digest()[:3]. They pin the format: codes already printed
// on paper must keep decoding.
TEST(RecoveryCodeTest, MatchesIndependentlyComputedCodes) {
  EXPECT_EQ(EncodeOrDie(SecureBytes(32)),
            "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAI-KL2W");
  EXPECT_EQ(EncodeOrDie(KeyFromHex("000102030405060708090a0b0c0d0e0f"
                                   "101112131415161718191a1b1c1d1e1f")),
            "AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT-CQKR-MFYY-DENB-WHA5-DYPQ-O2RH");
}

TEST(RecoveryCodeTest, IsGroupedUppercaseBase32) {
  std::string code = EncodeOrDie(RandomSecret(kRecoveryKeyBytes));
  ASSERT_EQ(code.size(), kRecoveryCodeChars + kRecoveryCodeChars / 4 - 1);
  for (size_t i = 0; i < code.size(); ++i) {
    if (i % 5 == 4) {
      EXPECT_EQ(code[i], '-') << "offset " << i;
    } else {
      EXPECT_TRUE((code[i] >= 'A' && code[i] <= 'Z') || (code[i] >= '2' && code[i] <= '7'))
          << "offset " << i;
    }
  }
}

TEST(RecoveryCodeTest, RoundTripsRandomKeys) {
  for (int i = 0; i < 20; ++i) {
    SecureBytes key = RandomSecret(kRecoveryKeyBytes);
    Result<SecureBytes> decoded = DecodeRecoveryCode(EncodeOrDie(key));
    ASSERT_TRUE(decoded.ok()) << decoded.status().detail();
    EXPECT_TRUE(decoded->ConstantTimeEquals(key));
  }
}

TEST(RecoveryCodeTest, IgnoresCaseSpacesDashesAndNewlines) {
  SecureBytes key = RandomSecret(kRecoveryKeyBytes);
  std::string code = EncodeOrDie(key);
  std::string bare;
  std::copy_if(code.begin(), code.end(), std::back_inserter(bare), [](char c) { return c != '-'; });
  std::string lower = bare;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  std::string messy = "  " + lower.substr(0, 20) + "\n" + bare.substr(20, 17) + " - \r\n\t" +
                      lower.substr(37) + "--\n";
  for (const std::string& variant : {bare, lower, messy}) {
    Result<SecureBytes> decoded = DecodeRecoveryCode(variant);
    ASSERT_TRUE(decoded.ok()) << variant << ": " << decoded.status().detail();
    EXPECT_TRUE(decoded->ConstantTimeEquals(key)) << variant;
  }
}

TEST(RecoveryCodeTest, ReadsDigitsBaseThirtyTwoLacksAsLookalikeLetters) {
  // A key chosen so that its code starts with B, I and O.
  SecureBytes key = KeyFromHex("0a1c000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d");
  std::string code = EncodeOrDie(key);
  ASSERT_EQ(code.substr(0, 3), "BIO");
  std::string misread = code;
  misread[0] = '8';
  misread[1] = '1';
  misread[2] = '0';
  Result<SecureBytes> decoded = DecodeRecoveryCode(misread);
  ASSERT_TRUE(decoded.ok()) << decoded.status().detail();
  EXPECT_TRUE(decoded->ConstantTimeEquals(key));
}

TEST(RecoveryCodeTest, DetectsEverySingleChangedCharacter) {
  // A fixed key keeps this deterministic: with a random one, a change in the
  // key part would slip past the 24-bit checksum with probability 2^-24.
  std::string code =
      EncodeOrDie(KeyFromHex("000102030405060708090a0b0c0d0e0f"
                             "101112131415161718191a1b1c1d1e1f"));
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  for (size_t i = 0; i < code.size(); ++i) {
    if (code[i] == '-') continue;
    for (size_t step : {1, 16, 31}) {  // neighbouring, distant and wrapped symbols
      std::string typo = code;
      typo[i] = alphabet[(alphabet.find(code[i]) + step) % alphabet.size()];
      ExpectInvalid(typo, "checksum does not match");
    }
  }
}

TEST(RecoveryCodeTest, DetectsSwappedNeighbours) {
  std::string code =
      EncodeOrDie(KeyFromHex("000102030405060708090a0b0c0d0e0f"
                             "101112131415161718191a1b1c1d1e1f"));
  for (size_t i = 0; i + 1 < code.size(); ++i) {
    if (code[i] == '-' || code[i + 1] == '-' || code[i] == code[i + 1]) continue;
    std::string swapped = code;
    std::swap(swapped[i], swapped[i + 1]);
    ExpectInvalid(swapped, "checksum does not match");
  }
}

TEST(RecoveryCodeTest, RejectsWrongLength) {
  std::string code = EncodeOrDie(RandomSecret(kRecoveryKeyBytes));
  ExpectInvalid(code.substr(0, code.size() - 1), "wrong length");  // one character missing
  ExpectInvalid(code + "A", "wrong length");                       // one character extra
  ExpectInvalid(code.substr(0, code.size() - 5), "wrong length");  // a whole group missing
  ExpectInvalid("", "wrong length");
  ExpectInvalid(" - \n", "wrong length");
  ExpectInvalid(code + code, "wrong length");
}

TEST(RecoveryCodeTest, RejectsCharactersOutsideTheAlphabet) {
  std::string code = EncodeOrDie(RandomSecret(kRecoveryKeyBytes));
  for (char bad : {'9', '!', '_', '.', '=', '\0', '\xc3'}) {
    std::string typo = code;
    typo[5] = bad;
    ExpectInvalid(typo, "character");
  }
}

TEST(RecoveryCodeTest, EncodeRejectsKeysOfTheWrongSize) {
  for (size_t size : {0, 16, 31, 33}) {
    Result<std::string> code = EncodeRecoveryCode(SecureBytes(size));
    ASSERT_FALSE(code.ok()) << size;
    EXPECT_EQ(code.status().code(), StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace attune::crypto
