#include "steps/quiz.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace attune::steps {
namespace {

// Answers whose keyed value is `anxiety` on every anxiety item and `avoidance`
// on every avoidance item, undoing the reverse keying item by item.
std::vector<int> AnswersGiving(int anxiety, int avoidance) {
  std::vector<int> answers;
  for (const QuizItem& item : QuizItems()) {
    const int keyed = item.dimension == Dimension::kAnxiety ? anxiety : avoidance;
    answers.push_back(item.reverse_keyed ? 8 - keyed : keyed);
  }
  return answers;
}

std::array<int, 4> Percent(int secure, int anxious, int dismissive, int fearful) {
  return {secure, anxious, dismissive, fearful};
}

TEST(QuizItemsTest, NinePerDimensionFourReversedEach) {
  auto items = QuizItems();
  ASSERT_EQ(items.size(), 18u);
  int per_dimension[2] = {0, 0};
  int reversed[2] = {0, 0};
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(items[i].number, static_cast<int>(i) + 1);
    EXPECT_FALSE(items[i].text.empty());
    const int d = items[i].dimension == Dimension::kAnxiety ? 0 : 1;
    ++per_dimension[d];
    if (items[i].reverse_keyed) ++reversed[d];
  }
  EXPECT_EQ(per_dimension[0], 9);
  EXPECT_EQ(per_dimension[1], 9);
  EXPECT_EQ(reversed[0], 4);
  EXPECT_EQ(reversed[1], 4);
}

TEST(QuizItemsTest, ScaleHasSevenLabels) {
  auto labels = AnswerScaleLabels();
  ASSERT_EQ(labels.size(), 7u);
  EXPECT_EQ(labels.front(), "strongly disagree");
  EXPECT_EQ(labels.back(), "strongly agree");
  EXPECT_NE(AnswerScaleDescription().find("1 = strongly disagree"), std::string_view::npos);
}

struct Corner {
  int anxiety;
  int avoidance;
  std::array<int, 4> percent;
  Style primary;
};

TEST(ScoreQuizTest, CornersArePure) {
  const Corner corners[] = {
      {1, 1, Percent(100, 0, 0, 0), Style::kSecure},
      {7, 1, Percent(0, 100, 0, 0), Style::kAnxious},
      {1, 7, Percent(0, 0, 100, 0), Style::kDismissive},
      {7, 7, Percent(0, 0, 0, 100), Style::kFearful},
  };
  for (const Corner& c : corners) {
    auto score = ScoreQuiz(AnswersGiving(c.anxiety, c.avoidance));
    ASSERT_TRUE(score.ok()) << score.status().detail();
    EXPECT_DOUBLE_EQ(score->anxiety, c.anxiety);
    EXPECT_DOUBLE_EQ(score->avoidance, c.avoidance);
    EXPECT_EQ(score->blend_percent, c.percent) << c.anxiety << "," << c.avoidance;
    EXPECT_EQ(score->primary, c.primary);
  }
}

TEST(ScoreQuizTest, MiddleIsEvenAndTieGoesToSecure) {
  auto score = ScoreQuiz(AnswersGiving(4, 4));
  ASSERT_TRUE(score.ok());
  EXPECT_EQ(score->blend_percent, Percent(25, 25, 25, 25));
  EXPECT_EQ(score->primary, Style::kSecure);
}

TEST(ScoreQuizTest, HalfwayEdgeSplitsTwoStyles) {
  auto score = ScoreQuiz(AnswersGiving(7, 4));
  ASSERT_TRUE(score.ok());
  EXPECT_EQ(score->blend_percent, Percent(0, 50, 0, 50));
  EXPECT_EQ(score->primary, Style::kAnxious);  // tie with fearful: earlier style wins
}

TEST(ScoreQuizTest, ReverseKeyedItemsAreFlipped) {
  // Answering 7 everywhere: five straight items give 7, four reversed give 1.
  auto all_agree = ScoreQuiz(std::vector<int>(18, 7));
  ASSERT_TRUE(all_agree.ok());
  EXPECT_DOUBLE_EQ(all_agree->anxiety, (5 * 7 + 4 * 1) / 9.0);
  EXPECT_DOUBLE_EQ(all_agree->avoidance, (5 * 7 + 4 * 1) / 9.0);

  auto all_disagree = ScoreQuiz(std::vector<int>(18, 1));
  ASSERT_TRUE(all_disagree.ok());
  EXPECT_DOUBLE_EQ(all_disagree->anxiety, (5 * 1 + 4 * 7) / 9.0);
}

TEST(ScoreQuizTest, OneReversedAnswerMovesOnlyItsDimension) {
  std::vector<int> answers = AnswersGiving(1, 1);
  const QuizItem* reversed_anxiety = nullptr;
  for (const QuizItem& item : QuizItems()) {
    if (item.reverse_keyed && item.dimension == Dimension::kAnxiety) reversed_anxiety = &item;
  }
  ASSERT_NE(reversed_anxiety, nullptr);
  answers[reversed_anxiety->number - 1] = 1;  // strongly disagree with a reversed item
  auto score = ScoreQuiz(answers);
  ASSERT_TRUE(score.ok());
  EXPECT_DOUBLE_EQ(score->anxiety, (8 * 1 + 7) / 9.0);
  EXPECT_DOUBLE_EQ(score->avoidance, 1.0);
}

TEST(ScoreQuizTest, LargestRemainderRounding) {
  // x = y = 1/3: weights 4/9, 2/9, 2/9, 1/9 -> floors 44, 22, 22, 11; the
  // leftover point goes to the largest remainder (secure, .44).
  QuizScore score = BlendFromScores(3.0, 3.0);
  EXPECT_EQ(score.blend_percent, Percent(45, 22, 22, 11));
  EXPECT_EQ(score.primary, Style::kSecure);
}

