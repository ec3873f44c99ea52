#include "cli/bundle_messages.h"

#include "cli/messages.h"
#include "node/bundle.h"

namespace attune::cli {

Status BundleFailure(const Status& status, const std::string& partner) {
  switch (status.code()) {
    case StatusCode::kUnknownPeer:
      return Reworded(status,
                      "this bundle was not written by " + partner +
                          " for you: it may be meant for someone else, come from someone else, "
                          "or be one you wrote yourself. If " +
                          partner +
                          " did send it, its first bytes were damaged on the way; ask for a new "
                          "one. Nothing was changed",
                      CliReason::kBundleNotForYou);
    case StatusCode::kAuthFailed:
    case StatusCode::kCorruption:
      return Reworded(Status::ProtocolError(status.detail()),
                      status.detail() +
                          ". It was cut short or changed on the way. Nothing from it was applied; "
                          "ask " +
                          partner + " to write a new one with `attune bundle --out`",
                      CliReason::kBundleDamaged);
    case StatusCode::kProtocolError:
      return Reworded(Status::ProtocolError(status.detail()),
                      "this bundle from " + partner + " opened, but what it holds is malformed (" +
                          status.detail() +
                          "). Nothing from it was applied; their attune may be newer than yours",
                      CliReason::kBundleMalformed);
    case StatusCode::kNotFound:
      if (status.reason() != 0) return status;  // no partner, no such file
      return Reworded(
          status,
          "this bundle continues an earlier one from " + partner +
              " that was not opened here. Open the earlier bundle first, or sync with " + partner +
              " (`attune sync`). Nothing was changed",
          CliReason::kBundleGap);
    default:
      return status;
  }
}

}  // namespace attune::cli
