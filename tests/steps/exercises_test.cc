// The exercises two partners do together (steps/exercises.h): one for each step the issue names,
// names that can travel, and no pressure in their words.
#include "steps/exercises.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>

namespace attune::steps {
namespace {

TEST(ExercisesTest, EachServesAStepWithAQuestionAndANameThatTravels) {
  std::set<std::string_view> names;
  for (const ExerciseGuide& exercise : AllExercises()) {
    SCOPED_TRACE(exercise.name);
    EXPECT_TRUE(names.insert(exercise.name).second) << "a name used twice";
    EXPECT_LE(exercise.name.size(), kMaxExerciseNameBytes);
    for (char c : exercise.name)
      EXPECT_TRUE(std::islower(static_cast<unsigned char>(c)) || c == '-');
    EXPECT_GE(exercise.step, 1);
    EXPECT_LE(exercise.step, 9);
    EXPECT_FALSE(exercise.title.empty());
    EXPECT_FALSE(exercise.purpose.empty());
    EXPECT_FALSE(exercise.questions.empty());
    EXPECT_EQ(FindExercise(exercise.name), &exercise);
  }
  EXPECT_EQ(FindExercise("nonsense"), nullptr);
}

TEST(ExercisesTest, TheIssuesExercisesAreThereForTheirSteps) {
  const std::pair<std::string_view, int> expected[] = {{"guess-style", 2},
                                                       {"one-upside", 3},
                                                       {"same-moment", 7},
                                                       {"repair-noticed", 9},
                                                       {"check-in", 9}};
  for (const auto& [name, step] : expected) {
    ASSERT_NE(FindExercise(name), nullptr) << name;
    EXPECT_EQ(FindExercise(name)->step, step) << name;
  }
  EXPECT_EQ(FindExercise("check-in")->questions.size(), 3u);
}

TEST(ExercisesTest, NoStreaksNoCountsNoPressure) {
  for (const ExerciseGuide& exercise : AllExercises()) {
    std::string all = std::string(exercise.title) + " " + std::string(exercise.purpose);
    for (std::string_view question : exercise.questions) all += " " + std::string(question);
    for (const char* pressure :
         {"streak", "missed", "in a row", "you must", "should have", "overdue", "don't forget"}) {
      EXPECT_EQ(all.find(pressure), std::string::npos) << exercise.name << ": " << pressure;
    }
  }
}

}  // namespace
}  // namespace attune::steps
