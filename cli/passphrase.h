// Where the passphrase comes from, in order: $ATTUNE_PASSPHRASE, --passphrase-file, a no-echo
// prompt on a terminal. With none of them the command fails with kNeedsPassphrase.
#ifndef ATTUNE_CLI_PASSPHRASE_H_
#define ATTUNE_CLI_PASSPHRASE_H_

#include <optional>
#include <string>

#include "node/secret.h"

namespace attune::cli {

// For opening an existing journal: asks once.
node::PassphraseSource ExistingPassphrase(std::optional<std::string> file);

// For choosing a passphrase (init, passwd): on a terminal asks twice and checks they match.
// `env_var` and `file` are checked first (ATTUNE_PASSPHRASE / ATTUNE_NEW_PASSPHRASE).
node::PassphraseSource NewPassphrase(const char* env_var, std::optional<std::string> file);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_PASSPHRASE_H_
