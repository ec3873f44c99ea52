// Exercises two partners do together (issue 20): the same question for both, each answering
// privately, the answers shown to both only once both have answered (protocol/exercise.h). Each
// serves one of the nine steps. Written for attune; no streaks and no counts of missed weeks
// belong here or anywhere.
//
// Pure data: thread-safe, no I/O; the views point into static storage.
#ifndef ATTUNE_STEPS_EXERCISES_H_
#define ATTUNE_STEPS_EXERCISES_H_

#include <span>
#include <string_view>

namespace attune::steps {

struct ExerciseGuide {
  std::string_view name;     // as typed (`attune together ask NAME`) and as sent: stable
  int step;                  // the step it serves, 1..9
  std::string_view title;    // a few words
  std::string_view purpose;  // one or two sentences: what doing it together can give
  // What each partner answers: one question, or a few short ones (the weekly check-in).
  std::span<const std::string_view> questions;
};

// Every exercise, in the order of the steps they serve.
std::span<const ExerciseGuide> AllExercises();

// nullptr for a name no exercise has.
const ExerciseGuide* FindExercise(std::string_view name);

// The longest exercise name, in bytes: what the wire accepts (protocol/exercise.h has the same
// limit; steps and protocol depend on neither, so node/ checks at compile time that the two
// agree, and a test checks every name against it).
inline constexpr size_t kMaxExerciseNameBytes = 32;

}  // namespace attune::steps

#endif  // ATTUNE_STEPS_EXERCISES_H_
