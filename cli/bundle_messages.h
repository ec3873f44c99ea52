// How a bundle's refusals are said: about a file, naming the partner. Each keeps its code (and
// so its exit code) and gets a reason a script can test in a --json failure.
#ifndef ATTUNE_CLI_BUNDLE_MESSAGES_H_
#define ATTUNE_CLI_BUNDLE_MESSAGES_H_

#include <string>

#include "base/status.h"

namespace attune::cli {

// `status` from node's WriteBundle or OpenBundle, told for the partner called `partner`: a
// bundle not for this journal (CliReason::kBundleNotForYou), damaged on the way
// (kBundleDamaged), holding something malformed (kBundleMalformed), continuing one not opened
// here (kBundleGap). Anything else (not paired, a missing file, an existing file) is returned as
// it is: Explain words its own reason.
Status BundleFailure(const Status& status, const std::string& partner);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_BUNDLE_MESSAGES_H_
