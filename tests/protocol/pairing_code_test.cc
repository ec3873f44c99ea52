#include "protocol/pairing_code.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tests/common/status_assertions.h"

namespace attune::protocol {
namespace {

constexpr size_t kWordCount = 2048;

std::string Word(size_t index) {
  return std::string(PairingWords()[index]);
}

std::string Upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

bool IsWord(std::string_view text) {
  std::span<const std::string_view> words = PairingWords();
  return std::binary_search(words.begin(), words.end(), text);
}

// Expects `typed` to be refused with kInvalidArgument and a message that does not give the code
// away: it must not contain the typed text, nor any of `secret_words` (the valid words in it).
void ExpectRefused(const std::string& typed, const std::vector<std::string>& secret_words) {
  Result<PairingCode> parsed = ParsePairingCode(typed);
  ASSERT_FALSE(parsed.ok()) << typed;
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << typed;
  const std::string& detail = parsed.status().detail();
  EXPECT_FALSE(detail.empty());
  // (A bare "7" would match the example code the message shows, so only longer input counts.)
  if (typed.size() > 3) {
    EXPECT_EQ(detail.find(typed), std::string::npos) << detail;
  }
  for (const std::string& word : secret_words) {
    EXPECT_EQ(detail.find(word), std::string::npos)
        << "message leaks \"" << word << "\": " << detail;
  }
}

TEST(PairingWordsTest, HasTwoThousandFortyEightWords) {
  EXPECT_EQ(PairingWords().size(), kWordCount);
}

TEST(PairingWordsTest, IsStrictlySorted) {
  std::span<const std::string_view> words = PairingWords();
  for (size_t i = 1; i < words.size(); ++i) {
    EXPECT_LT(words[i - 1], words[i]) << "at " << i;
  }
}

TEST(PairingWordsTest, WordsAreThreeToEightLowercaseLetters) {
  for (std::string_view word : PairingWords()) {
    EXPECT_GE(word.size(), 3u) << word;
    EXPECT_LE(word.size(), 8u) << word;
    EXPECT_TRUE(std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        << word;
  }
}

TEST(PairingWordsTest, FirstFiveLettersAreUnique) {
  std::set<std::string_view> prefixes;
  for (std::string_view word : PairingWords()) {
    EXPECT_TRUE(prefixes.insert(word.substr(0, 5)).second) << word;
  }
}

TEST(PairingWordsTest, OrderIsPinned) {
  // The words' order is part of the protocol (index = meaning); a reordered list would make two
  // builds disagree on the same code. Pin both ends.
  ASSERT_EQ(PairingWords().size(), kWordCount);
  EXPECT_EQ(PairingWords().front(), "aardvark");
  EXPECT_EQ(PairingWords()[1], "abacus");
  EXPECT_EQ(PairingWords().back(), "zoom");
}

TEST(PairingCodeTest, ToStringIsChannelThenWordsWithHyphens) {
  PairingCode code{7, {0, 1, 2047}};
  EXPECT_EQ(code.ToString(), "7-aardvark-abacus-zoom");
  PairingCode other{999, {12, 12, 12}};
  EXPECT_EQ(other.ToString(), "999-" + Word(12) + "-" + Word(12) + "-" + Word(12));
}

TEST(PairingCodeTest, EveryWordRoundTripsInEveryPosition) {
  for (size_t i = 0; i < kWordCount; ++i) {
    PairingCode code{static_cast<uint32_t>(1 + i % kMaxChannel),
                     {static_cast<uint16_t>(i), static_cast<uint16_t>((i + 1) % kWordCount),
                      static_cast<uint16_t>((i + 1000) % kWordCount)}};
    Result<PairingCode> parsed = ParsePairingCode(code.ToString());
    ASSERT_TRUE(parsed.ok()) << code.ToString() << ": " << parsed.status().detail();
    EXPECT_EQ(*parsed, code) << code.ToString();
  }
}

TEST(PairingCodeTest, ChannelBoundsRoundTrip) {
  for (uint32_t channel : {1u, 9u, 10u, 99u, 100u, kMaxChannel}) {
    PairingCode code{channel, {5, 6, 7}};
    ASSERT_OK_AND_ASSIGN(PairingCode parsed, ParsePairingCode(code.ToString()));
    EXPECT_EQ(parsed, code);
  }
}

TEST(PairingCodeTest, NewCodesAreInRangeAndRoundTrip) {
  std::set<std::string> seen;
  std::set<uint32_t> channels;
  for (int i = 0; i < 200; ++i) {
    PairingCode code = NewPairingCode();
    EXPECT_GE(code.channel, 1u);
    EXPECT_LE(code.channel, kMaxChannel);
    for (uint16_t word : code.words) EXPECT_LT(word, kWordCount);
    ASSERT_OK_AND_ASSIGN(PairingCode parsed, ParsePairingCode(code.ToString()));
    EXPECT_EQ(parsed, code);
    seen.insert(code.ToString());
    channels.insert(code.channel);
  }
  // 200 draws of ~43 bits: a repeat would mean the generator is broken.
  EXPECT_EQ(seen.size(), 200u);
  EXPECT_GT(channels.size(), 100u);
}

TEST(PairingCodeTest, NewCodesUseTheWholeWordList) {
  // Over 3000 words drawn, a uniform choice hits both halves of the list and words past 1024
  // (an 11-bit index): catches a generator that draws from a prefix of the list.
  bool high = false, low = false, top_bit = false;
  for (int i = 0; i < 1000; ++i) {
    for (uint16_t word : NewPairingCode().words) {
      low = low || word < kWordCount / 2;
      high = high || word >= kWordCount / 2;
      top_bit = top_bit || word >= 1024 + 512;
    }
  }
  EXPECT_TRUE(low);
  EXPECT_TRUE(high);
  EXPECT_TRUE(top_bit);
}

TEST(ParsePairingCodeTest, IgnoresCaseAndAcceptsSpacesHyphensOrBoth) {
  const PairingCode code{42, {100, 900, 2000}};
  const std::string a = Word(100), b = Word(900), c = Word(2000);
  for (const std::string& typed :
       {"42-" + a + "-" + b + "-" + c, "42 " + a + " " + b + " " + c,
        "  42 - " + Upper(a) + " -" + b + "- " + Upper(c) + "  ", "42--" + a + "---" + b + "-" + c,
        "42\t" + a + "\n" + b + "  " + c, Upper("42-" + a + "-" + b + "-" + c),
        "-42-" + a + "-" + b + "-" + c + "-"}) {
    Result<PairingCode> parsed = ParsePairingCode(typed);
    ASSERT_TRUE(parsed.ok()) << "\"" << typed << "\": " << parsed.status().detail();
    EXPECT_EQ(*parsed, code) << typed;
  }
}

TEST(ParsePairingCodeTest, MixedCaseWithinAWord) {
  ASSERT_OK_AND_ASSIGN(PairingCode parsed, ParsePairingCode("3-AaRdVaRk-aBaCuS-ZoOm"));
  EXPECT_EQ(parsed, (PairingCode{3, {0, 1, 2047}}));
}

TEST(ParsePairingCodeTest, AcceptsEveryWordByItsFirstFiveLetters) {
  for (size_t i = 0; i < kWordCount; ++i) {
    const std::string word = Word(i);
    for (size_t length = 5; length <= word.size(); ++length) {
      const std::string typed =
          "1-" + word.substr(0, length) + "-" + Upper(word.substr(0, length)) + "-" + word;
      Result<PairingCode> parsed = ParsePairingCode(typed);
      ASSERT_TRUE(parsed.ok()) << typed << ": " << parsed.status().detail();
      const auto index = static_cast<uint16_t>(i);
      EXPECT_EQ(*parsed, (PairingCode{1, {index, index, index}})) << typed;
    }
  }
}

TEST(ParsePairingCodeTest, RefusesPrefixesShorterThanFiveLetters) {
  int checked = 0;
  for (std::string_view word : PairingWords()) {
    if (word.size() < 5) continue;
    for (size_t length = 1; length < 5; ++length) {
      const std::string prefix(word.substr(0, length));
      if (IsWord(prefix)) continue;  // e.g. "zoo" for "zoom": a word in its own right
      const std::string typed = "5-" + prefix + "-" + Word(1) + "-" + Word(2);
      EXPECT_FALSE(ParsePairingCode(typed).ok()) << typed;
      ++checked;
    }
  }
  EXPECT_GT(checked, 1000);
}

TEST(ParsePairingCodeTest, AShortWordIsItselfNotAPrefixOfALongerOne) {
  // "zoo" and "zoom" are both on the list: "zoo" means zoo.
  std::span<const std::string_view> words = PairingWords();
  const auto zoo =
      static_cast<uint16_t>(std::find(words.begin(), words.end(), "zoo") - words.begin());
  ASSERT_LT(zoo, kWordCount);
  ASSERT_OK_AND_ASSIGN(PairingCode parsed, ParsePairingCode("1-zoo-zoom-zoo"));
  EXPECT_EQ(parsed, (PairingCode{1, {zoo, 2047, zoo}}));
}

TEST(ParsePairingCodeTest, RefusesAWordWithExtraLetters) {
  ExpectRefused("1-aardvarks-abacus-zoom", {"abacus", "zoom"});
  ExpectRefused("1-aardvark-abacusx-zoom", {"aardvark", "zoom"});
}

TEST(ParsePairingCodeTest, RefusesUnknownWords) {
  ExpectRefused("1-zzzzz-abacus-zoom", {"abacus", "zoom"});
  ExpectRefused("1-aardvark-abacus-qqqqqq", {"aardvark", "abacus"});
  ExpectRefused("1-aardvark-caf\xc3\xa9-zoom", {"aardvark", "zoom"});
  ExpectRefused("1-aardvark-abacus-zoom1", {"aardvark", "abacus"});
  ExpectRefused("1-aardvark-7-zoom", {"aardvark", "zoom"});
}

TEST(ParsePairingCodeTest, RefusesBadChannels) {
  const std::vector<std::string> words = {Word(10), Word(20), Word(30)};
  const std::string tail = "-" + words[0] + "-" + words[1] + "-" + words[2];
  for (const std::string channel : {"0", "1000", "x", "+7", "~1", "7a", "1e2", "4294967297",
                                    "99999999999999999999", "0x7", "\xd9\xa7"}) {
    ExpectRefused(channel + tail, words);
  }
}

TEST(ParsePairingCodeTest, RefusesTheWrongNumberOfParts) {
  const std::vector<std::string> words = {Word(10), Word(20), Word(30), Word(40)};
  ExpectRefused("", {});
  ExpectRefused("   - -  ", {});
  ExpectRefused("7", {});
  ExpectRefused("7-" + words[0], {words[0]});
  ExpectRefused("7-" + words[0] + "-" + words[1], {words[0], words[1]});
  ExpectRefused("7-" + words[0] + "-" + words[1] + "-" + words[2] + "-" + words[3], words);
  ExpectRefused("7-8-" + words[0] + "-" + words[1] + "-" + words[2], words);
  ExpectRefused(words[0] + "-" + words[1] + "-" + words[2], {words[0], words[1], words[2]});
}

TEST(ParsePairingCodeTest, AWordInTheChannelPlaceIsRefused) {
  const std::vector<std::string> words = {Word(10), Word(20), Word(30)};
  ExpectRefused(words[0] + "-" + words[1] + "-" + words[2] + "-7", words);
}

}  // namespace
}  // namespace attune::protocol
