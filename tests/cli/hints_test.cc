// The gentle hint: which step it points to, and that it always fits on one line of 80.
#include "cli/hints.h"

#include <gtest/gtest.h>

#include <map>

#include "cli/layout.h"

namespace attune::cli {
namespace {

std::vector<steps::StepProgress> ProgressWith(const std::map<std::string, int>& counts) {
  return steps::ComputeProgress(counts);
}

std::string HintFor(const HintRequest& request, const std::map<std::string, int>& counts) {
  return NextStepHint(request, ProgressWith(counts)).value_or("(none)");
}

TEST(HintsTest, InitInvitesStepOne) {
  EXPECT_NE(HintFor({"init", ""}, {}).find("step 1"), std::string::npos);
  EXPECT_NE(HintFor({"init", ""}, {}).find("attune quiz"), std::string::npos);
}

TEST(HintsTest, AnUnfinishedStepSaysWhereItStands) {
  EXPECT_EQ(HintFor({"add", "trigger"}, {{"trigger", 1}}),
            "Step 4 so far: 1 of 3 triggers. There is no hurry.");
}

TEST(HintsTest, AFinishedStepPointsToTheNextUnfinishedOne) {
  const std::string after_triggers = HintFor({"add", "trigger"}, {{"trigger", 3}});
  EXPECT_NE(after_triggers.find("step 5"), std::string::npos) << after_triggers;
  EXPECT_NE(after_triggers.find("attune themes"), std::string::npos) << after_triggers;
  // Past the last unfinished step, it goes back to the first one.
  const std::string after_repair = HintFor({"add", "repair"}, {{"repair", 1}});
  EXPECT_NE(after_repair.find("step 1"), std::string::npos) << after_repair;
}

TEST(HintsTest, ReadingCommandsGiveNone) {
  EXPECT_FALSE(CommandMayHint("list"));
  EXPECT_FALSE(CommandMayHint("steps"));
  EXPECT_FALSE(NextStepHint({"show", ""}, ProgressWith({})).has_value());
}

TEST(HintsTest, EveryHintFitsOnOneLineOfEighty) {
  const char* const kinds[] = {"style",  "partner-style", "upside",  "downside",  "trigger",
                               "wound",  "origin",        "need",    "statement", "boundary",
                               "repair", "note",          "response"};
  std::map<std::string, int> counts;
  for (int round = 0; round < 2; ++round) {
    for (const char* kind : kinds) {
      for (const char* command :
           {"add", "init", "quiz", "statement", "restate", "respond", "import", "pair", "sync"}) {
        const std::string hint = HintFor({command, kind}, counts);
        EXPECT_LE(DisplayWidth(hint), 80u) << hint;
      }
      counts[kind] = round == 0 ? 1 : 10;  // then every step is finished
    }
  }
  EXPECT_NE(HintFor({"add", "note"}, counts).find("Every step"), std::string::npos);
}

}  // namespace
}  // namespace attune::cli
