#include "cli/link_messages.h"

#include <cstdio>

namespace attune::cli {

std::string Milliseconds(std::chrono::microseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f ms", static_cast<double>(duration.count()) / 1000.0);
  return text;
}

std::string PingText(const std::string& address, std::chrono::microseconds handshake,
                     std::chrono::microseconds round_trip) {
  return "Reached your partner's attune at " + address + ": handshake " + Milliseconds(handshake) +
         ", round trip " + Milliseconds(round_trip) + ".\n";
}

std::string NoLastAddressText() {
  return "none on a network yet (you paired through Tor; attune remembers one once it finds "
         "your partner on your network)";
}

std::string PartnerOnionUnknownText() {
  return "not known yet (you paired before attune reached partners through Tor; your partner's "
         "updated attune tells it the next time you sync on the same network)";
}

std::string SafetyNumberAdviceText() {
  return "Read the safety number to each other in person or on a call you trust: if both screens "
         "show the same digits, nobody came between you while pairing.";
}

std::string PairingSharedNothingText() {
  return "Nothing from your journal has been shared; you choose what to share, entry by entry.";
}

}  // namespace attune::cli
