#include "crypto/random.h"

#include <gtest/gtest.h>

#include <set>

namespace attune::crypto {
namespace {

// Randomness cannot be tested for quality here; these tests check sizes and
// that output is not constant. A false failure needs a 2^-256 coincidence.

TEST(RandomTest, RandomBytesHasRequestedSizeAndVaries) {
  EXPECT_TRUE(RandomBytes(0).empty());
  Bytes first = RandomBytes(32);
  Bytes second = RandomBytes(32);
  EXPECT_EQ(first.size(), 32u);
  EXPECT_NE(first, second);
}

TEST(RandomTest, FillRandomOverwritesTheWholeSpan) {
  Bytes buffer(64, 0);
  FillRandom(std::span<uint8_t>(buffer).subspan(32));
  EXPECT_EQ(Bytes(buffer.begin(), buffer.begin() + 32), Bytes(32, 0));  // untouched
  EXPECT_NE(Bytes(buffer.begin() + 32, buffer.end()), Bytes(32, 0));
}

TEST(RandomTest, RandomSecretHasRequestedSizeAndVaries) {
  SecureBytes first = RandomSecret(32);
  SecureBytes second = RandomSecret(32);
  EXPECT_EQ(first.size(), 32u);
  EXPECT_FALSE(first.ConstantTimeEquals(second));
  EXPECT_FALSE(first.ConstantTimeEquals(SecureBytes(32)));
}

TEST(RandomTest, RandomUniformCoversExactlyTheRange) {
  std::set<uint32_t> seen;
  for (int i = 0; i < 2000; ++i) {
    uint32_t value = RandomUniform(7);
    ASSERT_LT(value, 7u);
    seen.insert(value);
  }
  EXPECT_EQ(seen.size(), 7u);  // each value missed with probability (6/7)^2000
  EXPECT_EQ(RandomUniform(1), 0u);
  EXPECT_EQ(RandomUniform(0), 0u);
}

}  // namespace
}  // namespace attune::crypto
