// What attune says about Tor (issue 17): `attune tor`, bootstrap progress, and the failures of
// the Tor path. tests/cli/tor_messages_test.cc owns the wording.
#ifndef ATTUNE_CLI_TOR_MESSAGES_H_
#define ATTUNE_CLI_TOR_MESSAGES_H_

#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"

namespace attune::cli {

// `attune tor on`, `attune tor off`; `installed` is whether a tor binary was found.
std::string TorTurnedOnText(bool installed);
std::string TorTurnedOffText();
// `attune tor` (status): the setting, whether tor is installed, and the onion address.
std::string TorStatusText(bool enabled, bool installed, const std::string& onion_address);

// `pair --onion`: while tor starts and publishes the invitation; then, under the first line,
// how the partner joins; and, once paired (on both sides), that Tor is now on.
std::string PublishingInvitationText();
std::string OnionInvitationText(const std::string& code, const std::string& address);
std::string TorTurnedOnByPairingText();

// `attune doctor`'s Tor checks (without a final full stop).
std::string TorCheckOnText();
std::string TorCheckOffText();
std::string TorInstalledText();
// `serves`: the tor is the running serve's (so it did not just start).
std::string TorBootstrappedText(const std::string& version, int64_t bootstrap_ms, bool serves);
std::string OnionPublishedOnlyWhileServingText();
std::string OnionNotPublishedText();
std::string OnionPublishedText(const std::string& address);
std::string PartnerOnionReadableText();

// One line of bootstrap progress, a bar and the percentage, redrawn in place on a terminal.
std::string TorProgressText(int percent);

// --via onion while Tor is off for this journal (or --no-tor), without a final full stop.
std::string TorOffForViaOnionText();

// ATTUNE_TOR_EXTRA_TORRC names a file that cannot be read.
std::string ExtraTorrcUnreadableText(const std::string& file);

// The sentence for a failure of the Tor path (node::TorReason, LinkReason::kPartnerHasNoOnion),
// or none for other failures.
std::optional<std::string> ExplainTorFailure(const Status& status);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_TOR_MESSAGES_H_
