// What the shared exercises say (`attune together ask|answer|withdraw|exercises`, and the
// exercises shown by `attune together`), and their failures in words. Pure functions: tests/cli
// owns the wording; the end-to-end tests assert on codes and JSON.
#ifndef ATTUNE_CLI_EXERCISE_MESSAGES_H_
#define ATTUNE_CLI_EXERCISE_MESSAGES_H_

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "node/exercises.h"

namespace attune::cli {

// "waiting for both of you", "your partner has answered; your answer is awaited", ...
std::string ExerciseStageText(node::ExerciseStage stage, const std::string& partner);

// One exercise, as `attune together` lists it: id, title, step, stage, and both answers once
// revealed. (--json prints node::ExerciseToJson, the page's shape too.)
std::string ExerciseBlock(const node::ExerciseView& exercise, const std::string& partner);

// The editor's header for answering: the exercise's question(s) and that the answer stays
// unseen until both have answered.
std::string AnswerPrompt(const node::ExerciseView& exercise, const std::string& partner);

// What `ask`, `answer` and `withdraw` say once done.
std::string AskedText(const node::ExerciseView& exercise, const std::string& partner);
std::string AnsweredText(const node::ExerciseView& exercise, const std::string& partner);
std::string WithdrawnText();

// What the last session showed of the partner's attune, as notes ("" when there is nothing to
// say): exercises waiting for an older attune, or something sent this attune cannot show yet.
std::string PartnerSoftwareText(const node::PartnerSoftware& seen, const std::string& partner);

// The exercises that exist, for `attune together ask` without a name.
std::string ExerciseMenuText();

// The exercises' failures (node::ExerciseReason) in words; nullopt for others.
std::optional<std::string> ExplainExerciseFailure(const Status& status);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_EXERCISE_MESSAGES_H_
