// The nine steps of attune: what each one is about, prompts for journaling,
// the entry kinds that belong to it, and gentle progress tracking.
//
// The steps are not a test to pass. "Complete" only means the suggested number
// of entries exists (e.g. ten upsides); any step can be revisited at any time,
// entries can be added to complete steps, and nothing is locked by order.
//
// Pure data and functions: thread-safe, no I/O. String views and spans point
// into static storage and stay valid for the life of the program.
#ifndef ATTUNE_STEPS_STEPS_GUIDE_H_
#define ATTUNE_STEPS_STEPS_GUIDE_H_

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace attune::steps {

inline constexpr int kStepCount = 9;

// One kind of entry as the steps describe it. steps/kinds.h lists the same kinds flat, with the
// step each belongs to.
struct KindGuide {
  std::string_view name;         // as typed on the command line and stored on disk
  std::string_view description;  // one line, for help text and the editor's prompt
  bool meant_for_sharing;        // the kinds a partner is usually invited to read
  int suggested;                 // entries the step suggests (0 for kinds outside the steps)
  std::string_view singular;     // "upside", for progress ("1 of 1 upside")
  std::string_view plural;       // "upsides"
};

struct StepGuide {
  int number;  // 1..9
  std::string_view title;
  std::string_view guidance;                  // 3-6 sentences
  std::span<const std::string_view> prompts;  // 3-5 journaling prompts
  std::span<const KindGuide> kinds;           // the entry kinds of this step, in order
};

// The nine steps in order; AllSteps()[i].number == i + 1. This is the one table of the steps:
// kinds and progress are derived from it.
std::span<const StepGuide> AllSteps();

// The kinds that belong to no step (`note`, `response`), in order.
std::span<const KindGuide> KindsOutsideSteps();

// kInvalidArgument ("steps are numbered 1 to 9") when n is outside 1..9.
// The pointer refers to static storage and is never null on success.
Result<const StepGuide*> FindStep(int n);

struct StepProgress {
  int step = 0;
  std::string summary;    // e.g. "3 of 10 upsides, 10 of 10 downsides"
  bool started = false;   // at least one entry of the step's kinds
  bool complete = false;  // every suggested count reached
  // The kind of the first count not yet reached, e.g. "upside"; empty when complete. The cli
  // turns it into a command to suggest.
  std::string_view next_kind;
};

// One StepProgress per step, in order. counts_by_kind maps a kind name to how
// many entries of it exist; missing kinds count as 0, negative counts as 0,
// unknown kinds are ignored.
//
// Suggested counts come from the table (KindGuide::suggested): 1 style; 1 partner-style;
// 10 upsides and 10 downsides; 3 triggers; 1 wound; 1 origin and 1 need; 1 statement;
// 1 boundary; 1 repair.
// The summary says "N of T <kind>" up to the target and "N <kind>" beyond it.
std::vector<StepProgress> ComputeProgress(const std::map<std::string, int>& counts_by_kind);

// The first step that is not complete, or nullopt when all are.
std::optional<int> SuggestedNextStep(const std::vector<StepProgress>& progress);

// A short reminder that the steps are a path, not a test, and can be revisited.
std::string_view StepsPreamble();

// A gentle pointer to a trained psychotherapist, and to local emergency
// services for anyone in crisis. Shown with `attune step N` and in help text.
std::string_view SupportNote();

// The same in one line, for the places a person passes often (each step): it keeps the
// sentence about danger and emergency services. The note in full is shown once, at init and in
// `attune help support`, and wherever what a person writes suggests distress.
std::string_view SupportLine();

}  // namespace attune::steps

#endif  // ATTUNE_STEPS_STEPS_GUIDE_H_
