#include "cli/messages.h"

#include "cli/exercise_messages.h"
#include "cli/keeping_messages.h"
#include "cli/notify_messages.h"
#include "cli/tor_messages.h"
#include "cli/ui_messages.h"
#include "cli/unlock_messages.h"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

#include "node/bundle.h"
#include "node/journal.h"
#include "node/journal_reason.h"
#include "node/link.h"
#include "node/private_file.h"

namespace attune::cli {

std::string TextTooLongText(const std::string& size_bytes) {
  const long kib = (std::strtol(size_bytes.c_str(), nullptr, 10) + 1023) / 1024;
  return "the text is " + std::to_string(kib) + " KiB, more than the " +
         std::to_string(node::kMaxTextBytes / 1024) +
         " KiB (about ten thousand words) attune keeps in one entry. Nothing was saved.";
}

namespace {

using node::JournalReason;

// Sentences for the situations a journal tells apart by reason; "" when `status` has none.
std::string ExplainJournalReason(const Status& status) {
  const std::string& detail = status.detail();
  if (status.Is(JournalReason::kAmbiguousId)) {
    return detail + "; type a few more characters of the id.";
  }
  if (status.Is(JournalReason::kNoJournal)) {
    return detail + ". Create one with: attune init --name NAME";
  }
  if (status.Is(JournalReason::kWrongPassphrase)) {
    return detail +
           ". Nothing was changed. If the passphrase is forgotten, "
           "`attune passwd --recover` sets a new one from your recovery code.";
  }
  if (status.Is(JournalReason::kRecoveryCodeNotThisJournals)) {
    return "this recovery code is well formed but does not open the journal in this home: it "
           "belongs to another journal, or to this one before `attune passwd --rekey` gave it a "
           "new code. Nothing was changed. Use the code from this journal's latest recovery kit "
           "(`attune --home DIR` chooses the journal).";
  }
  if (status.Is(JournalReason::kNotPaired)) {
    return "you are not paired with anyone yet; start with `attune pair`.";
  }
  if (status.Is(JournalReason::kEntryDamaged)) {
    return "the entry " + detail +
           " failed its integrity check: it was changed outside attune, or the disk damaged "
           "it. It is never sent to your partner, and the rest of your journal works as usual. "
           "Restore it from an export (`attune import FILE`), or let it go with `attune rm " +
           detail.substr(0, 8) + "`.";
  }
  if (status.Is(JournalReason::kRecordDamaged) && detail == node::kOutgoingLogName) {
    return "the list of what you share with your partner (the outgoing log) does not match "
           "its seal: something outside attune put back, removed or added to it. Nothing was sent. "
           "`attune unshare "
           "--all` withdraws everything you share and starts that list over; then share again, "
           "one by one, what you want your partner to have.";
  }
  if (status.Is(JournalReason::kRecordDamaged)) {
    return "part of your journal's records (" + detail +
           ") failed its integrity check: it was changed outside attune, or the disk damaged "
           "it. Nothing was sent or changed. Restore journal.db from a backup if you have one.";
  }
  if (status.Is(JournalReason::kPlainKeyBesideWrapped)) {
    return "your journal's file was changed outside attune: an unprotected key was put beside "
           "your passphrase-protected one, which would switch your passphrase off. Nothing was "
           "read or written. If you did not do this, someone with access to your files did: "
           "restore journal.db from a backup, or protect it again with your recovery code "
           "(`attune passwd --recover`, then `attune passwd --rekey`).";
  }
  if (status.Is(JournalReason::kKeyCheckFailed)) {
    return "your journal's key does not match its key check: the file was changed outside "
           "attune, or damaged. Nothing was read or written; restore journal.db from a backup.";
  }
  if (status.Is(JournalReason::kKeyChanged)) {
    return "your journal was given a new key (`attune passwd --rekey`) while this command ran. "
           "Nothing was changed by this command; run it again.";
  }
  if (status.Is(JournalReason::kServeRunning)) {
    return "`attune serve` is running on this journal (or another re-key is), and a journal "
           "cannot be re-keyed under it. Stop it (Ctrl-C, or `systemctl --user stop "
           "attune-serve`), run this again, then start it again. Nothing was changed.";
  }
  if (status.Is(JournalReason::kHomeInUse)) {
    return "another `attune serve` or `attune ui` is already running on this journal (or it "
           "is being re-keyed): one is enough, and it goes on syncing. Stop it first to start "
           "another; `attune doctor` tells more.";
  }
  if (status.Is(JournalReason::kChangedSincePreview)) {
    return "the entry changed after you saw its preview, so nothing was shared. Run the "
           "command again to see the version as it is now.";
  }
  if (status.Is(JournalReason::kStyleTextIsDerived)) {
    return "a style result's words come from your quiz answers, so they are not edited. Take "
           "the quiz again (`attune quiz`) for a new result, or add your own reflection to it: "
           "`attune add note \"...\" --link ID`.";
  }
  if (status.Is(JournalReason::kStyleComesFromQuiz) && detail.starts_with("entry ")) {
    return detail +
           " in the file is a style entry without the quiz's scores, so `attune style` could not "
           "show it; nothing was imported. To keep its words, change its \"kind\" to \"note\" "
           "in the file and import again.";
  }
  if (status.Is(JournalReason::kStyleComesFromQuiz)) {
    return "a style result comes from the quiz (`attune quiz`), which keeps your answers and "
           "works out the blend that `attune style` shows. Nothing was saved. To write about your "
           "style in your own words, add a note: `attune add note \"...\"` (with `--link ID` to "
           "a result).";
  }
  if (status.Is(JournalReason::kNotOwnEntry)) {
    return "that entry was shared by your partner; it is theirs to change (you can respond to "
           "it with `attune respond`).";
  }
  if (status.Is(JournalReason::kMalformedId)) {
    return "an id is 4 to 32 hex characters, as `attune list` shows them.";
  }
  if (status.Is(JournalReason::kRespondToOwnEntry)) {
    return "you can respond to what your partner shared (`attune list --partner` shows it), not "
           "to your own entries.";
  }
  if (status.Is(JournalReason::kUnknownAck)) return "--ack is one of: heard, will-try, lets-talk.";
  if (status.Is(JournalReason::kResponseWithoutTarget)) {
    return "a response answers something your partner shared; write one with `attune respond ID "
           "TEXT [--ack heard|will-try|lets-talk]`.";
  }
  if (status.Is(JournalReason::kImportNotJson)) {
    return "the file is not JSON from `attune export --format json`.";
  }
  if (status.Is(JournalReason::kNoHomeDirectory)) {
    return "no home directory: set --home, ATTUNE_HOME or HOME.";
  }
  if (status.Is(JournalReason::kNoAnswersToShare)) {
    return "--with-answers is for a style result, which holds your answers to the quiz items; "
           "this entry holds none.";
  }
  if (status.Is(JournalReason::kNotABoundary)) {
    return "that entry is not a boundary; `boundary restate` counts the times a boundary had "
           "to be restated (`attune list --kind boundary` shows yours).";
  }
  if (status.Is(JournalReason::kInTrash)) {
    const std::string id = detail.substr(0, 8);
    return "the entry " + id +
           " is in the trash: it is left out of your journal until `attune restore " + id +
           "` brings it back (private), and deleted for good " +
           std::to_string(node::kTrashKeepDays) +
           " days after it was put there (`attune trash` shows when).";
  }
  if (status.Is(JournalReason::kNotInTrash)) {
    return "the entry " + detail.substr(0, 8) +
           " is not in the trash; `attune trash` lists what is there.";
  }
  if (status.Is(JournalReason::kTextTooLong)) {
    return TextTooLongText(detail) +
           " Split it into two entries and link the second to the first (`--link ID`).";
  }
  if (status.Is(JournalReason::kTextNotUtf8)) {
    return std::string(kTextNotUtf8Text) +
           " Convert it first, for example `iconv -f LATIN1 -t UTF-8 FILE | attune add note`.";
  }
  if (status.Is(JournalReason::kNotAStatement)) {
    return "--edit re-composes a statement from its three parts; that entry is not a "
           "statement (`attune edit ID` changes the text of any entry).";
  }
  return "";
}

}  // namespace

Status Reworded(const Status& status, const std::string& text, CliReason reason) {
  return status.WithDetail(text + ".").WithReason(reason);
}

std::string PartnerNotFoundText(const std::string& facts) {
  std::vector<std::string> lines;
  for (size_t start = 0; start <= facts.size();) {
    size_t end = facts.find('\n', start);
    if (end == std::string::npos) end = facts.size();
    lines.push_back(facts.substr(start, end - start));
    start = end + 1;
  }
  const size_t heard = lines.size() > 2 ? lines.size() - 2 : 0;
  const std::string addresses =
      heard == 0 ? ""
                 : " (" + std::to_string(heard) + " address" + (heard == 1 ? "" : "es") +
                       " heard, none of them your partner's attune: " + lines.back() + ")";
  const std::string last =
      lines.size() < 2
          ? ""
          : " (" + lines[0] + ", the address attune last knew for them, said: " + lines[1] + ")";
  return "could not find your partner's attune on this network" + addresses +
         "; check that their `attune serve` is running and that you are on the same network, "
         "or use --to HOST:PORT" +
         last;
}

namespace {

// Sentences for the typed reasons that say more than their code; nullopt for the others.
std::optional<std::string> ExplainReason(const Status& status) {
  // Only `bundle --out` refuses to replace a file; --force is its flag.
  if (status.Is(node::PrivateFileReason::kFileExists)) {
    return status.detail() + "; choose another name, or add --force to replace it.";
  }
  if (status.Is(node::BundleReason::kNoSuchFile)) {
    return "there is no file at " + status.detail() + "; check the name and the folder.";
  }
  if (status.Is(node::PrivateFileReason::kNoSuchFolder)) {
    return "there is no folder " + status.detail() +
           "; nothing was written. Create it first (`mkdir -p " + status.detail() +
           "`), or choose a folder that exists.";
  }
  if (status.Is(CliReason::kEditorNotFound)) {
    return "the editor could not be started: there is no command `" + status.detail() +
           "` here. Nothing was saved. Set VISUAL or EDITOR to an editor you have (for example "
           "`export EDITOR=nano`), or give the text as an argument or on standard input.";
  }
  if (status.Is(CliReason::kCannotOpenFile)) {
    return "cannot open " + status.detail() +
           "; check its name, its folder, and that you may read it.";
  }
  if (status.Is(node::PairingReason::kCodeMismatch)) {
    return status.detail() +
           ". Nothing was stored, and the code is used up: start again with `attune pair` "
           "for a new one, and read it out slowly.";
  }
  if (status.Is(node::PairingReason::kPartnerOlder)) {
    return "your partner's attune is older than yours, and the two cannot talk to each other; "
           "ask them to update attune, then pair again with a new code. Nothing was stored.";
  }
  if (status.Is(node::PairingReason::kPartnerNewer)) {
    return "your partner's attune is newer than yours, and the two cannot talk to each other; "
           "update attune, then pair again with a new code. Nothing was stored.";
  }
  if (status.Is(node::PairingReason::kInviterUnreachable)) {
    return status.detail() +
           ". Check that `attune pair` is still waiting on your partner's machine (a code works "
           "once, for 10 minutes) and that the address is the one it shows. Nothing was stored.";
  }
  if (status.Is(node::PairingReason::kInvitationNotFound)) {
    return "could not find your partner's invitation on this network; check that `attune pair` "
           "is still waiting on their machine and that you are on the same network, or use --to "
           "with the address it shows.";
  }
  if (status.Is(node::PairingReason::kAlreadyPaired)) {
    const std::string with = status.detail().empty() ? "" : " with " + status.detail();
    return "you are already paired" + with +
           "; `attune unpair` first if you want to pair anew. Nothing was changed; use --home "
           "DIR for a separate journal.";
  }
  if (status.Is(node::PairingReason::kNeedsInviterAddress)) {
    return "without discovery, attune needs the address your partner's attune shows: add --to "
           "ADDRESS.";
  }
  if (status.Is(node::PairingReason::kNotAnOnionAddress)) {
    return "that is not an onion address (" + status.detail() +
           "); copy the whole address your partner sent you, ending in .onion, with its port.";
  }
  if (status.Is(node::PairingReason::kOnionAddressNeedsTor)) {
    return "an onion address can only be reached through Tor, and attune was not asked to use "
           "it.";
  }
  return std::nullopt;
}

// The link's situations that one code does not tell apart (node::LinkReason); "" otherwise.
std::string ExplainLinkReason(const Status& status) {
  if (status.Is(node::LinkReason::kPeerOlder)) {
    return "your partner's attune is older; ask them to update it. Nothing was exchanged, "
           "and nothing is wrong with the link or your journal.";
  }
  if (status.Is(node::LinkReason::kPeerNewer)) {
    return "your partner's attune is newer; update attune to talk to it. Nothing was "
           "exchanged, and nothing is wrong with the link or your journal.";
  }
  if (status.Is(node::LinkReason::kPeerLacksFeature)) {
    return status.detail() +
           "; one of you has an attune too old or too new for this: update the older one.";
  }
  if (status.Is(node::LinkReason::kPartnerNotFound)) {
    return PartnerNotFoundText(status.detail()) + ".";
  }
  if (status.Is(node::LinkReason::kPortInUse)) {
    return "cannot listen on " + status.detail() +
           ": another program (or another attune) uses that port; choose another with --listen "
           "HOST:PORT.";
  }
  if (status.Is(node::LinkReason::kConnectionReset)) {
    return status.detail() +
           ": it stopped or restarted while you were connecting. Nothing was exchanged; try "
           "again once your partner's attune runs (`attune serve`).";
  }
  if (status.Is(node::LinkReason::kNotAnswered)) {
    return status.detail() +
           ". That is not your partner's attune, or it no longer knows you as its partner "
           "(`attune partner` shows whom you paired with). Nothing readable was sent to it.";
  }
  return "";
}

}  // namespace

std::string Explain(const Status& status) {
  const std::string& detail = status.detail();
  for (const CliReason worded :
       {CliReason::kWorded, CliReason::kPassphraseFileOpen, CliReason::kBundleGap,
        CliReason::kBundleNotForYou, CliReason::kBundleDamaged, CliReason::kBundleMalformed}) {
    if (status.Is(worded)) return detail;
  }
  if (std::optional<std::string> reason = ExplainReason(status)) return *reason;
  if (std::optional<std::string> backup = ExplainBackupFailure(status)) return *backup;
  if (std::optional<std::string> tor = ExplainTorFailure(status)) return *tor;
  if (std::optional<std::string> notify = ExplainNotifyFailure(status)) return *notify;
  if (std::optional<std::string> ui = ExplainUiFailure(status)) return *ui;
  if (std::optional<std::string> agent = ExplainAgentFailure(status)) return *agent;
  if (std::optional<std::string> exercise = ExplainExerciseFailure(status)) return *exercise;
  if (std::string link = ExplainLinkReason(status); !link.empty()) return link;
  if (std::string said = ExplainJournalReason(status); !said.empty()) return said;
  switch (status.code()) {
    case StatusCode::kOk:
      return "";
    case StatusCode::kInvalidArgument:
      return detail + ".";
    case StatusCode::kNotFound:
      return detail + ". `attune list` shows your entries and their ids.";
    case StatusCode::kAlreadyExists:
      return detail + ". Nothing was changed; use --home DIR for a separate journal.";
    case StatusCode::kAuthFailed:
      return "some stored data failed its integrity check (" + detail +
             "): it was changed outside attune. Nothing was modified; restore from a backup "
             "(`attune import`) if this persists.";
    case StatusCode::kCorruption:
      return "the journal's data could not be read (" + detail +
             "). Nothing was overwritten; restore from an export if you have one.";
    case StatusCode::kUnsupported:
      return detail + ". Nothing was changed; use the newer attune that wrote it.";
    case StatusCode::kBusy:
      return "the journal is busy: another program is using it, most likely another attune "
             "command (" +
             detail + "). Try again in a moment.";
    case StatusCode::kIoError:
      return "the system refused (" + detail +
             "). Check the permissions of the folders and files involved, and whether the disk "
             "is mounted read-only.";
    case StatusCode::kNoSpace:
      return "there is no space left to write (" + detail +
             "). What this command was writing was not saved; everything saved before is "
             "intact. Free some disk space and run it again.";
    case StatusCode::kCancelled:
      return detail + ". Nothing was changed.";
    case StatusCode::kInternal:
      return "something went wrong inside attune (" + detail +
             "). Your journal was not changed by this failure; please report it.";
    case StatusCode::kUnknownPeer:
      return detail + ". Nothing was sent to it.";
    case StatusCode::kUnreachable:
      return detail +
             ". Check that your partner's attune is running (`attune serve`) and the address "
             "(--to HOST:PORT).";
    case StatusCode::kTimedOut:
      return detail + ". Nothing was stored; try again when you are both ready.";
    case StatusCode::kProtocolError:
      return "the connection broke (" + detail +
             "). Nothing from it was stored; try again, and if it keeps happening, someone may "
             "be interfering with the network.";
  }
  return detail;
}

std::string DamageMessage(const node::DamageReport& damage) {
  std::string text;
  if (!damage.entries.empty()) {
    text += std::to_string(damage.entries.size()) +
            (damage.entries.size() == 1 ? " entry" : " entries") +
            " failed the integrity check (changed outside attune, or damaged by the disk):";
    for (const std::string& id : damage.entries) text += " " + id;
    text +=
        ". They were left out and are never sent to your partner; everything else worked. "
        "Restore them from an export (`attune import FILE`), or let them go with "
        "`attune rm ID`.";
  }
  if (!damage.records.empty()) {
    if (!text.empty()) text += "\n";
    text += "Part of your journal's records failed the integrity check:";
    for (const std::string& name : damage.records) text += " " + name + ";";
    text.back() = '.';
    text += " What they hold was not sent. Restore journal.db from a backup if you have one.";
  }
  return text;
}

namespace {

// `path` as one shell word: the chmod in a warning is meant to be copied as it is.
std::string ShellWord(const std::string& path) {
  if (path.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                             "/._-+,:@%") == std::string::npos) {
    return path;
  }
  std::string quoted = "'";
  for (char c : path) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string Octal(unsigned mode) {
  char octal[8];
  std::snprintf(octal, sizeof octal, "%03o", mode & 0777);
  return octal;
}

}  // namespace

std::string PermissionWarning(const node::LoosePath& loose) {
  return std::string(loose.is_home ? "the home " : "the file ") + loose.path +
         " is open to other users (mode " + Octal(loose.mode) + "); run: chmod " +
         Octal(loose.private_mode) + " " + ShellWord(loose.path);
}

std::string UnprotectedNote() {
  return "this journal has no passphrase, so anyone who can read its files can read it "
         "(`attune passwd` sets one).";
}

std::string UpgradedNote() {
  return "your journal was upgraded: every entry is now sealed together with its details "
         "(who wrote it, when, whether it is shared), so that nothing changed in the file "
         "behind attune's back can make a private entry leave. What you had shared goes to "
         "your partner once more, exactly as `attune share ID --preview` shows it (a style "
         "result now without your answers to each quiz item). Nothing was lost.";
}

std::string ExportedNote(const std::string& path) {
  return "Exported to " + path +
         ". The file is not encrypted: keep it somewhere only you can reach.";
}

std::string WipedDraftsNote(int wiped) {
  return "wiped " +
         (wiped == 1 ? std::string("an editor draft") : std::to_string(wiped) + " editor drafts") +
         " left behind by an attune that was stopped while its editor was open; what was typed "
         "there was not saved.";
}

}  // namespace attune::cli
