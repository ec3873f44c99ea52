// What attune says about itself (cli/help_messages.h): the overview, and the command a typo was
// closest to.
#include "cli/help_messages.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/cli/says.h"

namespace attune::cli {
namespace {

using testing::Says;

const std::vector<std::string> kNames = {"list",  "init", "add",   "search", "share", "shared",
                                         "steps", "step", "style", "sync",   "serve", "unshare"};

TEST(HelpMessagesTest, ATypoIsMatchedToTheNearestCommand) {
  EXPECT_EQ(ClosestCommand("lsit", kNames), "list");  // two letters swapped
  EXPECT_EQ(ClosestCommand("serach", kNames), "search");
  EXPECT_EQ(ClosestCommand("ad", kNames), "add");        // one left out
  EXPECT_EQ(ClosestCommand("stepss", kNames), "steps");  // one too many
  EXPECT_EQ(ClosestCommand("frobnicate", kNames), "");   // nothing close
}

TEST(HelpMessagesTest, NotACommandSaysNothingRanAndOffersTheNearest) {
  const std::string said = NotACommandText("lsit", "list");
  EXPECT_TRUE(Says(said, "'lsit' is not an attune command")) << said;
  EXPECT_TRUE(Says(said, "nothing was run")) << said;
  EXPECT_TRUE(Says(said, "Did you mean `attune list`?")) << said;
  EXPECT_FALSE(Says(NotACommandText("frobnicate", ""), "Did you mean")) << said;
  EXPECT_TRUE(Says(NotACommandText("frobnicate", ""), "`attune help`"));
}

TEST(HelpMessagesTest, TheOverviewNamesTheFirstCommandsHelpAndSupport) {
  const std::string overview = OverviewText();
  for (const char* part :
       {"attune init", "attune steps", "attune quiz", "attune help COMMAND", "psychotherapist"}) {
    EXPECT_TRUE(Says(overview, part)) << part;
  }
  EXPECT_TRUE(Says(SearchNeedsWordsText(), "`attune search WORD...`"));
}

}  // namespace
}  // namespace attune::cli