TEST(ScoreQuizTest, BlendsAlwaysSumToHundred) {
  std::mt19937 rng(20240611);
  std::uniform_int_distribution<int> answer(1, 7);
  for (int round = 0; round < 5000; ++round) {
    std::vector<int> answers(18);
    for (int& a : answers) a = answer(rng);
    auto score = ScoreQuiz(answers);
    ASSERT_TRUE(score.ok());
    int sum = 0;
    for (int p : score->blend_percent) {
      EXPECT_GE(p, 0);
      EXPECT_LE(p, 100);
      sum += p;
    }
    ASSERT_EQ(sum, 100) << "round " << round;
    const int primary = score->blend_percent[static_cast<int>(score->primary)];
    EXPECT_EQ(primary, *std::max_element(score->blend_percent.begin(), score->blend_percent.end()));
  }
}

TEST(ScoreQuizTest, BlendFromScoresClampsOutOfRange) {
  QuizScore score = BlendFromScores(99.0, -3.0);
  EXPECT_DOUBLE_EQ(score.anxiety, 7.0);
  EXPECT_DOUBLE_EQ(score.avoidance, 1.0);
  EXPECT_EQ(score.blend_percent, Percent(0, 100, 0, 0));
}

TEST(ScoreQuizTest, RejectsWrongCount) {
  auto score = ScoreQuiz(std::vector<int>(17, 4));
  ASSERT_FALSE(score.ok());
  EXPECT_EQ(score.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(score.status().detail().find("expected 18 answers, got 17"), std::string::npos);
  EXPECT_FALSE(ScoreQuiz({}).ok());
}

TEST(ScoreQuizTest, RejectsOutOfRangeAnswerNamingItem) {
  std::vector<int> answers(18, 4);
  answers[4] = 0;
  answers[17] = 8;
  auto score = ScoreQuiz(answers);
  ASSERT_FALSE(score.ok());
  EXPECT_EQ(score.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(score.status().detail().find("item 5: answer 0"), std::string::npos);
  EXPECT_NE(score.status().detail().find("1 to 7"), std::string::npos);

  answers[4] = 4;
  auto last = ScoreQuiz(answers);
  ASSERT_FALSE(last.ok());
  EXPECT_NE(last.status().detail().find("item 18: answer 8"), std::string::npos);
}

QuizScore WithBlend(std::array<int, 4> percent, Style primary) {
  QuizScore score;
  score.blend_percent = percent;
  score.primary = primary;
  return score;
}

TEST(DescribeBlendTest, DescendingAndOmitsSmallShares) {
  EXPECT_EQ(DescribeBlend(WithBlend(Percent(80, 20, 0, 0), Style::kSecure)),
            "about 80% secure, 20% anxious");
  EXPECT_EQ(DescribeBlend(WithBlend(Percent(3, 90, 4, 3), Style::kAnxious)), "about 90% anxious");
  EXPECT_EQ(DescribeBlend(WithBlend(Percent(10, 5, 60, 25), Style::kDismissive)),
            "about 60% dismissive, 25% fearful, 10% secure, 5% anxious");
}

TEST(DescribeBlendTest, PrimaryLeadsTiesAndIsAlwaysNamed) {
  EXPECT_EQ(DescribeBlend(WithBlend(Percent(40, 40, 10, 10), Style::kAnxious)),
            "about 40% anxious, 40% secure, 10% dismissive, 10% fearful");
  EXPECT_EQ(DescribeBlend(WithBlend(Percent(25, 25, 25, 25), Style::kSecure)),
            "about 25% secure, 25% anxious, 25% dismissive, 25% fearful");
  EXPECT_EQ(DescribeBlend(WithBlend(Percent(0, 0, 0, 100), Style::kFearful)), "about 100% fearful");
  auto scored = ScoreQuiz(AnswersGiving(1, 1));
  ASSERT_TRUE(scored.ok());
  EXPECT_EQ(DescribeBlend(*scored), "about 100% secure");
}

TEST(StyleNamesTest, DisplayShortAndParse) {
  EXPECT_EQ(StyleDisplayName(Style::kAnxious), "anxious-preoccupied");
  EXPECT_EQ(StyleDisplayName(Style::kDismissive), "dismissive-avoidant");
  EXPECT_EQ(StyleDisplayName(Style::kFearful), "fearful-avoidant");
  EXPECT_EQ(StyleShortName(Style::kSecure), "secure");
  EXPECT_EQ(StyleShortName(Style::kFearful), "fearful");
  for (Style s : {Style::kSecure, Style::kAnxious, Style::kDismissive, Style::kFearful}) {
    EXPECT_FALSE(StyleSummary(s).empty());
    auto by_short = ParseStyle(StyleShortName(s));
    ASSERT_TRUE(by_short.ok());
    EXPECT_EQ(*by_short, s);
  }
  auto upper = ParseStyle("  Dismissive-Avoidant ");
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(*upper, Style::kDismissive);
  EXPECT_EQ(ParseStyle("avoidant").status().code(), StatusCode::kInvalidArgument);
}

TEST(QuizDisclaimerTest, SaysWhatTheBlendIsNot) {
  std::string_view text = QuizDisclaimer();
  EXPECT_NE(text.find("reflection aid"), std::string_view::npos);
  EXPECT_NE(text.find("not a diagnosis"), std::string_view::npos);
  EXPECT_NE(text.find("validated"), std::string_view::npos);
  EXPECT_NE(text.find("change"), std::string_view::npos);
  EXPECT_NE(text.find("psychotherapist"), std::string_view::npos);
}

}  // namespace
}  // namespace attune::steps
