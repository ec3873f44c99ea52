#include "cli/messages.h"

#include <optional>

#include "node/link.h"

namespace attune::cli {

Status Reworded(const Status& status, const std::string& text) {
  return status.WithDetail(std::string(kWholeMessage) + text + ".");
}

namespace {

// Sentences for the typed reasons that say more than their code; nullopt for the others.
std::optional<std::string> ExplainReason(const Status& status) {
  if (status.Is(node::PairingReason::kPartnerOlder)) {
    return "your partner's attune is older than yours, and the two cannot talk to each other; "
           "ask them to update attune, then pair again with a new code. Nothing was stored.";
  }
  if (status.Is(node::PairingReason::kPartnerNewer)) {
    return "your partner's attune is newer than yours, and the two cannot talk to each other; "
           "update attune, then pair again with a new code. Nothing was stored.";
  }
  return std::nullopt;
}

}  // namespace

std::string Explain(const Status& status) {
  const std::string& detail = status.detail();
  if (detail.starts_with(kWholeMessage)) return detail.substr(kWholeMessage.size());
  if (std::optional<std::string> reason = ExplainReason(status)) return *reason;
  switch (status.code()) {
    case StatusCode::kOk:
      return "";
    case StatusCode::kInvalidArgument:
      return detail + ".";
    case StatusCode::kNotFound:
      return detail + ". `attune list` shows your entries and their ids.";
    case StatusCode::kAmbiguous:
      return detail + "; type a few more characters of the id.";
    case StatusCode::kAlreadyExists:
      return detail + ". Nothing was changed; use --home DIR for a separate journal.";
    case StatusCode::kNotInitialized:
      return detail + ". Create one with: attune init --name NAME";
    case StatusCode::kWrongPassphrase:
      return detail +
             ". Nothing was changed. If the passphrase is forgotten, "
             "`attune passwd --recover` sets a new one from your recovery code.";
    case StatusCode::kNeedsPassphrase:
      return detail + ".";
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
    case StatusCode::kNotPaired:
      return detail + ".";
    case StatusCode::kCodeMismatch:
      return detail +
             ". Nothing was stored, and the code is used up: start again with `attune pair` "
             "for a new one, and read it out slowly.";
    case StatusCode::kUnreachable:
      // A search of the network already says what to check (serve, or pair, and --to).
      if (detail.find("--to") != std::string::npos) return detail + ".";
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

}  // namespace attune::cli
