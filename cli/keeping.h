// What the commands that keep a journal safe (cli/commands_keeping.cc, cli/commands_backup.cc)
// share: the files they write for the person and the recovery code they read.
#ifndef ATTUNE_CLI_KEEPING_H_
#define ATTUNE_CLI_KEEPING_H_

#include <optional>
#include <string>

#include "base/status.h"
#include "node/private_file.h"

namespace attune::cli {

// What to do with `out` if it exists: replace it with --force or after a yes on a terminal;
// without a terminal and without --force, refuse (kFileExists, exit 2) and leave it alone. A file
// that appears after this is never replaced (kRefuse).
Result<node::ExistingFile> ExistingOutFile(const std::optional<std::string>& out, bool force);

// A recovery code from `file`, else typed on the terminal (not echoed), else standard input.
// The caller wipes it (node::WipeString) once used.
Result<std::string> ReadRecoveryCode(const std::optional<std::string>& file);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_KEEPING_H_
