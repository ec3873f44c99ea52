// The commands `attune steps` suggests: the steps library names the kind, the cli the command.
#include "cli/steps_view.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace attune::cli
