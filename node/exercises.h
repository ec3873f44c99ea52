// Shared exercises (issue 20), as the commands and the page see them: start one, answer it,
// withdraw it, list them. The answers are revealed to both partners only once both have answered
// (protocol/exercise.h runs the commit and reveal; node/link carries its messages to a partner
// whose attune speaks exercise/1). Everything is kept in one sealed record of the journal: the
// answers, the openings and what the partner revealed; nothing of it is in the clear on disk.
#ifndef ATTUNE_NODE_EXERCISES_H_
#define ATTUNE_NODE_EXERCISES_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "node/clock.h"
#include "node/journal.h"

namespace attune::node {

// Reasons (base/status.h) of the exercises; the range 890-899.
enum class ExerciseReason {
  kUnknownExercise = 890,  // kInvalidArgument: no exercise has that name (detail: the name)
  kNoSuchExercise = 891,   // kNotFound: no started exercise has that id (detail: the id)
  kAlreadyAnswered = 892,  // kInvalidArgument: an answer does not change once given
  kOver = 893,             // kInvalidArgument: revealed, mismatched or withdrawn already
  kNotYours = 894,         // kInvalidArgument: only the partner who started it can withdraw it
  kBothAnswered = 895,     // kInvalidArgument: withdrawing after both answered
  kAnswerTooLong = 896,    // kInvalidArgument: over protocol's kMaxExerciseAnswerBytes
};

enum class ExerciseStage {
  kWaitingForBoth,     // neither has answered (as far as this node knows)
  kWaitingForYou,      // the partner has answered; yours is awaited
  kWaitingForPartner,  // you answered; the partner's answer is awaited
  kRevealing,          // both answered; the answers are on their way to each other
  kRevealed,           // both answers shown
  kMismatch,           // the partner's answer did not match what they committed to: not shown
  kWithdrawn,          // the one who started it withdrew it
};

struct ExerciseView {
  std::string id;    // 32 hex digits
  std::string name;  // steps/exercises.h
  bool started_by_me = false;
  ExerciseStage stage = ExerciseStage::kWaitingForBoth;
  Timestamp started;
  std::optional<std::string> my_answer;       // yours, once given
  std::optional<std::string> partner_answer;  // only once revealed (and matching)
};

// What the last session showed of the partner's attune.
struct PartnerSoftware {
  bool lacks_exercises = false;  // its Hello did not list exercise/1: exercises wait for it
  bool sent_unknown = false;     // it sent something this attune cannot show (a newer feature)
};

// The stable name of a stage ("waiting_for_both", "revealed", ...): never renamed, scripts and
// the page test these.
std::string_view ExerciseStageName(ExerciseStage stage);

// One exercise as `attune together exercises --json` prints it and the page's GET /api/exercises
// lists it: {"id", "exercise", "step" (null for a name this attune does not know), "started_by":
// "me" | "partner", "started" (RFC 3339), "stage", "my_answer", "partner_answer"} (the answers
// null until given; the partner's only once revealed, as ExerciseView has it). Codes and the
// partner's own words only: no sentence of ours.
nlohmann::json ExerciseToJson(const ExerciseView& exercise);

class Exercises {
 public:
  explicit Exercises(Journal& journal) : journal_(journal) {}

  // Starts exercise `name` with the partner. kNotPaired (JournalReason) without a partner.
  Result<ExerciseView> Ask(std::string_view name);
  // Answers the exercise `id_or_prefix` (unique prefix): commits to the answer now; the answer
  // itself leaves only once both are committed.
  Result<ExerciseView> Answer(std::string_view id_or_prefix, std::string answer);
  // The current partner's exercise `id_or_prefix` names (a unique prefix of its id), as List()
  // shows it: kAmbiguousId (JournalReason) when it names several, kNoSuchExercise when it names
  // none (or is empty). Answer(view.id, ...) then finds that one exercise and no other.
  Result<ExerciseView> Find(std::string_view id_or_prefix);
  // The starter withdraws an exercise before both have answered.
  Result<ExerciseView> Withdraw(std::string_view id_or_prefix);
  // The current partner's exercises, the most recently started first.
  Result<std::vector<ExerciseView>> List();
  // As the last session with the partner found it (all false before any session).
  Result<PartnerSoftware> Partner();

 private:
  Journal& journal_;
};

}  // namespace attune::node

#endif  // ATTUNE_NODE_EXERCISES_H_
