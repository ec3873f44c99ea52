// What the guided commands say: a statement's notes, a restated boundary, the quiz's answers and
// result, an empty style, the themes. tests/e2e/reflection_test.cc checks the same commands by
// exit code, JSON and stored entries.
#include "cli/reflection_messages.h"

#include <gtest/gtest.h>

#include <string>

#include "cli/exit_codes.h"
#include "cli/messages.h"
#include "cli/text_input.h"
#include "node/journal_reason.h"
#include "steps/quiz.h"
#include "tests/cli/says.h"

namespace attune::cli {
namespace {

using testing::Says;

TEST(ReflectionMessagesTest, ACleanStatementHasNoNotes) {
  EXPECT_EQ(StatementNotesText({}, "0123456789abcdef"), "");
}

TEST(ReflectionMessagesTest, NotesNameEachPhraseAndHowToReword) {
  const std::vector<steps::PhrasingNote> notes = {
      {"feel", "ignored", "It may land as blame.", "name the feeling in you"},
      {"when", "always", "It may sound final.", "describe one moment"}};
  const std::string said = StatementNotesText(notes, "0123456789abcdef");
  EXPECT_TRUE(Says(said, "gentle thoughts")) << said;
  EXPECT_TRUE(Says(said, "  - \"ignored\": It may land as blame. Name the feeling in you.\n"))
      << said;
  EXPECT_TRUE(Says(said, "  - \"always\": It may sound final. Describe one moment.\n")) << said;
  EXPECT_TRUE(Says(said, "`attune statement --edit 01234567 --feel ...`")) << said;
  EXPECT_FALSE(Says(said, "0123456789")) << "the id is shortened to eight characters";
}

TEST(ReflectionMessagesTest, StatementLinesSayWhatStandardInputMustHold) {
  const Status three = WrongStatementLines({"the feeling", "the situation", "what helps"}, 2);
  EXPECT_EQ(ExitCodeFor(three), kExitUsage);
  EXPECT_EQ(ReasonName(three), "statement_lines");
  const std::string said = Explain(three);
  EXPECT_TRUE(Says(said,
                   "a statement needs 3 lines on standard input (the feeling, the "
                   "situation, what helps), but found 2"))
      << said;
  EXPECT_TRUE(Says(said, "--feel, --when and --need")) << said;
  EXPECT_TRUE(Says(Explain(WrongStatementLines({"what helps"}, 0)),
                   "needs 1 line on standard input (what helps), but found 0"));
}

TEST(ReflectionMessagesTest, RestatedCountsOnceThenTimes) {
  EXPECT_TRUE(Says(RestatedText(1), "restated once.")) << RestatedText(1);
  EXPECT_TRUE(Says(RestatedText(3), "restated 3 times.")) << RestatedText(3);
}

std::string QuizInput(const std::string& first_lines, int rest, char answer) {
  std::string input = first_lines;
  for (int i = 0; i < rest; ++i) input += std::string(1, answer) + "\n";
  return input;
}

TEST(ReflectionMessagesTest, QuizAnswersAreReadOnePerLineSkippingBlanks) {
  const Result<std::vector<int>> answers =
      ReadQuizAnswers(QuizInput("\n1\n 7 \n\n", steps::kQuizItemCount - 2, '4'));
  ASSERT_TRUE(answers.ok()) << answers.status().detail();
  ASSERT_EQ(answers->size(), static_cast<size_t>(steps::kQuizItemCount));
  EXPECT_EQ((*answers)[0], 1);
  EXPECT_EQ((*answers)[1], 7);
  EXPECT_EQ(ParseQuizAnswer("0"), std::nullopt);
  EXPECT_EQ(ParseQuizAnswer("8"), std::nullopt);
  EXPECT_EQ(ParseQuizAnswer("4.5"), std::nullopt);
  EXPECT_EQ(ParseQuizAnswer(" 5 "), 5);
}

TEST(ReflectionMessagesTest, AnAnswerOffTheScaleIsNamedByItsNumber) {
  const Result<std::vector<int>> nine =
      ReadQuizAnswers(QuizInput("4\n4\n9\n", steps::kQuizItemCount - 3, '4'));
  ASSERT_FALSE(nine.ok());
  EXPECT_EQ(ExitCodeFor(nine.status()), kExitUsage);
  const std::string said = Explain(nine.status());
  EXPECT_TRUE(Says(said, "answer 3 is \"9\"")) << said;
  EXPECT_TRUE(Says(said, "from 1 to 7")) << said;
}

TEST(ReflectionMessagesTest, TheWrongNumberOfAnswersIsCounted) {
  const Result<std::vector<int>> short_by_one =
      ReadQuizAnswers(QuizInput("", steps::kQuizItemCount - 1, '4'));
  ASSERT_FALSE(short_by_one.ok());
  EXPECT_EQ(ExitCodeFor(short_by_one.status()), kExitUsage);
  const std::string said = Explain(short_by_one.status());
  EXPECT_TRUE(Says(said, "but " + std::to_string(steps::kQuizItemCount - 1) + " answers")) << said;
}

TEST(ReflectionMessagesTest, TheScoreNamesTheBlendAndIsNoDiagnosis) {
  const Result<steps::QuizScore> score =
      steps::ScoreQuiz(std::vector<int>(steps::kQuizItemCount, 4));
  ASSERT_TRUE(score.ok());
  const std::string said = ScoreText(*score, "CHART");
  EXPECT_EQ(said.rfind("Anxiety 4.0 and avoidance 4.0 (each from 1 to 7).\n", 0), 0u) << said;
  EXPECT_TRUE(Says(said, "Your blend: " + steps::DescribeBlend(*score) + ".")) << said;
  EXPECT_TRUE(Says(said, "\nCHART\n")) << said;
  EXPECT_TRUE(Says(said, "not a diagnosis")) << said;
}

TEST(ReflectionMessagesTest, NoStyleYetPointsToTheQuiz) {
  EXPECT_EQ(NoStyleYetText().rfind("No style result yet", 0), 0u);
  EXPECT_TRUE(Says(NoStyleYetText(), "`attune quiz`"));
}

TEST(ReflectionMessagesTest, ThemesGroupFeelingsTagsAndWordsWithTheTriggersIds) {
  const std::string none = ThemesText({}, {});
  EXPECT_EQ(none.rfind("No themes yet.", 0), 0u) << none;
  EXPECT_TRUE(Says(none, "`attune add trigger`")) << none;
  const std::string id(32, 'a');
  const steps::Themes themes{
      {{"lonely", 2, {id, "bbbbbbbb"}}}, {{"work", 1, {id}}}, {{"dishes", 2, {id, "bbbbbbbb"}}}};
  const std::string said = ThemesText(themes, {{id, "aaaaaa"}});
  EXPECT_TRUE(Says(said, "Feelings\n  lonely  2    aaaaaa bbbbbb\n")) << said;
  EXPECT_TRUE(Says(said, "Tags\n  #work  1    aaaaaa\n")) << said;
  EXPECT_TRUE(Says(said, "  dishes  2    aaaaaa bbbbbb\n")) << said;
  EXPECT_TRUE(Says(said, "`attune add wound")) << said;
}

TEST(ReflectionMessagesTest, TheBlendSaysWhatEachOfItsPartsOftenFeelsLike) {
  const steps::QuizScore score = steps::BlendFromScores(5.5, 3.0);
  const std::string text = BlendMeaningText(score, 1000);  // wide: one line per style
  size_t previous_at = 0;
  int shown = 0;
  for (int share = 100; share > 0; --share) {
    for (int i = 0; i < steps::kStyleCount; ++i) {
      if (score.blend_percent[i] != share) continue;
      const auto style = static_cast<steps::Style>(i);
      const size_t at =
          text.find(std::string(steps::StyleDisplayName(style)) + " (" + std::to_string(share) +
                    "%): " + std::string(steps::StyleSummary(style)));
      ASSERT_NE(at, std::string::npos) << steps::StyleDisplayName(style) << " in\n" << text;
      EXPECT_GE(at, previous_at) << "largest share first";
      previous_at = at;
      ++shown;
    }
  }
  EXPECT_GE(shown, 2);
  for (int i = 0; i < steps::kStyleCount; ++i) {
    if (score.blend_percent[i] != 0) continue;
    EXPECT_FALSE(Says(text, std::string(steps::StyleSummary(static_cast<steps::Style>(i)))));
  }
  EXPECT_TRUE(Says(ScoreText(score, "CHART"),
                   std::string(steps::StyleSummary(score.primary)).substr(0, 20)));
}

TEST(ReflectionMessagesTest, AStyleWrittenAsTextIsLeftOutAndSaysWhereItIs) {
  EXPECT_TRUE(Says(StyleWrittenAsTextNote(1), "`attune list --kind style`"));
  EXPECT_TRUE(Says(StyleWrittenAsTextNote(2), "2 style entries"));
  const Status refused = Status::InvalidArgument("a style result comes from the quiz")
                             .WithReason(node::JournalReason::kStyleComesFromQuiz);
  EXPECT_TRUE(Says(Explain(refused), "`attune quiz`"));
  EXPECT_TRUE(Says(Explain(refused), "`attune add note"));
  EXPECT_EQ(ExitCodeFor(refused), kExitUsage);
  const Status imported = Status::InvalidArgument("entry " + std::string(32, 'a'))
                              .WithReason(node::JournalReason::kStyleComesFromQuiz);
  EXPECT_TRUE(Says(Explain(imported), "entry " + std::string(32, 'a')));
  EXPECT_TRUE(Says(Explain(imported), "\"note\""));
}

}  // namespace
}  // namespace attune::cli
