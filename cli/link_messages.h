// What the link's commands say when they succeed (the failures are worded in cli/messages.cc).
// tests/cli/link_messages_test.cc owns the wording; tests/e2e/link_test.cc checks ping --json.
#ifndef ATTUNE_CLI_LINK_MESSAGES_H_
#define ATTUNE_CLI_LINK_MESSAGES_H_

#include <chrono>
#include <string>

namespace attune::cli {

// "12.3 ms", to a tenth of a millisecond.
std::string Milliseconds(std::chrono::microseconds duration);

// `ping` without --json: where the partner's attune was reached, and how fast.
std::string PingText(const std::string& address, std::chrono::microseconds handshake,
                     std::chrono::microseconds round_trip);

// `partner`, for a partner paired through Tor and not yet found on a network.
std::string NoLastAddressText();

// `partner`, for a partner whose attune did not tell its onion address at pairing (it was older
// than issue 17).
std::string PartnerOnionUnknownText();

// After pairing, on the terminal and on the page alike (UiWordingJson): why the two read the
// safety number aloud, and that pairing shared nothing.
std::string SafetyNumberAdviceText();
std::string PairingSharedNothingText();

}  // namespace attune::cli

#endif  // ATTUNE_CLI_LINK_MESSAGES_H_
