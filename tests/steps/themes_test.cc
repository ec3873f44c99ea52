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

TEST(ComputeThemesTest, GroupsFeelingsTagsAndWordsThatComeBackWithTheirTriggers) {
  const std::vector<TriggerText> triggers = {
      {"I feel alone when you leave without saying goodbye", {"Leaving", "evening"}, "t1"},
      {"I feel alone and scared when the house goes quiet", {"leaving"}, "t2"},
      {"I feel SCARED when plans change and the house is quiet", {" Work "}, "t3"},
  };
  Themes themes = ComputeThemes(triggers);
  EXPECT_EQ(themes.feelings,
            (std::vector<ThemeCount>{{"alone", 2, {"t1", "t2"}}, {"scared", 2, {"t2", "t3"}}}));
  EXPECT_EQ(themes.tags,
            (std::vector<ThemeCount>{
                {"leaving", 2, {"t1", "t2"}}, {"evening", 1, {"t1"}}, {"work", 1, {"t3"}}}));
  // Only words two triggers share; "goes" is filler, a word written once is no theme.
  EXPECT_EQ(themes.words,
            (std::vector<ThemeCount>{{"house", 2, {"t2", "t3"}}, {"quiet", 2, {"t2", "t3"}}}));
}

TEST(ComputeThemesTest, CutsEachListToTen) {
  std::vector<TriggerText> triggers(2);
  for (int i = 0; i < 12; ++i) {
    const std::string word = "word" + std::string(1, static_cast<char>('a' + i));
    triggers[0].text += word + " ";
    triggers[1].text += word + " ";
  }
  EXPECT_EQ(ComputeThemes(triggers).words.size(), static_cast<size_t>(kMaxThemeTerms));
}

TEST(ComputeThemesTest, SkipsStopFillerAndShortWords) {
  for (const char* word :
       {"i", "feel", "when", "the", "and", "my", "me", "you", "goes", "last", "thing", "time"}) {
    EXPECT_TRUE(IsStopWord(word)) << word;
  }
  EXPECT_FALSE(IsStopWord("alone"));
  EXPECT_TRUE(IsFeelingWord("lonely"));
  EXPECT_FALSE(IsFeelingWord("house"));
  Themes themes = ComputeThemes({{"I feel my ok go, and you and me the when last", {}},
                                 {"I feel my ok go, and you and me the when last", {}}});
  EXPECT_TRUE(themes.words.empty()) << Terms(themes.words).front();
}

TEST(ComputeThemesTest, EachTriggerCountsOncePerTerm) {
  Themes themes = ComputeThemes({{"alone, alone, ALONE", {"night", "Night"}}, {"Alone", {}}});
  EXPECT_EQ(Terms(themes.feelings), (std::vector<std::string>{"alone"}));
  EXPECT_EQ(themes.feelings[0].count, 2);
  EXPECT_EQ(themes.tags[0].count, 1);
}

TEST(ComputeThemesTest, KeepsApostrophesInsideWords) {
  const TriggerText trigger{"I don't see my partner's plans; 'later' they said", {}};
  Themes themes = ComputeThemes({trigger, trigger});
  EXPECT_EQ(Terms(themes.words), (std::vector<std::string>{"later", "partner's", "plans", "see"}));
}

TEST(ComputeThemesTest, EmptyInputGivesEmptyThemes) {
  Themes themes = ComputeThemes({});
  EXPECT_TRUE(themes.tags.empty());
  EXPECT_TRUE(themes.words.empty());
  EXPECT_TRUE(themes.feelings.empty());
  Themes blank = ComputeThemes({{"", {"", "   "}}});
  EXPECT_TRUE(blank.tags.empty());
  EXPECT_TRUE(blank.words.empty());
}

}  // namespace
}  // namespace attune::steps
