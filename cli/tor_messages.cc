#include "cli/tor_messages.h"

#include <algorithm>
#include <cstdio>

#include "node/link.h"

namespace attune::cli {
namespace {

constexpr const char* kInstall = "sudo apt install tor";

// What is visible to the network, said wherever Tor is turned on.
constexpr const char* kWhatTorShows =
    "Whoever runs your network can see that you use Tor (not with whom, and not what you "
    "send).";

}  // namespace

std::string TorTurnedOnText(bool installed) {
  std::string text =
      "Tor is on for this journal. `attune serve` publishes your onion service, which only "
      "your partner's attune can reach, and `sync` and `ping` reach your partner through Tor "
      "when this network does not. ";
  text += kWhatTorShows;
  text += "\n";
  if (!installed) {
    text += "tor is not installed yet: install it with `" + std::string(kInstall) + "`.\n";
  }
  return text;
}

std::string PublishingInvitationText() {
  return "Starting tor and publishing your invitation as an onion service; this can take a "
         "minute.\n";
}

std::string OnionInvitationText(const std::string& code, const std::string& address) {
  return "Send your partner the address by any messenger, and read them the code on a call "
         "(not in the same message: the code is what proves it is you). On their machine they "
         "run\n  attune pair --join " +
         code + " --to " + address + "\n";
}

std::string TorTurnedOnByPairingText() {
  return "Tor is now on for this journal, so that you can reach each other from anywhere: "
         "`attune serve` publishes your onion service, and `sync` and `ping` use it when this "
         "network does not reach your partner. `attune tor off` turns it off.\n";
}

std::string TorTurnedOffText() {
  return "Tor is off for this journal: attune reaches your partner on this network only.\n";
}

std::string TorStatusText(bool enabled, bool installed, const std::string& onion_address) {
  std::string text = enabled ? "Tor:            on\n" : "Tor:            off (`attune tor on`)\n";
  text += installed ? "tor installed:  yes\n"
                    : "tor installed:  no (`" + std::string(kInstall) + "`)\n";
  text += "Your onion:     " + onion_address + "\n";
  return text;
}

std::string TorCheckOnText() {
  return "Tor is on for this journal: your partner can be reached from anywhere";
}

std::string TorCheckOffText() {
  return "Tor is off for this journal (`attune tor on` reaches your partner from anywhere; "
         "your network can then see that you use Tor)";
}

std::string TorInstalledText() {
  return "tor is installed";
}

std::string TorBootstrappedText(const std::string& version, int64_t bootstrap_ms, bool serves) {
  const std::string tor = "tor " + (version.empty() ? std::string("(version unknown)") : version);
  if (serves) return tor + ", the one `attune serve` runs, is connected to the Tor network";
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f", static_cast<double>(bootstrap_ms) / 1000.0);
  return tor + " reached the Tor network in " + seconds + " s";
}

std::string OnionPublishedOnlyWhileServingText() {
  return "your onion service is published while `attune serve` runs, and it does not run now";
}

std::string OnionNotPublishedText() {
  return "`attune serve` runs but has not published your onion service (yet): its log says why, "
         "and it keeps trying";
}

std::string OnionPublishedText(const std::string& address) {
  return "`attune serve` has published your onion service, " + address +
         " (only your partner's attune can use it)";
}

std::string PartnerOnionReadableText() {
  return "your partner's onion service is published, and your key lets you in";
}

std::string TorProgressText(int percent) {
  constexpr int kBarWidth = 20;
  const int filled = std::clamp(percent, 0, 100) * kBarWidth / 100;
  return "Starting Tor [" + std::string(static_cast<size_t>(filled), '#') +
         std::string(static_cast<size_t>(kBarWidth - filled), '-') + "] " +
         std::to_string(percent) + "%";
}

std::string TorOffForViaOnionText() {
  return "Tor is off for this journal (or for this command, --no-tor): turn it on with "
         "`attune tor on` to reach your partner through Tor, or leave out --via onion";
}

std::string ExtraTorrcUnreadableText(const std::string& file) {
  return "ATTUNE_TOR_EXTRA_TORRC names " + file +
         ", which cannot be read (or is over 64 KiB). Fix the path, or unset the variable";
}

std::optional<std::string> ExplainTorFailure(const Status& status) {
  if (status.Is(node::TorReason::kNotInstalled)) {
    return "tor is not installed, so your partner cannot be reached through Tor. Install it "
           "with `" +
           std::string(kInstall) +
           "`; everything on this network works without it (--via lan, or `attune tor off`).";
  }
  if (status.Is(node::TorReason::kExitedEarly)) {
    return "tor stopped before it was ready. What it said last:\n" + status.detail() +
           "Nothing was exchanged; try again, or use --via lan.";
  }
  if (status.Is(node::TorReason::kBootstrapTimedOut)) {
    return "Tor could not connect to the Tor network in time (" + status.detail() +
           "). This network may block Tor, or be offline. Nothing was exchanged; try again "
           "later, or use --via lan.";
  }
  if (status.Is(node::TorReason::kPublishTimedOut) || status.Is(node::TorReason::kPublishFailed)) {
    return "your onion service could not be published (" + status.detail() +
           "). Nothing was exchanged; attune tries again.";
  }
  if (status.Is(node::TorReason::kSocksRefused)) {
    return "Tor could not reach your partner's attune (" + status.detail() +
           "). Check that it runs `attune serve` with Tor on, then try again.";
  }
  if (status.Is(node::TorReason::kDescriptorUnavailable)) {
    return "Tor found no readable onion service of your partner's (" + status.detail() +
           "): their `attune serve` has not published it lately, or has Tor off.";
  }
  if (status.Is(node::TorReason::kControlRefused)) {
    return "tor refused what attune asked of it (" + status.detail() +
           "). Nothing was exchanged; please report this.";
  }
  if (status.Is(node::LinkReason::kPartnerHasNoOnion)) {
    return "your partner's attune has told no onion address yet (you paired before attune "
           "reached partners through Tor), so it cannot be reached through Tor. Sync once on "
           "the same network (--via lan) with both attunes updated: they tell each other their "
           "onion addresses then.";
  }
  return std::nullopt;
}

}  // namespace attune::cli
