// An exercise as JSON (node/exercises.h): one shape for the command line's --json and the page.
#include "node/entry.h"
#include "node/exercises.h"
#include "steps/exercises.h"

namespace attune::node {

std::string_view ExerciseStageName(ExerciseStage stage) {
  switch (stage) {
    case ExerciseStage::kWaitingForBoth:
      return "waiting_for_both";
    case ExerciseStage::kWaitingForYou:
      return "waiting_for_you";
    case ExerciseStage::kWaitingForPartner:
      return "waiting_for_partner";
    case ExerciseStage::kRevealing:
      return "revealing";
    case ExerciseStage::kRevealed:
      return "revealed";
    case ExerciseStage::kMismatch:
      return "mismatch";
    case ExerciseStage::kWithdrawn:
      return "withdrawn";
  }
  return "unknown";
}

nlohmann::json ExerciseToJson(const ExerciseView& exercise) {
  const steps::ExerciseGuide* guide = steps::FindExercise(exercise.name);
  nlohmann::json object = {
      {"id", exercise.id},
      {"exercise", exercise.name},
      {"step", guide != nullptr ? nlohmann::json(guide->step) : nlohmann::json()},
      {"started_by", exercise.started_by_me ? "me" : "partner"},
      {"started", FormatRfc3339(exercise.started)},
      {"stage", ExerciseStageName(exercise.stage)},
      {"my_answer", nlohmann::json()},
      {"partner_answer", nlohmann::json()}};
  if (exercise.my_answer) object["my_answer"] = *exercise.my_answer;
  if (exercise.partner_answer) object["partner_answer"] = *exercise.partner_answer;
  return object;
}

}  // namespace attune::node
