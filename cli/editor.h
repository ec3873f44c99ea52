// Writing an entry in the user's editor without leaving the text behind.
#ifndef ATTUNE_CLI_EDITOR_H_
#define ATTUNE_CLI_EDITOR_H_

#include <string>

#include "base/status.h"

namespace attune::cli {

// Opens $VISUAL, else $EDITOR, else vi, on a temporary file holding `initial` under a comment
// header, and returns what the user saved, with `#` comment lines removed.
//
// The file lives in a fresh 0700 directory ($XDG_RUNTIME_DIR, a per-user tmpfs, when set; else
// $TMPDIR or /tmp), is created 0600, and afterwards every file in that directory (the entry and
// any swap or backup file the editor left) is overwritten with zeros and removed. vi, vim and
// nvim are started with -n (no swap file) and -i NONE (no history file).
// kCancelled if the editor fails; kInvalidArgument if the saved text is empty.
Result<std::string> EditInEditor(const std::string& initial, const std::string& header);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_EDITOR_H_
