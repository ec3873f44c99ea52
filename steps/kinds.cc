#include "steps/kinds.h"

#include <vector>

#include "steps/steps_guide.h"

namespace attune::steps {
namespace {

KindInfo InfoOf(const KindGuide& guide, int step) {
  return {guide.name, step, guide.description, guide.meant_for_sharing};
}

// Built once from the steps' table, so a kind and its step are stated in one place.
std::vector<KindInfo> FlattenKinds() {
  std::vector<KindInfo> kinds;
  for (const StepGuide& step : AllSteps()) {
    for (const KindGuide& kind : step.kinds) kinds.push_back(InfoOf(kind, step.number));
  }
  for (const KindGuide& kind : KindsOutsideSteps()) kinds.push_back(InfoOf(kind, 0));
  return kinds;
}

}  // namespace

std::span<const KindInfo> AllKinds() {
  static const std::vector<KindInfo> kinds = FlattenKinds();
  return kinds;
}

Result<const KindInfo*> FindKind(std::string_view name) {
  for (const KindInfo& kind : AllKinds()) {
    if (kind.name == name) return &kind;
  }
  return Status::InvalidArgument("unknown kind; the kinds are: " + KindNamesList());
}

std::string KindNamesList() {
  std::string names;
  for (const KindInfo& kind : AllKinds()) {
    if (!names.empty()) names += ", ";
    names += kind.name;
  }
  return names;
}

}  // namespace attune::steps
