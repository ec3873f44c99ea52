// Exit codes: part of attune's interface for scripts, documented in docs/guide.md "Exit codes".
// `attune doctor` exits with the code of the first problem it finds (cli/commands_doctor.cc).
#ifndef ATTUNE_CLI_EXIT_CODES_H_
#define ATTUNE_CLI_EXIT_CODES_H_

#include <utility>

#include "base/status.h"
#include "cli/messages.h"
#include "node/journal_reason.h"
#include "node/link.h"

namespace attune::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitInternal = 1,          // a bug in attune: please report it
  kExitUsage = 2,             // bad arguments or input: unknown kind, empty text, bad answer
  kExitNotFound = 3,          // no entry with that id (or it is in the trash), or no such file
  kExitAmbiguous = 4,         // an id prefix matches several entries
  kExitWrongPassphrase = 5,   // wrong passphrase, recovery code or pairing code; nothing changed
  kExitNeedsPassphrase = 6,   // no passphrase given and no terminal to ask on
  kExitNoJournal = 7,         // no journal in this home, or one already exists (init)
  kExitDataProblem = 8,       // the database or a sealed value is damaged or from a newer attune
  kExitBusy = 9,              // the database stayed locked by another process
  kExitIo = 10,               // the system refused: permissions, a read-only home
  kExitCancelled = 11,        // you answered no at a confirmation
  kExitUnknownPeer = 12,      // the other side is not your paired partner
  kExitUnreachable = 13,      // could not connect, or the other side went away
  kExitTimedOut = 14,         // nobody came (pairing) or the other side stopped answering
  kExitLinkBroken = 15,       // the link was tampered with or spoke nonsense; nothing was stored
  kExitNotPaired = 16,        // the command needs a partner and you have none yet
  kExitDiskFull = 17,         // no space left (disk, quota, file-size limit); nothing half-written
  kExitVersionMismatch = 18,  // your partner's attune is older or newer: the older one must update
  kExitTorUnavailable = 19,   // tor is not installed, or stopped before it was ready
};

inline int ExitCodeFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInvalidArgument:
      return kExitUsage;
    case StatusCode::kNotFound:
      return kExitNotFound;
    case StatusCode::kAlreadyExists:
      return kExitNoJournal;
    case StatusCode::kAuthFailed:
    case StatusCode::kCorruption:
    case StatusCode::kUnsupported:
      return kExitDataProblem;
    case StatusCode::kBusy:
      return kExitBusy;
    case StatusCode::kIoError:
      return kExitIo;
    case StatusCode::kCancelled:
      return kExitCancelled;
    case StatusCode::kInternal:
      return kExitInternal;
    case StatusCode::kUnknownPeer:
      return kExitUnknownPeer;
    case StatusCode::kUnreachable:
      return kExitUnreachable;
    case StatusCode::kTimedOut:
      return kExitTimedOut;
    case StatusCode::kProtocolError:
      return kExitLinkBroken;
    case StatusCode::kNoSpace:
      return kExitDiskFull;
  }
  return kExitInternal;
}

// The exit codes that a reason decides, where the code alone would say something else: a
// version mismatch (pairing, or the link: an older or newer partner, or one without a feature
// the command needs) is kUnsupported, whose code says "from a newer attune, data refused" (8);
// its own code tells a script that the fix is an update on one side, not a damaged journal.
// "No journal", "no partner", a wrong passphrase and the like are situations a person is told
// apart, where a library's code (kNotFound, kAuthFailed, ...) is only the kind of failure.
inline constexpr std::pair<int, ExitCode> kExitCodeOfReason[] = {
    {static_cast<int>(node::PairingReason::kPartnerOlder), kExitVersionMismatch},
    {static_cast<int>(node::PairingReason::kPartnerNewer), kExitVersionMismatch},
    {static_cast<int>(node::LinkReason::kPeerOlder), kExitVersionMismatch},
    {static_cast<int>(node::LinkReason::kPeerNewer), kExitVersionMismatch},
    {static_cast<int>(node::LinkReason::kPeerLacksFeature), kExitVersionMismatch},
    {static_cast<int>(node::PairingReason::kCodeMismatch), kExitWrongPassphrase},
    {static_cast<int>(node::JournalReason::kWrongPassphrase), kExitWrongPassphrase},
    {static_cast<int>(node::JournalReason::kRecoveryCodeNotThisJournals), kExitWrongPassphrase},
    {static_cast<int>(node::JournalReason::kAmbiguousId), kExitAmbiguous},
    {static_cast<int>(node::JournalReason::kNoJournal), kExitNoJournal},
    {static_cast<int>(node::JournalReason::kNotPaired), kExitNotPaired},
    {static_cast<int>(CliReason::kNeedsPassphrase), kExitNeedsPassphrase},
    {static_cast<int>(node::TorReason::kNotInstalled), kExitTorUnavailable},
    {static_cast<int>(node::TorReason::kExitedEarly), kExitTorUnavailable},
    {static_cast<int>(node::LinkReason::kPartnerHasNoOnion), kExitUnreachable},
};

// The exit code for `status`: its reason's where the reason has one of its own, else its code's.
inline int ExitCodeFor(const Status& status) {
  for (const auto& [reason, exit_code] : kExitCodeOfReason) {
    if (status.reason() == reason) return exit_code;
  }
  return ExitCodeFor(status.code());
}

}  // namespace attune::cli

#endif  // ATTUNE_CLI_EXIT_CODES_H_
