// Where the passphrase comes from, in order: $ATTUNE_PASSPHRASE, --passphrase-file, a no-echo
// prompt on a terminal. With none of them the command fails with kInvalidArgument
// (CliReason::kNeedsPassphrase).
//
// The variables are read once, at start-up, by EnvironmentPassphrases, which takes them out of
// the process environment: no program attune starts (the editor) inherits them.
#ifndef ATTUNE_CLI_PASSPHRASE_H_
#define ATTUNE_CLI_PASSPHRASE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "node/secret.h"

namespace attune::cli {

// Holds ATTUNE_PASSPHRASE and ATTUNE_NEW_PASSPHRASE for the life of one command. Constructing
// it copies their values into secure memory and removes them from the process environment:
// unsetenv(), and the original "NAME=value" bytes overwritten with zeros, so that neither a
// child process nor /proc/PID/environ shows them any more. The destructor wipes the copies.
// Construct one at start-up, after node::InitializeProcess (secure memory needs it) and before
// anything can start a child; ExistingPassphrase and NewPassphrase read from it. One at a time.
class EnvironmentPassphrases {
 public:
  EnvironmentPassphrases();
  ~EnvironmentPassphrases();
  EnvironmentPassphrases(const EnvironmentPassphrases&) = delete;
  EnvironmentPassphrases& operator=(const EnvironmentPassphrases&) = delete;

  struct Values;

 private:
  std::unique_ptr<Values> values_;
};

// How many times a person may type a passphrase on a terminal: a wrong one when opening, or two
// that differ when choosing one.
inline constexpr int kPassphraseTries = 3;

// For opening an existing journal: asks once, with `prompt` ("Current passphrase: " for passwd).
node::PassphraseSource ExistingPassphrase(std::optional<std::string> file,
                                          std::string prompt = "Passphrase: ");

// Whether ExistingPassphrase will ask on the terminal (no ATTUNE_PASSPHRASE, no file): then a
// wrong one may be typed again.
bool PassphraseIsTyped(const std::optional<std::string>& file);

// For choosing a passphrase (init, passwd): on a terminal asks twice and checks they match,
// kPassphraseTries times at most. `env_var` and `file` are checked first (ATTUNE_PASSPHRASE /
// ATTUNE_NEW_PASSPHRASE).
//
// A weak one (node/passphrase_strength.h; `personal_words` are the person's name) gets honest
// feedback: on a terminal, then a question whether to use it anyway (no: choose another, within
// the same tries; no at the last: kCancelled, nothing changed); from the environment or a file,
// the feedback as a note on standard error, and it is used (a script chose it).
struct NewPassphrasePrompts {
  std::string first = "Choose a passphrase: ";
  std::string again = "Type it again: ";
  std::vector<std::string> personal_words = {};
};
node::PassphraseSource NewPassphrase(const char* env_var, std::optional<std::string> file,
                                     NewPassphrasePrompts prompts = {});

}  // namespace attune::cli

#endif  // ATTUNE_CLI_PASSPHRASE_H_
