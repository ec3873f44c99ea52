// What attune says about itself, as git does: `attune` alone gives a short overview, `attune help
// CMD` a command's help, and a mistyped command a "did you mean" (and nothing is run).
#ifndef ATTUNE_CLI_HELP_MESSAGES_H_
#define ATTUNE_CLI_HELP_MESSAGES_H_

#include <string>
#include <string_view>
#include <vector>

namespace attune::cli {

// `attune` with no command: what it is, the commands to begin with, and where to learn more.
std::string OverviewText();

// The command among `names` closest to `typed`: within two edits (insert, delete, replace or
// swap two neighbours), the nearest first; "" when none is that close.
std::string ClosestCommand(std::string_view typed, const std::vector<std::string>& names);

// `attune lsit`: that it is not a command, `suggestion` when there is one, and what lists them.
std::string NotACommandText(std::string_view typed, std::string_view suggestion);

// `attune help support`: the support note in full, with what attune is and is not.
std::string SupportHelpText();

// `search` without a word.
std::string SearchNeedsWordsText();

}  // namespace attune::cli

#endif  // ATTUNE_CLI_HELP_MESSAGES_H_
