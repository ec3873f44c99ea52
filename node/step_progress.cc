// ComputeProgress and SuggestedNextStep, declared in node/steps_guide.h.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "node/steps_guide.h"

namespace attune::node {
namespace {

// One suggested count within a step, and the command that adds toward it.
// The commands are suggestions the cli prints; they assume `attune quiz`,
// `attune statement --feel --when --need` and `attune add KIND "text"`.
struct Target {
  std::string_view kind;
  int count;
  std::string_view singular;
  std::string_view plural;
  std::string_view command;
};

struct StepTargets {
  int step;
  std::span<const Target> targets;
};

constexpr Target kStep1[] = {{"style", 1, "style result", "style results", "attune quiz"}};
constexpr Target kStep2[] = {
    {"partner-style", 1, "partner-style note", "partner-style notes",
     "attune add partner-style \"what I have learned about my partner's style\""}};
constexpr Target kStep3[] = {
    {"upside", 10, "upside", "upsides", "attune add upside \"one strength my style gives me\""},
    {"downside", 10, "downside", "downsides",
     "attune add downside \"one way my style makes closeness harder\""}};
constexpr Target kStep4[] = {
    {"trigger", 3, "trigger", "triggers", "attune add trigger \"I feel ... when ...\""}};
constexpr Target kStep5[] = {
    {"wound", 1, "wound", "wounds", "attune add wound \"the tender place beneath my triggers\""}};
constexpr Target kStep6[] = {
    {"origin", 1, "origin", "origins", "attune add origin \"where this wound began\""},
    {"need", 1, "need", "needs", "attune add need \"what this wound tells me I need\""}};
constexpr Target kStep7[] = {
    {"statement", 1, "statement", "statements",
     "attune statement --feel \"a feeling\" --when \"a moment\" --need \"what helps\""}};
constexpr Target kStep8[] = {{"boundary", 1, "boundary", "boundaries",
                              "attune add boundary \"what I will do to take care of myself\""}};
constexpr Target kStep9[] = {
    {"repair", 1, "repair", "repairs", "attune add repair \"a moment of repair between us\""}};

constexpr StepTargets kTargets[kStepCount] = {
    {1, kStep1}, {2, kStep2}, {3, kStep3}, {4, kStep4}, {5, kStep5},
    {6, kStep6}, {7, kStep7}, {8, kStep8}, {9, kStep9},
};

int CountOf(const std::map<std::string, int>& counts, std::string_view kind) {
  const auto it = counts.find(std::string(kind));
  return it == counts.end() ? 0 : std::max(it->second, 0);
}

// "3 of 10 upsides" up to the target; "12 triggers" once past it.
std::string DescribeCount(const Target& target, int have) {
  if (have <= target.count) {
    const std::string_view noun = target.count == 1 ? target.singular : target.plural;
    return std::to_string(have) + " of " + std::to_string(target.count) + " " + std::string(noun);
  }
  return std::to_string(have) + " " + std::string(target.plural);
}

StepProgress ProgressOf(const StepTargets& step, const std::map<std::string, int>& counts) {
  StepProgress progress;
  progress.step = step.step;
  progress.complete = true;
  for (const Target& target : step.targets) {
    const int have = CountOf(counts, target.kind);
    if (!progress.summary.empty()) progress.summary += ", ";
    progress.summary += DescribeCount(target, have);
    progress.started |= have > 0;
    if (have < target.count) {
      if (progress.complete) progress.next_action = std::string(target.command);
      progress.complete = false;
    }
  }
  return progress;
}

}  // namespace

std::vector<StepProgress> ComputeProgress(const std::map<std::string, int>& counts_by_kind) {
  std::vector<StepProgress> progress;
  progress.reserve(kStepCount);
  for (const StepTargets& step : kTargets) progress.push_back(ProgressOf(step, counts_by_kind));
  return progress;
}

std::optional<int> SuggestedNextStep(const std::vector<StepProgress>& progress) {
  for (const StepProgress& step : progress) {
    if (!step.complete) return step.step;
  }
  return std::nullopt;
}

}  // namespace attune::node
