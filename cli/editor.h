// Writing an entry in the user's editor without leaving the text behind.
#ifndef ATTUNE_CLI_EDITOR_H_
#define ATTUNE_CLI_EDITOR_H_

#include <string>

#include "base/status.h"

namespace attune::cli {

// Opens $VISUAL, else $EDITOR, else vi, on a temporary file holding `initial` under `header`,
// and returns what the user saved without the header's lines. Every line the person wrote is
// kept, those starting with `#` too.
//
// The file lives in a draft directory of its own (cli/drafts.h: private, memory-backed, locked
// while it exists), is created 0600, and afterwards every file in that directory (the entry and
// any swap or backup file the editor left, in folders too) is overwritten with zeros and
// removed, whether the editor succeeded or not. vi, vim and nvim are started with -n (no swap
// file) and -i NONE (no history file). While the editor runs, SIGINT and SIGQUIT are ignored
// (they reach the editor too, which decides), and SIGHUP and SIGTERM are held until the files
// are wiped, then take effect. A SIGKILL leaves the draft behind for the next attune to wipe.
// kIoError, before any editor starts, if there is no private memory-backed place for the draft.
// kCancelled if the editor fails; kNotFound (CliReason::kEditorNotFound) if there is no such
// editor; kInvalidArgument if the saved text is empty.
Result<std::string> EditInEditor(const std::string& initial, const std::string& header);

// The kCancelled of an editor that exited with a failure or was killed: nothing was saved.
Status EditorDidNotFinish();

}  // namespace attune::cli

#endif  // ATTUNE_CLI_EDITOR_H_
