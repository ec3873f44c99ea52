// What the sharing commands say when they succeed: `share`, `unshare`, `shared`, `respond` and
// `unpair`. Pure functions of their facts, so tests/cli owns the wording and the end-to-end
// tests assert on the JSON the same commands print with --json.
#ifndef ATTUNE_CLI_SHARING_MESSAGES_H_
#define ATTUNE_CLI_SHARING_MESSAGES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "cli/format.h"
#include "node/journal.h"

namespace attune::cli {

// A delivery state as `shared --json` names it ("waiting", "delivered", ...).
const char* DeliveryStateName(node::DeliveryState state);
// The same state in words, for `shared` ("waiting (not yet delivered)", ...).
const char* DeliveryStateText(node::DeliveryState state);

// The whole of `shared` on a terminal: each item's line (or its short id, if the entry was
// deleted here) with its state underneath, and what waits for confirmation or failed its
// integrity check; a sentence of its own when nothing is shared.
std::string SharedListText(const std::vector<node::SharedItem>& items, const ShortIds& short_ids);

// What `share` says once done: `already` when the partner has exactly this version (nothing was
// asked or sent), else whether a first share or a new version of a shared entry was confirmed.
std::string ShareDoneText(bool already, bool was_shared, const std::string& entry_id, bool paired);
// Sharing before pairing: where the entry waits (the terminal and the page say it alike).
std::string ShareWaitsForPairingText();

// What `unshare --all` says after withdrawing `withdrawn` entries.
std::string UnshareAllText(int64_t withdrawn);

// What `respond` says after saving the response `entry_id` for the partner called `name`.
std::string ResponseSharedText(const std::string& entry_id, const std::string& name);

// What `unpair` says: `unshared` own entries made private again, and whether what the former
// partner (`name`) shared was kept read-only or deleted.
std::string UnpairedText(int64_t unshared, bool kept, const std::string& name);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_SHARING_MESSAGES_H_
