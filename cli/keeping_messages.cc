#include "cli/keeping_messages.h"

#include <cstdio>

#include "cli/console.h"
#include "cli/layout.h"
#include "cli/messages.h"
#include "steps/steps_guide.h"

namespace attune::cli {

std::string InitDoneText(const std::string& dir, bool passphrase) {
  // The support note in full, once, where the journal begins; elsewhere it is one line.
  const std::string ready = "Your journal is ready in " + dir + ".\n\n" +
                            Paragraph(steps::SupportNote(), TerminalWidth(), "", "") + "\n";
  if (!passphrase) {
    return ready +
           "It has NO passphrase: anyone who can read these files can read your entries.\n"
           "Add one at any time with `attune passwd`.\n";
  }
  return ready +
         "Entries are encrypted with a key only your passphrase unlocks.\n"
         "Please run `attune recovery-kit` now and keep the code somewhere safe:\n"
         "without it, a forgotten passphrase means a lost journal.\n";
}

std::string PasswdDoneText() {
  return "Your new passphrase is set. Your recovery code has not changed. If the old passphrase "
         "may have leaked, `attune passwd --rekey` also replaces the key it unlocked.\n";
}

std::string RecoveryKitText(const std::string& code) {
  return "Your attune recovery code\n\n    " + code +
         "\n\n"
         "This code unlocks your journal on its own, without the passphrase.\n"
         "Print it or write it down and keep it somewhere private and safe (not in a\n"
         "photo or a cloud note). If you forget your passphrase, run\n"
         "    attune passwd --recover\n"
         "and type this code to choose a new one. Changing the passphrase does not\n"
         "change this code; `attune passwd --rekey` replaces it (and the key).\n";
}

Status MistypedRecoveryCode(const std::string& why) {
  return Status::InvalidArgument("the recovery code looks mistyped (" + why +
                                 "). Nothing was changed; compare it with your recovery kit and "
                                 "try again");
}

Status PassphraseFileOpen(const std::string& path, unsigned mode) {
  char octal[8];
  std::snprintf(octal, sizeof octal, "%03o", mode & 0777);
  return Status::InvalidArgument(
             "the passphrase file " + path + " is open to other users (mode " + octal +
             "), so attune will not use it. Make it yours alone with: chmod 600 " + path +
             " (if others may already have read it, give the journal a new passphrase and key "
             "with `attune passwd --rekey`).")
      .WithReason(CliReason::kPassphraseFileOpen);
}

std::string SwapNote() {
  return "the system did not let attune lock its keys in memory (RLIMIT_MEMLOCK), so they could "
         "be written to swap; your journal on disk stays encrypted. `ulimit -l` shows the limit: "
         "raising it (`memlock` in /etc/security/limits.conf) or using encrypted swap closes this "
         "gap.";
}

}  // namespace attune::cli
