// Step 8's phrasing check: demands, ultimatums, absolutes and blame are pointed out, in order,
// each once; a boundary that speaks of what the person will do passes quietly.
#include "steps/boundary_check.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace attune::steps {
namespace {

std::vector<std::string> Found(std::string_view text) {
  std::vector<std::string> found;
  for (const PhrasingNote& note : CheckBoundary(text)) {
    EXPECT_EQ(note.part, "boundary");
    EXPECT_FALSE(note.why.empty());
    EXPECT_FALSE(note.suggestion.empty());
    found.push_back(note.found);
  }
  return found;
}

TEST(BoundaryCheckTest, ABoundaryAboutWhatIWillDoPassesQuietly) {
  EXPECT_TRUE(
      Found("When a talk gets loud, I will step away for twenty minutes and come back.").empty());
  EXPECT_TRUE(Found("").empty());
}

TEST(BoundaryCheckTest, DemandsThreatsAbsolutesAndBlameAreNotedInOrder) {
  EXPECT_EQ(Found("You must NEVER raise your voice, or else I go."),
            (std::vector<std::string>{"you must", "never", "or else"}));
  EXPECT_EQ(Found("You make me shut down; you need to stop."),
            (std::vector<std::string>{"you make me", "you need to"}));
  EXPECT_EQ(Found("You’d better call."), (std::vector<std::string>{"you'd better"}));
}

TEST(BoundaryCheckTest, WholeWordsOnlyAndEachPhraseOnce) {
  EXPECT_TRUE(Found("Nevertheless I will rest. Youmust is not a word.").empty());
  EXPECT_EQ(Found("always, always, always"), (std::vector<std::string>{"always"}));
}

}  // namespace
}  // namespace attune::steps
