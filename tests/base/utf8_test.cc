#include "base/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace attune {
namespace {

// Strings shorter than eight bytes are checked one sequence at a time only; the same bytes
// placed anywhere in a run of ASCII go through the eight-byte fast path first. Both must agree.
std::string InAscii(const std::string& middle, size_t before, size_t after) {
  return std::string(before, 'a') + middle + std::string(after, 'z');
}

TEST(Utf8Test, AcceptsWellFormedText) {
  for (const char* text :
       {"", "a", "plain words", "caf\xc3\xa9", "\xe2\x82\xac 5", "\xf0\x9f\x98\x80 smile",
        "\xf4\x8f\xbf\xbf", "\xed\x9f\xbf", "\xee\x80\x80"}) {
    EXPECT_TRUE(IsValidUtf8(text)) << text;
  }
}

TEST(Utf8Test, RefusesWhatStrictUtf8Refuses) {
  for (const char* text : {"\x80", "\xff", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf",
                           "\xed\xa0\x80",      // a UTF-16 surrogate
                           "\xf0\x80\x80\xaf",  // overlong
                           "\xf4\x90\x80\x80",  // above U+10FFFF
                           "\xf5\x80\x80\x80", "\xe2\x82", "\xc3", "\xc3\x28"}) {
    EXPECT_FALSE(IsValidUtf8(text)) << text;
  }
}

TEST(Utf8Test, EveryTwoByteStringGetsTheSameAnswerWhereverItSitsInAsciiText) {
  for (int first = 0; first < 256; ++first) {
    for (int second = 0; second < 256; ++second) {
      const std::string pair{static_cast<char>(first), static_cast<char>(second)};
      const bool alone = IsValidUtf8(pair);
      for (size_t before : {0, 1, 6, 7, 8, 9, 15, 16}) {
        for (size_t after : {0, 3, 8, 13}) {
          ASSERT_EQ(IsValidUtf8(InAscii(pair, before, after)), alone)
              << first << " " << second << " after " << before << " ASCII bytes";
        }
      }
    }
  }
}

TEST(Utf8Test, LongerSequencesAndTruncationsAreJudgedTheSameInsideAsciiText) {
  for (const std::string& middle :
       {std::string("\xe2\x82\xac"), std::string("\xf0\x9f\x98\x80"), std::string("\xe2\x82"),
        std::string("\xf0\x9f\x98"), std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80"),
        std::string("\xe0\xa0\x80"), std::string("\xe0\x9f\xbf")}) {
    const bool alone = IsValidUtf8(middle);
    for (size_t before = 0; before <= 17; ++before) {
      for (size_t after = 0; after <= 17; ++after) {
        ASSERT_EQ(IsValidUtf8(InAscii(middle, before, after)), alone)
            << before << " before, " << after << " after";
      }
    }
  }
}

TEST(Utf8Test, ATruncatedSequenceAtTheEndOfLongTextIsRefused) {
  EXPECT_FALSE(IsValidUtf8(std::string(64, 'a') + "\xf0\x9f\x98"));
  EXPECT_FALSE(IsValidUtf8(std::string(64, 'a') + "\xc3"));
  EXPECT_TRUE(IsValidUtf8(std::string(64, 'a') + "\xc3\xa9" + std::string(64, 'b')));
}

}  // namespace
}  // namespace attune
