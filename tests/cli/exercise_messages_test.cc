// What the shared exercises say: each stage in words that never show an answer early, the
// listing once revealed, and their failures. tests/e2e/exercise_test.cc checks the same outcomes
// by codes and JSON with two real processes.
#include "cli/exercise_messages.h"

#include <gtest/gtest.h>

#include "cli/exit_codes.h"
#include "cli/messages.h"
#include "tests/cli/says.h"

namespace attune::cli {
namespace {

using testing::Says;

node::ExerciseView Exercise(node::ExerciseStage stage) {
  node::ExerciseView view;
  view.id = "0123456789abcdef0123456789abcdef";
  view.name = "check-in";
  view.started_by_me = true;
  view.stage = stage;
  view.my_answer = "mine, in my words";
  if (stage == node::ExerciseStage::kRevealed) view.partner_answer = "theirs, in their words";
  return view;
}

TEST(ExerciseMessagesTest, EveryStageHasWordsAndANameAndOnlyARevealShowsAnswers) {
  for (const node::ExerciseStage stage :
       {node::ExerciseStage::kWaitingForBoth, node::ExerciseStage::kWaitingForYou,
        node::ExerciseStage::kWaitingForPartner, node::ExerciseStage::kRevealing,
        node::ExerciseStage::kRevealed, node::ExerciseStage::kMismatch,
        node::ExerciseStage::kWithdrawn}) {
    const std::string block = ExerciseBlock(Exercise(stage), "Sam");
    SCOPED_TRACE(node::ExerciseStageName(stage));
    EXPECT_FALSE(ExerciseStageText(stage, "Sam").empty());
    EXPECT_TRUE(Says(block, "Weekly check-in (step 9)")) << block;
    EXPECT_EQ(Says(block, "theirs, in their words"), stage == node::ExerciseStage::kRevealed);
    EXPECT_EQ(node::ExerciseToJson(Exercise(stage))["stage"], node::ExerciseStageName(stage));
  }
  EXPECT_TRUE(Says(ExerciseStageText(node::ExerciseStage::kWaitingForYou, "Sam"),
                   "unseen until you answer"));
  EXPECT_TRUE(Says(ExerciseStageText(node::ExerciseStage::kMismatch, "Sam"), "not shown"));
}

TEST(ExerciseMessagesTest, TheAnswerPromptAsksEveryQuestionAndSaysItStaysUnseen) {
  const std::string prompt = AnswerPrompt(Exercise(node::ExerciseStage::kWaitingForBoth), "Sam");
  EXPECT_TRUE(Says(prompt, "What felt good between us this week?")) << prompt;
  EXPECT_TRUE(Says(prompt, "in the week ahead?")) << prompt;
  EXPECT_TRUE(Says(prompt, "unseen until Sam has answered too")) << prompt;
  EXPECT_TRUE(Says(ExerciseMenuText(), "guess-style")) << ExerciseMenuText();
}

TEST(ExerciseMessagesTest, AnOlderOrNewerPartnerIsNamedGently) {
  EXPECT_EQ(PartnerSoftwareText({}, "Sam"), "");
  const std::string older = PartnerSoftwareText({.lacks_exercises = true}, "Sam");
  EXPECT_TRUE(Says(older, "Sam's attune does not do exercises yet")) << older;
  EXPECT_TRUE(Says(older, "Everything else syncs as before")) << older;
  const std::string newer = PartnerSoftwareText({.sent_unknown = true}, "Sam");
  EXPECT_TRUE(Says(newer, "cannot show yet")) << newer;
}

TEST(ExerciseMessagesTest, FailuresSayWhatHappenedAndWhatToDo) {
  const Status answered = Status::InvalidArgument("0123456789abcdef")
                              .WithReason(node::ExerciseReason::kAlreadyAnswered);
  EXPECT_TRUE(Says(Explain(answered), "does not change once given")) << Explain(answered);
  EXPECT_EQ(ReasonName(answered), "exercise_already_answered");
  EXPECT_EQ(ExitCodeFor(answered), kExitUsage);
  const Status unknown =
      Status::InvalidArgument("guess").WithReason(node::ExerciseReason::kUnknownExercise);
  EXPECT_TRUE(Says(Explain(unknown), "`attune together ask` lists them")) << Explain(unknown);
  const Status missing = Status::NotFound("abc").WithReason(node::ExerciseReason::kNoSuchExercise);
  EXPECT_EQ(ExitCodeFor(missing), kExitNotFound);
}

}  // namespace
}  // namespace attune::cli
