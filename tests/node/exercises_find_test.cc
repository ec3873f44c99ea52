// Exercises::Find: what `attune together answer` resolves an id or prefix with, once, before it
// asks for the answer (and then answers that very exercise by its full id).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "node/exercises.h"
#include "tests/node/sharing_fixture.h"

namespace attune::node::testing {
namespace {

class ExercisesFindTest : public JournalSharingTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(JournalSharingTest::SetUp());
    ASSERT_NO_FATAL_FAILURE(Pair());
  }
};

TEST_F(ExercisesFindTest, FindsTheExerciseAPrefixNamesAsListShowsIt) {
  Exercises exercises(journal());
  ASSERT_OK_AND_ASSIGN(ExerciseView asked, exercises.Ask("check-in"));
  ASSERT_OK_AND_ASSIGN(ExerciseView by_prefix, exercises.Find(asked.id.substr(0, 8)));
  EXPECT_EQ(by_prefix.id, asked.id);
  EXPECT_EQ(by_prefix.name, "check-in");
  EXPECT_EQ(by_prefix.stage, ExerciseStage::kWaitingForBoth);
  ASSERT_OK_AND_ASSIGN(ExerciseView whole, exercises.Find(asked.id));
  EXPECT_EQ(whole.id, asked.id);

  ASSERT_OK(exercises.Answer(by_prefix.id, "good: the walk").status());
  ASSERT_OK_AND_ASSIGN(ExerciseView answered, exercises.Find(asked.id.substr(0, 4)));
  EXPECT_EQ(answered.stage, ExerciseStage::kWaitingForPartner);
  EXPECT_EQ(answered.my_answer, "good: the walk");
}

TEST_F(ExercisesFindTest, RefusesWhatNamesNoneOrSeveral) {
  Exercises exercises(journal());
  EXPECT_REASON(exercises.Find("ab"), kNotFound, ExerciseReason::kNoSuchExercise);
  EXPECT_REASON(exercises.Find(""), kNotFound, ExerciseReason::kNoSuchExercise);
  // Seventeen ids: at least two share their first hex digit.
  std::map<char, int> by_first_digit;
  for (int i = 0; i < 17; ++i) {
    ASSERT_OK_AND_ASSIGN(ExerciseView asked, exercises.Ask("one-upside"));
    ++by_first_digit[asked.id[0]];
  }
  for (const auto& [digit, count] : by_first_digit) {
    if (count > 1) {
      EXPECT_REASON(exercises.Find(std::string(1, digit)), kInvalidArgument,
                    JournalReason::kAmbiguousId);
    }
  }
  EXPECT_REASON(exercises.Find(std::string(33, '0')), kNotFound, ExerciseReason::kNoSuchExercise);
}

// Only the current partner's exercises are found: not those of another pairing.
TEST_F(ExercisesFindTest, FindsOnlyTheCurrentPartnersExercises) {
  Exercises exercises(journal());
  ASSERT_OK_AND_ASSIGN(ExerciseView asked, exercises.Ask("check-in"));
  ASSERT_OK(journal().Unpair(/*keep_entries=*/true).status());
  EXPECT_REASON(exercises.Find(asked.id), kInvalidArgument, JournalReason::kNotPaired);
  Partner other;
  other.public_key[0] = 9;
  other.display_name = "Robin";
  other.paired_at = clock_.Now();
  ASSERT_OK(journal().SavePartner(other, /*replace=*/false));
  EXPECT_REASON(exercises.Find(asked.id), kNotFound, ExerciseReason::kNoSuchExercise);
}

}  // namespace
}  // namespace attune::node::testing
