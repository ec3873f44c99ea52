// The entry kinds of the journal, flat: one or two per step of the nine steps, plus `note` and
// `response`. Derived from the steps' table (steps/steps_guide.h), which is where a kind is added.
#ifndef ATTUNE_STEPS_KINDS_H_
#define ATTUNE_STEPS_KINDS_H_

#include <span>
#include <string>
#include <string_view>

#include "base/status.h"

namespace attune::steps {

struct KindInfo {
  std::string_view name;         // as typed on the command line and stored on disk
  int step;                      // 1..9, or 0 for `note`
  std::string_view description;  // one line, for help text and error messages
  bool meant_for_sharing;        // the kinds a partner is usually invited to read
};

// Every kind, in step order, then the kinds outside the steps. The names are part of the on-disk
// format: never rename one.
std::span<const KindInfo> AllKinds();

// kInvalidArgument (detail lists the kinds) for an unknown name.
Result<const KindInfo*> FindKind(std::string_view name);

// "style, partner-style, …" for messages.
std::string KindNamesList();

}  // namespace attune::steps

#endif  // ATTUNE_STEPS_KINDS_H_
