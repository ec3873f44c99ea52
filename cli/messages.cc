#include "cli/messages.h"

#include "node/link.h"

namespace attune::cli {

Status Reworded(const Status& status, const std::string& text) {
  return status.WithDetail(std::string(kWholeMessage) + text + ".");
}

namespace {

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
  if (detail.starts_with(kWholeMessage)) return detail.substr(kWholeMessage.size());
  if (std::string link = ExplainLinkReason(status); !link.empty()) return link;
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

std::string ServeNoticeText(const node::ServeNotice& notice) {
  switch (notice.kind) {
    case node::ServeNotice::Kind::kOlderAttuneTriedToConnect:
      return "an older attune tried to connect from " + notice.host +
             " and was turned away unanswered; if it is your partner's, ask them to update it";
    case node::ServeNotice::Kind::kPartnerOlder:
      return "your partner's attune at " + notice.host +
             " is older; ask them to update it (trying again later)";
    case node::ServeNotice::Kind::kPartnerNewer:
      return "your partner's attune" + (notice.host.empty() ? "" : " at " + notice.host) +
             " is newer; update attune to keep in touch with it";
  }
  return "";
}

}  // namespace attune::cli
