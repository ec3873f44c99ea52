// SHA3-256 against the published vectors in tests/vectors/sha3-256.json (NIST's FIPS 202
// example values and CAVP byte-oriented known answers), and at every length around the rate.
#include "crypto/sha3.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "base/bytes.h"

namespace attune::crypto {
namespace {

class Sha3VectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string path = std::string(ATTUNE_SOURCE_DIR) + "/tests/vectors/sha3-256.json";
    std::ifstream file(path);
    ASSERT_TRUE(file.is_open()) << "missing " << path;
    const nlohmann::json json = nlohmann::json::parse(file, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(json.is_discarded()) << "unparsable " << path;
    ASSERT_TRUE(json.contains("vectors") && json["vectors"].is_array());
    vectors_ = json["vectors"];
  }

  // The message of a vector: "msg" in hex, or "msg_repeat" {byte, count}.
  static Bytes Sha3Message(const nlohmann::json& vector) {
    if (vector.contains("msg_repeat")) {
      const nlohmann::json& repeat = vector["msg_repeat"];
      const std::optional<Bytes> byte = FromHex(repeat.value("byte", std::string()));
      EXPECT_TRUE(byte.has_value() && byte->size() == 1);
      return Bytes(repeat.value("count", size_t{0}), byte.value_or(Bytes{0}).at(0));
    }
    const std::optional<Bytes> message = FromHex(vector.value("msg", std::string("?")));
    EXPECT_TRUE(message.has_value()) << vector.value("name", std::string());
    return message.value_or(Bytes{});
  }

  nlohmann::json vectors_;
};

TEST_F(Sha3VectorTest, MatchesEveryPublishedVector) {
  ASSERT_GE(vectors_.size(), 7u);
  std::set<size_t> lengths;
  for (const nlohmann::json& vector : vectors_) {
    const Bytes message = Sha3Message(vector);
    lengths.insert(message.size());
    EXPECT_EQ(ToHex(Sha3_256(message)), vector.value("md", std::string()))
        << vector.value("name", std::string()) << " (" << vector.value("source", std::string())
        << ")";
  }
  // The file must keep the cases that exercise the padding and block boundaries.
  for (size_t length : {0u, 3u, 135u, 136u, 200u, 273u}) {
    EXPECT_EQ(lengths.count(length), 1u) << "no vector of " << length << " bytes";
  }
}

TEST(Sha3Test, DigestIsThirtyTwoBytes) {
  EXPECT_EQ(kSha3_256Bytes, 32u);
  EXPECT_EQ(Sha3_256({}).size(), kSha3_256Bytes);
}

TEST(Sha3Test, EveryLengthAroundTheRateGivesItsOwnDigest) {
  // Messages of zeros from 0 to 3 blocks and a byte: without the 0x06 that marks where the
  // message ends (or with a block-boundary slip) two of these lengths would hash alike.
  std::set<Sha3_256Digest> seen;
  for (size_t length = 0; length <= 3 * 136 + 1; ++length) {
    EXPECT_TRUE(seen.insert(Sha3_256(Bytes(length, 0))).second) << length;
  }
}

TEST(Sha3Test, DependsOnEveryByteOfALongMessage) {
  Bytes message(300);
  for (size_t i = 0; i < message.size(); ++i) message[i] = static_cast<uint8_t>(i * 7);
  const Sha3_256Digest reference = Sha3_256(message);
  for (size_t i = 0; i < message.size(); ++i) {
    Bytes changed = message;
    changed[i] ^= 0x01;
    EXPECT_NE(Sha3_256(changed), reference) << i;
  }
}

}  // namespace
}  // namespace attune::crypto
