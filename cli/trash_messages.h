// What `rm`, `restore` and `trash` say: pure functions of their facts, so tests/cli owns the
// wording and the end-to-end tests assert on the JSON the same commands print with --json.
#ifndef ATTUNE_CLI_TRASH_MESSAGES_H_
#define ATTUNE_CLI_TRASH_MESSAGES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "cli/format.h"
#include "node/entry.h"

namespace attune::cli {

// The footers of `rm --help`, `restore --help` and `trash --help`.
std::string RemoveFooterText();
std::string RestoreFooterText();
std::string TrashFooterText();

// What `rm` says once the entry `short_id` is in the trash, to be deleted for good on
// `emptied` (a local time); `withdrawn_from` names the partner it was withdrawn from ("" if it
// was private).
std::string MovedToTrashText(const std::string& short_id, const std::string& emptied,
                             const std::string& withdrawn_from);

// What `restore` says: the entry is back, private, and how to share it again.
std::string RestoredText(const std::string& short_id, bool paired);

// The whole of `trash` on a terminal: each entry's line with when it was trashed and when it
// goes for good, and how to restore or empty; a sentence of its own when the trash is empty.
std::string TrashListText(const std::vector<node::Entry>& entries, const ShortIds& short_ids,
                          size_t width);

// `trash --empty`: the question asked first, and what it says once `deleted` entries went.
std::string EmptyTrashQuestion(size_t count);
std::string EmptiedTrashText(int64_t deleted);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_TRASH_MESSAGES_H_
