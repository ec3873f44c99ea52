// What the commands that keep a journal safe say: init, passwd, recovery-kit, backup and
// restore-backup, feedback on a weak passphrase, and the refusals
// of a mistyped recovery code and of a passphrase file others may read. Pure functions, so
// tests/cli owns the wording and the end-to-end tests assert on exit codes, reasons and JSON.
#ifndef ATTUNE_CLI_KEEPING_MESSAGES_H_
#define ATTUNE_CLI_KEEPING_MESSAGES_H_

#include <optional>
#include <string>

#include "base/status.h"
#include "node/journal.h"
#include "node/passphrase_strength.h"

namespace attune::cli {

// What `init` says once the journal in `dir` exists, with or without a passphrase.
std::string InitDoneText(const std::string& dir, bool passphrase);

// What `passwd` says once the new passphrase is set (without --rekey).
std::string PasswdDoneText();

// The recovery kit: the code and how to use it (`recovery-kit`, and after `passwd --rekey`).
std::string RecoveryKitText(const std::string& code);

// A recovery code that failed its own format or checksum (`why`): kInvalidArgument, exit 2.
Status MistypedRecoveryCode(const std::string& why);

// Honest feedback on a weak new passphrase (node::PassphraseStrength::weak()): how many guesses
// the estimator expects and how long they would take, what made it guessable, and what is
// stronger. Several lines, without a trailing newline.
std::string WeakPassphraseText(const node::PassphraseStrength& strength);

// "about 40 million guesses", "fewer than a thousand guesses": 10^`guesses_log10` in words.
std::string GuessesText(double guesses_log10);
// "about 3 hours", "under a second", "centuries": how long 10^`guesses_log10` guesses take at
// kAssumedGuessesPerSecond.
std::string GuessingTimeText(double guesses_log10);
// The attacker WeakPassphraseText assumes: a well-equipped one against attune's Argon2id.
inline constexpr double kAssumedGuessesPerSecond = 1000;
// What `backup` says once `path` is written; `passphrase`: it opens with the passphrase of now
// (or the recovery code), else with the recovery code only.
std::string BackupDoneText(const std::string& path, bool passphrase);

// The question `restore-backup --replace` asks on a terminal before replacing the journal in
// `dir`.
std::string ReplaceJournalQuestion(const std::string& dir);

// What `restore-backup` says once the journal in `dir` is restored.
std::string RestoredText(const std::string& dir, const node::RestoredBackup& restored);

// Sentences for the failures of `backup` and `restore-backup` that their reason (or their
// detail, for a wrong passphrase or recovery code) tells apart; nullopt for any other.
std::optional<std::string> ExplainBackupFailure(const Status& status);

// The note after a command when the keys could not be locked in memory (they could reach swap).
std::string SwapNote();

// A passphrase file at `path` that other users may read (its permission bits `mode`), refused
// before it is read: kInvalidArgument (exit 2), CliReason::kPassphraseFileOpen.
Status PassphraseFileOpen(const std::string& path, unsigned mode);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_KEEPING_MESSAGES_H_
