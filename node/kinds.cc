#include "node/kinds.h"

namespace attune::node {
namespace {

constexpr KindInfo kKinds[] = {
    {"style", 1, "your attachment-style self-assessment result (from `attune quiz`)", true},
    {"partner-style", 2, "what you have learned about your partner's style", false},
    {"upside", 3, "a strength your style gives you", false},
    {"downside", 3, "a way your style makes things harder", false},
    {"trigger", 4, "an \"I feel ... when ...\" moment, noted without judgement", false},
    {"wound", 5, "a core wound found in the themes of your triggers", false},
    {"origin", 6, "where a wound began, traced back to childhood", false},
    {"need", 6, "the need a wound points to", true},
    {"statement", 7, "a need put as \"I feel ... when ... I feel loved and connected when ...\"",
     true},
    {"boundary", 8, "a boundary, and each time it had to be restated", true},
    {"repair", 9, "a conscious wound-repair note", true},
    {"note", 0, "anything else", false},
    {"response", 0, "your answer to something your partner shared (from `attune respond`)", true},
};

}  // namespace

std::span<const KindInfo> AllKinds() {
  return kKinds;
}

Result<const KindInfo*> FindKind(std::string_view name) {
  for (const KindInfo& kind : kKinds) {
    if (kind.name == name) return &kind;
  }
  return Status::InvalidArgument("unknown kind; the kinds are: " + KindNamesList());
}

std::string KindNamesList() {
  std::string names;
  for (const KindInfo& kind : kKinds) {
    if (!names.empty()) names += ", ";
    names += kind.name;
  }
  return names;
}

}  // namespace attune::node
