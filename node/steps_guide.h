// The nine steps of attune: what each one is about, prompts for journaling,
// the entry kinds that belong to it, and gentle progress tracking.
//
// The steps are not a test to pass. "Complete" only means the suggested number
// of entries exists (e.g. ten upsides); any step can be revisited at any time,
// entries can be added to complete steps, and nothing is locked by order.
//
// Pure data and functions: thread-safe, no I/O. String views and spans point
// into static storage and stay valid for the life of the program.
#ifndef ATTUNE_NODE_STEPS_GUIDE_H_
#define ATTUNE_NODE_STEPS_GUIDE_H_

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace attune::node {

inline constexpr int kStepCount = 9;

struct StepGuide {
  int number;  // 1..9
  std::string_view title;
  std::string_view guidance;                  // 3-6 sentences
  std::span<const std::string_view> prompts;  // 3-5 journaling prompts
  std::span<const std::string_view> kinds;    // entry kinds of this step (see node/kinds.h)
};

// The nine steps in order; AllSteps()[i].number == i + 1.
std::span<const StepGuide> AllSteps();

// kInvalidArgument ("steps are numbered 1 to 9") when n is outside 1..9.
// The pointer refers to static storage and is never null on success.
Result<const StepGuide*> FindStep(int n);

struct StepProgress {
  int step = 0;
  std::string summary;    // e.g. "3 of 10 upsides, 10 of 10 downsides"
  bool started = false;   // at least one entry of the step's kinds
  bool complete = false;  // every suggested count reached
  // A suggested command for the first count not yet reached, e.g. "attune quiz"
  // or "attune add upside \"one strength my style gives me\""; empty when complete.
  std::string next_action;
};

// One StepProgress per step, in order. counts_by_kind maps a kind name to how
// many entries of it exist; missing kinds count as 0, negative counts as 0,
// unknown kinds are ignored.
//
// Suggested counts: 1 style; 1 partner-style; 10 upsides and 10 downsides;
// 3 triggers; 1 wound; 1 origin and 1 need; 1 statement; 1 boundary; 1 repair.
// The summary says "N of T <kind>" up to the target and "N <kind>" beyond it.
std::vector<StepProgress> ComputeProgress(const std::map<std::string, int>& counts_by_kind);

// The first step that is not complete, or nullopt when all are.
std::optional<int> SuggestedNextStep(const std::vector<StepProgress>& progress);

// A short reminder that the steps are a path, not a test, and can be revisited.
std::string_view StepsPreamble();

// A gentle pointer to a trained psychotherapist, and to local emergency
// services for anyone in crisis. Shown with `attune step N` and in help text.
std::string_view SupportNote();

}  // namespace attune::node

#endif  // ATTUNE_NODE_STEPS_GUIDE_H_
