// ComputeProgress and SuggestedNextStep, declared in steps/steps_guide.h: the suggested counts
// are the steps' table's (KindGuide::suggested).
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "steps/steps_guide.h"

namespace attune::steps {
namespace {

int CountOf(const std::map<std::string, int>& counts, std::string_view kind) {
  const auto it = counts.find(std::string(kind));
  return it == counts.end() ? 0 : std::max(it->second, 0);
}

// "3 of 10 upsides" up to the suggested count; "12 triggers" once past it.
std::string DescribeCount(const KindGuide& kind, int have) {
  if (have <= kind.suggested) {
    const std::string_view noun = kind.suggested == 1 ? kind.singular : kind.plural;
    return std::to_string(have) + " of " + std::to_string(kind.suggested) + " " + std::string(noun);
  }
  return std::to_string(have) + " " + std::string(kind.plural);
}

StepProgress ProgressOf(const StepGuide& step, const std::map<std::string, int>& counts) {
  StepProgress progress;
  progress.step = step.number;
  progress.complete = true;
  for (const KindGuide& kind : step.kinds) {
    const int have = CountOf(counts, kind.name);
    if (!progress.summary.empty()) progress.summary += ", ";
    progress.summary += DescribeCount(kind, have);
    progress.started |= have > 0;
    if (have < kind.suggested) {
      if (progress.complete) progress.next_kind = kind.name;
      progress.complete = false;
    }
  }
  return progress;
}

}  // namespace

std::vector<StepProgress> ComputeProgress(const std::map<std::string, int>& counts_by_kind) {
  std::vector<StepProgress> progress;
  progress.reserve(kStepCount);
  for (const StepGuide& step : AllSteps()) progress.push_back(ProgressOf(step, counts_by_kind));
  return progress;
}

std::optional<int> SuggestedNextStep(const std::vector<StepProgress>& progress) {
  for (const StepProgress& step : progress) {
    if (!step.complete) return step.step;
  }
  return std::nullopt;
}

}  // namespace attune::steps
