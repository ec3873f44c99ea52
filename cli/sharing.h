// What the sharing commands have in common: asking before something private-by-nature is
// shared, and showing exactly what the partner will see.
#ifndef ATTUNE_CLI_SHARING_H_
#define ATTUNE_CLI_SHARING_H_

#include <string>
#include <string_view>

#include "base/status.h"
#include "node/entry.h"

namespace attune::cli {

// Kinds meant for sharing (need, statement, boundary, repair, style, response) pass at once.
// Others (triggers, wounds, ...) are usually private: asks on the terminal; `yes` (--yes)
// answers for scripts; without a terminal and without --yes, kInvalidArgument.
Status ConfirmKindForSharing(std::string_view kind, bool yes);

// The entry as the partner will see it: kind, text, tags and structured parts.
std::string PartnerPreview(const node::Entry& entry);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_SHARING_H_
