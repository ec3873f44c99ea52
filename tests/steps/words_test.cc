#include "steps/words.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace attune::steps {
namespace {

using Words = std::vector<std::string>;

TEST(WordsTest, StartsWithIgnoringCase) {
  EXPECT_TRUE(StartsWithIgnoringCase("I FEEL sad", "i feel"));
  EXPECT_FALSE(StartsWithIgnoringCase("I fe", "i feel"));
}

TEST(WordsTest, SplitsOnPunctuationAndDigits) {
  EXPECT_EQ(SplitWords("Hello, WORLD! 42times"), (Words{"hello", "world", "times"}));
  EXPECT_EQ(SplitWords("'quoted' don't ''"), (Words{"quoted", "don't"}));
  EXPECT_EQ(SplitWords(""), Words{});
}

TEST(WordsTest, HandlesTypographicPunctuation) {
  EXPECT_EQ(SplitWords("don\xE2\x80\x99t"), (Words{"don't"}));
  EXPECT_EQ(SplitWords("\xE2\x80\x9Cleft\xE2\x80\x9D\xE2\x80\x94"
                       "again\xE2\x80\xA6"),
            (Words{"left", "again"}));
  EXPECT_EQ(SplitWords("\xC2\xBFqu\xC3\xA9?\xC2\xA0s\xC3\xAD"), (Words{"qu\xC3\xA9", "s\xC3\xAD"}));
}

}  // namespace
}  // namespace attune::steps
