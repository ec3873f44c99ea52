#include "steps/themes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace attune::steps {
namespace {

std::vector<std::string> Terms(const std::vector<ThemeCount>& counts) {
  std::vector<std::string> terms;
  for (const ThemeCount& c : counts) terms.push_back(c.term);
  return terms;
}

TEST(ComputeThemesTest, CountsSortsAndCutsToTen) {
  const std::vector<TriggerText> triggers = {
      {"I feel alone when you leave without saying goodbye", {"Leaving", "evening"}},
      {"I feel alone and scared when the house is quiet", {"leaving"}},
      {"I feel SCARED when plans change suddenly", {" Work "}},
  };
  Themes themes = ComputeThemes(triggers);
  EXPECT_EQ(themes.tags, (std::vector<ThemeCount>{{"leaving", 2}, {"evening", 1}, {"work", 1}}));
  ASSERT_EQ(themes.words.size(), 10u);
  EXPECT_EQ(themes.words[0], (ThemeCount{"alone", 2}));
  EXPECT_EQ(themes.words[1], (ThemeCount{"scared", 2}));
  // Ties by term; "without" is the eleventh and falls off.
  EXPECT_EQ(Terms(themes.words),
            (std::vector<std::string>{"alone", "scared", "change", "goodbye", "house", "leave",
                                      "plans", "quiet", "saying", "suddenly"}));
}

TEST(ComputeThemesTest, SkipsStopWordsAndShortWords) {
  for (const char* word : {"i", "feel", "when", "the", "and", "my", "me", "you"}) {
    EXPECT_TRUE(IsStopWord(word)) << word;
  }
  EXPECT_FALSE(IsStopWord("alone"));
  Themes themes = ComputeThemes({{"I feel my ok go, and you and me the when", {}}});
  EXPECT_TRUE(themes.words.empty()) << Terms(themes.words).front();
}

TEST(ComputeThemesTest, EachTriggerCountsOncePerTerm) {
  Themes themes = ComputeThemes({{"alone, alone, ALONE", {"night", "Night"}}, {"Alone", {}}});
  EXPECT_EQ(themes.words, (std::vector<ThemeCount>{{"alone", 2}}));
  EXPECT_EQ(themes.tags, (std::vector<ThemeCount>{{"night", 1}}));
}

TEST(ComputeThemesTest, KeepsApostrophesInsideWords) {
  Themes themes = ComputeThemes({{"I don't know my partner's plans; 'later' they said", {}}});
  EXPECT_EQ(Terms(themes.words),
            (std::vector<std::string>{"know", "later", "partner's", "plans", "said"}));
}

TEST(ComputeThemesTest, EmptyInputGivesEmptyThemes) {
  Themes themes = ComputeThemes({});
  EXPECT_TRUE(themes.tags.empty());
  EXPECT_TRUE(themes.words.empty());
  Themes blank = ComputeThemes({{"", {"", "   "}}});
  EXPECT_TRUE(blank.tags.empty());
  EXPECT_TRUE(blank.words.empty());
}

}  // namespace
}  // namespace attune::steps
