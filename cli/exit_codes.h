// Exit codes: part of attune's interface for scripts, documented in README "Exit codes".
#ifndef ATTUNE_CLI_EXIT_CODES_H_
#define ATTUNE_CLI_EXIT_CODES_H_

#include "base/status.h"

namespace attune::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitInternal = 1,         // a bug in attune: please report it
  kExitUsage = 2,            // bad arguments or input: unknown kind, empty text, bad answer
  kExitNotFound = 3,         // no entry with that id, or a file that does not exist
  kExitAmbiguous = 4,        // an id prefix matches several entries
  kExitWrongPassphrase = 5,  // wrong passphrase or recovery code; nothing was changed
  kExitNeedsPassphrase = 6,  // no passphrase given and no terminal to ask on
  kExitNoJournal = 7,        // no journal in this home, or one already exists (init)
  kExitDataProblem = 8,      // the database or a sealed value is damaged or from a newer attune
  kExitBusy = 9,             // the database stayed locked by another process
  kExitIo = 10,              // the system refused: permissions, full disk, read-only
  kExitCancelled = 11,       // you answered no at a confirmation
};

inline int ExitCodeFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInvalidArgument:
      return kExitUsage;
    case StatusCode::kNotFound:
      return kExitNotFound;
    case StatusCode::kAmbiguous:
      return kExitAmbiguous;
    case StatusCode::kWrongPassphrase:
      return kExitWrongPassphrase;
    case StatusCode::kNeedsPassphrase:
      return kExitNeedsPassphrase;
    case StatusCode::kNotInitialized:
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
  }
  return kExitInternal;
}

}  // namespace attune::cli

#endif  // ATTUNE_CLI_EXIT_CODES_H_
