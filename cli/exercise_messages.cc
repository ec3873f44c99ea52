#include "cli/exercise_messages.h"

#include "cli/format.h"
#include "node/entry.h"
#include "steps/exercises.h"

namespace attune::cli {
namespace {

std::string TitleOf(const node::ExerciseView& exercise) {
  const steps::ExerciseGuide* guide = steps::FindExercise(exercise.name);
  if (guide == nullptr) return "an exercise this attune does not know yet (" + exercise.name + ")";
  return std::string(guide->title) + " (step " + std::to_string(guide->step) + ")";
}

}  // namespace

std::string ExerciseStageText(node::ExerciseStage stage, const std::string& partner) {
  switch (stage) {
    case node::ExerciseStage::kWaitingForBoth:
      return "waiting for both of you to answer";
    case node::ExerciseStage::kWaitingForYou:
      return partner + " has answered; their answer stays unseen until you answer too";
    case node::ExerciseStage::kWaitingForPartner:
      return "you have answered; " + partner + " sees your answer only once they have answered too";
    case node::ExerciseStage::kRevealing:
      return "you have both answered; the answers are on their way (at the next sync)";
    case node::ExerciseStage::kRevealed:
      return "both answers are here";
    case node::ExerciseStage::kMismatch:
      return partner +
             "'s answer did not match what their attune had promised, so it is not shown. "
             "This can mean their attune was changed; talk it over together";
    case node::ExerciseStage::kWithdrawn:
      return "withdrawn";
  }
  return "";
}

std::string ExerciseBlock(const node::ExerciseView& exercise, const std::string& partner) {
  std::string block = exercise.id.substr(0, 8) + "  " + TitleOf(exercise) + ", started by " +
                      (exercise.started_by_me ? std::string("you") : partner) + " on " +
                      LocalTime(exercise.started) + "\n        " +
                      ExerciseStageText(exercise.stage, partner) + "\n";
  if (exercise.stage == node::ExerciseStage::kRevealed) {
    block += "        You: " + Printable(exercise.my_answer.value_or("")) + "\n";
    block += "        " + partner + ": " + Printable(exercise.partner_answer.value_or("")) + "\n";
  }
  return block;
}

std::string AnswerPrompt(const node::ExerciseView& exercise, const std::string& partner) {
  std::string prompt = TitleOf(exercise) + ".";
  if (const steps::ExerciseGuide* guide = steps::FindExercise(exercise.name)) {
    for (std::string_view question : guide->questions) prompt += "\n" + std::string(question);
  }
  return prompt + "\nYour answer stays unseen until " + partner + " has answered too.";
}

std::string AskedText(const node::ExerciseView& exercise, const std::string& partner) {
  return "Started \"" + TitleOf(exercise) + "\" (" + exercise.id.substr(0, 8) + "). " + partner +
         " sees it at your next sync. Answer whenever you like: `attune together answer " +
         exercise.id.substr(0, 8) +
         "`. Neither of you sees the other's answer until both "
         "have answered.\n";
}

std::string AnsweredText(const node::ExerciseView& exercise, const std::string& partner) {
  if (exercise.stage == node::ExerciseStage::kRevealing) {
    return "Answered. You have both answered now: the answers travel at the next sync, and "
           "`attune together` shows them side by side.\n";
  }
  return "Answered. Your answer is sealed: " + partner +
         "'s attune holds only a commitment to it, and it travels only once " + partner +
         " has answered too.\n";
}

std::string WithdrawnText() {
  return "Withdrawn. Nothing of an answer was shown to either of you.\n";
}

std::string PartnerSoftwareText(const node::PartnerSoftware& seen, const std::string& partner) {
  std::string text;
  if (seen.lacks_exercises) {
    text += "Note: " + partner +
            "'s attune does not do exercises yet; they wait here and travel once it is updated. "
            "Everything else syncs as before.\n";
  }
  if (seen.sent_unknown) {
    text += "Note: " + partner +
            "'s attune sent something this attune cannot show yet; updating attune will show "
            "it.\n";
  }
  return text;
}

std::string ExerciseMenuText() {
  std::string menu = "Exercises to do together (`attune together ask NAME`):\n";
  for (const steps::ExerciseGuide& guide : steps::AllExercises()) {
    menu += "  " + std::string(guide.name) + std::string(16 - guide.name.size(), ' ') + "step " +
            std::to_string(guide.step) + "  " + std::string(guide.title) + "\n";
  }
  return menu;
}

std::optional<std::string> ExplainExerciseFailure(const Status& status) {
  using node::ExerciseReason;
  const std::string id = status.detail().substr(0, 8);
  if (status.Is(ExerciseReason::kUnknownExercise)) {
    return "there is no exercise called \"" + status.detail() +
           "\"; `attune together ask` lists them.";
  }
  if (status.Is(ExerciseReason::kNoSuchExercise)) {
    return "no exercise with the id " + status.detail() + "; `attune together` lists them.";
  }
  if (status.Is(ExerciseReason::kAlreadyAnswered)) {
    return "you have already answered " + id +
           ", and an answer does not change once given: that is what keeps both answers honest.";
  }
  if (status.Is(ExerciseReason::kOver)) {
    return "the exercise " + id + " is over (answered by both, or withdrawn); nothing changed.";
  }
  if (status.Is(ExerciseReason::kNotYours)) {
    return "only the one who started " + id + " can withdraw it; you can simply leave it.";
  }
  if (status.Is(ExerciseReason::kBothAnswered)) {
    return "you have both answered " + id + ", so it can no longer be withdrawn.";
  }
  if (status.Is(ExerciseReason::kAnswerTooLong)) {
    return "that answer is longer than the 16 KiB an exercise keeps; a shorter one, or a journal "
           "entry beside it, will do.";
  }
  return std::nullopt;
}

}  // namespace attune::cli
