// What the sharing commands have in common: asking before something private-by-nature is
// shared, showing exactly what the partner will see (the preview is rendered from
// node::SharePreview, itself decoded from the bytes that travel), and what happens after an
// already shared entry changes.
#ifndef ATTUNE_CLI_SHARING_H_
#define ATTUNE_CLI_SHARING_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/status.h"
#include "node/entry.h"
#include "node/journal.h"

namespace attune::cli {

// Kinds meant for sharing (need, statement, boundary, repair, style, response) pass at once.
// Others (triggers, wounds, ...) are usually private: asks on the terminal; `yes` (--yes)
// answers for scripts; without a terminal and without --yes, kInvalidArgument.
Status ConfirmKindForSharing(std::string_view kind, bool yes);

// Everything the partner's node will hold of the entry, in words: kind, times, text, tags,
// links and every structured part (a statement's parts, a style result's scores and blend, a
// boundary's restatements with their notes, what a response answers), and whether a style
// result's quiz item answers stay home.
std::string SharePreviewText(const node::SharePreview& preview);

// What the partner's `show --json` will show for the entry, less author and visibility.
nlohmann::json SharePreviewJson(const node::SharePreview& preview);

// What became of a change to an entry that is shared.
enum class NewVersion {
  kNotShared,  // the entry is private: nothing to send
  kUnchanged,  // the partner already has exactly this version
  kSent,       // confirmed: it reaches the partner at the next sync
  kWaiting,    // saved, and waiting for `attune share ID` to confirm it
};

// After `changed` (one of the journal's own entries) was saved: if it is shared, shows the new
// version as the partner would see it and asks whether it should travel. With `yes` (--yes) it
// travels without asking; without a terminal and without --yes it waits, unsent, for `attune
// share ID`; a "no" on the terminal leaves it waiting too.
Result<NewVersion> OfferNewVersion(node::Journal& journal, const node::Entry& changed, bool yes);

// One line saying what OfferNewVersion did (nothing for kNotShared).
void SayNewVersion(NewVersion outcome, const std::string& partner, const std::string& entry_id);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_SHARING_H_
