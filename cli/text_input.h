// Where entry text comes from when it is not on the command line (which would leave it in the
// shell's history): standard input when piped, else the editor on a terminal.
#ifndef ATTUNE_CLI_TEXT_INPUT_H_
#define ATTUNE_CLI_TEXT_INPUT_H_

#include <optional>
#include <string>

#include "base/status.h"

namespace attune::cli {

// `given` if present; else all of stdin (not a terminal); else the editor with `prompt` as a
// comment header. Surrounding whitespace is trimmed; empty text is kInvalidArgument.
Result<std::string> EntryText(const std::optional<std::string>& given, const std::string& prompt,
                              const std::string& initial = "");

}  // namespace attune::cli

#endif  // ATTUNE_CLI_TEXT_INPUT_H_
