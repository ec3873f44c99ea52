// The commands `attune steps` suggests: the steps library names the kind, the cli the command.
#include "cli/steps_view.h"

#include <gtest/gtest.h>

#include <iostream>
#include <sstream>

#include "steps/kinds.h"

namespace attune::cli {
namespace {

TEST(SuggestedCommandTest, TheQuizAndTheStatementHaveTheirOwnCommands) {
  EXPECT_EQ(SuggestedCommand("style"), "attune quiz");
  EXPECT_EQ(SuggestedCommand("statement").rfind("attune statement --feel ", 0), 0u);
  EXPECT_EQ(SuggestedCommand("upside").rfind("attune add upside \"", 0), 0u);
  EXPECT_EQ(SuggestedCommand("need").rfind("attune add need ", 0), 0u);
  EXPECT_EQ(SuggestedCommand(""), "");
}

TEST(SuggestedCommandTest, EveryKindAStepSuggestsHasACommandWithAPlaceholder) {
  for (const steps::StepProgress& step : steps::ComputeProgress({})) {
    const std::string command = SuggestedCommand(step.next_kind);
    EXPECT_EQ(command.rfind("attune ", 0), 0u) << step.next_kind;
    if (step.next_kind != "style") {
      EXPECT_NE(command.find('"'), std::string::npos) << step.next_kind;
    }
  }
}

TEST(PartnerStyleLineTest, NamesThePartnerAndTheirBlend) {
  const std::string line = PartnerStyleLine("Alex", "mostly secure");
  EXPECT_EQ(line.rfind("Alex shared their style result: mostly secure", 0), 0u) << line;
  EXPECT_NE(line.find("`attune style`"), std::string::npos) << line;
  EXPECT_EQ(PartnerStyleChartLine("Alex", "mostly secure"), "Alex shared: mostly secure");
}

// What a function prints on standard output.
template <typename Print>
std::string Printed(Print print) {
  std::ostringstream captured;
  std::streambuf* const original = std::cout.rdbuf(captured.rdbuf());
  print();
  std::cout.rdbuf(original);
  return captured.str();
}

TEST(PrintStepTest, TitlePromptsAndTheCommandsOfTheStep) {
  const Result<const steps::StepGuide*> three = steps::FindStep(3);
  ASSERT_TRUE(three.ok());
  const std::string said = Printed([&] { PrintStep(**three); });
  EXPECT_EQ(said.rfind("Step 3: ", 0), 0u) << said;
  EXPECT_TRUE(said.find("Prompts to write from:") != std::string::npos) << said;
  EXPECT_TRUE(said.find("`attune add upside`") != std::string::npos) << said;
  EXPECT_TRUE(said.find("`attune add downside`") != std::string::npos) << said;
}

TEST(PrintNextStepTest, GivesTheCommandAndPointsToTheStepsGuidance) {
  const std::vector<steps::StepProgress> progress = steps::ComputeProgress({});
  const std::string said = Printed([&] { PrintNextStep(progress[1]); });
  EXPECT_TRUE(said.find(SuggestedCommand(progress[1].next_kind)) != std::string::npos) << said;
  EXPECT_TRUE(said.find("(`attune step 2` has guidance and prompts.)\n") != std::string::npos)
      << said;
}

}  // namespace
}  // namespace attune::cli
