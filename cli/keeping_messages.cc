#include "cli/keeping_messages.h"

#include <cmath>
#include <cstdio>
#include <utility>

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

std::string BackupDoneText(const std::string& path, bool passphrase) {
  const std::string opens =
      passphrase ? "It opens with your passphrase as it is now (also after you change it), or "
                   "with your recovery code."
                 : "Your journal has no passphrase, so this backup opens with your recovery "
                   "code only (`attune recovery-kit` shows it): keep the code apart from the "
                   "backup.";
  return "Wrote a sealed backup of your whole journal to " + path + ".\n" + opens +
         "\nRestore it with `attune restore-backup " + path +
         "`. Its size, and that it exists, are not hidden.\n";
}

std::string ReplaceJournalQuestion(const std::string& dir) {
  return "Replace the journal in " + dir +
         " with the backup? (the current one is kept beside it, not deleted)";
}

std::string RestoredText(const std::string& dir, const node::RestoredBackup& restored) {
  std::string text = "Restored your journal in " + dir + " from the backup.\n";
  text += restored.passphrase_protected
              ? "It opens with the passphrase it had when the backup was made (if you have "
                "forgotten it, `attune passwd --recover` sets a new one with your recovery "
                "code).\n"
              : "It has no passphrase, as when the backup was made; `attune passwd` adds one.\n";
  if (restored.replaced_copy) {
    text += "The journal it replaced is kept as " + *restored.replaced_copy +
            "; delete it once you are sure you no longer need it.\n";
  }
  if (restored.paired) {
    text +=
        "At your next sync, your partner's attune drops what it held from you and receives "
        "again exactly what this journal shares: anything you shared after the backup was "
        "made is withdrawn.\n";
  }
  return text;
}

std::optional<std::string> ExplainBackupFailure(const Status& status) {
  using node::JournalReason;
  if (status.Is(JournalReason::kHomeHasJournal)) {
    return "this home already has a journal (" + status.detail() +
           "); nothing was changed. Restore into another home (`attune --home DIR "
           "restore-backup FILE`), or replace this journal with --replace (it is kept beside "
           "it, not deleted).";
  }
  if (status.Is(JournalReason::kNotABackup)) {
    return "that file is not a backup made by `attune backup`; nothing was changed.";
  }
  if (status.Is(JournalReason::kBackupDamaged)) {
    return "the backup is damaged, cut short or was changed (" + status.detail() +
           "), so it was not restored; nothing was changed. Try another copy of it.";
  }
  if (status.Is(JournalReason::kBackupNeedsRecoveryCode)) {
    return "this backup was made from a journal without a passphrase: it opens with the "
           "recovery code only. Add --recovery-code.";
  }
  if (status.Is(JournalReason::kWrongPassphrase) && status.detail().ends_with("this backup")) {
    return "the passphrase does not open this backup; nothing was changed. It opens with the "
           "passphrase your journal had when the backup was made, or with --recovery-code.";
  }
  if (status.Is(JournalReason::kRecoveryCodeNotThisJournals) &&
      status.detail().ends_with("this backup's")) {
    return "this recovery code is well formed but does not open this backup: it belongs to "
           "another journal, or to this one after `attune passwd --rekey`. Nothing was changed.";
  }
  return std::nullopt;
}

std::string SwapNote() {
  return "the system did not let attune lock its keys in memory (RLIMIT_MEMLOCK), so they could "
         "be written to swap; your journal on disk stays encrypted. `ulimit -l` shows the limit: "
         "raising it (`memlock` in /etc/security/limits.conf) or using encrypted swap closes this "
         "gap.";
}

namespace {

std::string HintText(node::StrengthHint hint) {
  switch (hint) {
    case node::StrengthHint::kCommonWord:
      return "it is built on a common word or password, which guessers try first";
    case node::StrengthHint::kSubstitutions:
      return "swapping letters for look-alikes (@ for a, 0 for o) is one of the first things "
             "guessers try";
    case node::StrengthHint::kPersonalWord:
      return "it contains your name or \"attune\"";
    case node::StrengthHint::kRepeats:
      return "repeated characters or parts add little";
    case node::StrengthHint::kSequence:
      return "sequences such as abcd or 1234 are easy to guess";
    case node::StrengthHint::kKeyboardPattern:
      return "rows and patterns on the keyboard (qwerty) are easy to guess";
    case node::StrengthHint::kDate:
      return "dates and years are easy to guess";
  }
  return "";
}

}  // namespace

std::string GuessesText(double guesses_log10) {
  constexpr std::pair<double, const char*> kScales[] = {
      {1e12, "trillion"}, {1e9, "billion"}, {1e6, "million"}, {1e3, "thousand"}};
  const double guesses = std::pow(10.0, guesses_log10);
  for (const auto& [size, name] : kScales) {
    if (guesses < size) continue;
    return "about " + std::to_string(std::lround(guesses / size)) + " " + name + " guesses";
  }
  return "fewer than a thousand guesses";
}

std::string GuessingTimeText(double guesses_log10) {
  const double seconds = std::pow(10.0, guesses_log10) / kAssumedGuessesPerSecond;
  constexpr std::pair<double, const char*> kUnits[] = {{60.0 * 60 * 24 * 365, "year"},
                                                       {60.0 * 60 * 24, "day"},
                                                       {60.0 * 60, "hour"},
                                                       {60.0, "minute"},
                                                       {1.0, "second"}};
  if (seconds < 1) return "under a second";
  if (seconds >= 100 * kUnits[0].first) return "centuries";
  for (const auto& [size, name] : kUnits) {
    if (seconds < size) continue;
    const long count = std::lround(seconds / size);
    return "about " + std::to_string(count) + " " + name + (count == 1 ? "" : "s");
  }
  return "under a second";
}

std::string WeakPassphraseText(const node::PassphraseStrength& strength) {
  std::string text =
      "This passphrase could be guessed: the zxcvbn estimator expects an attacker "
      "to need " +
      GuessesText(strength.guesses_log10) +
      ", which someone with a copy of your journal file could try in " +
      GuessingTimeText(strength.guesses_log10) +
      " (at a thousand guesses a second, a well-equipped attacker against "
      "attune's passphrase hashing).";
  for (node::StrengthHint hint : strength.hints) text += "\n  - " + HintText(hint);
  text +=
      "\nFour or five unrelated words, or a sentence only you would write, are far stronger "
      "and still easy to remember.";
  return text;
}

}  // namespace attune::cli
