// The options every command that finds or announces the partner on the local network takes
// (pair, ping, sync, serve): --no-discovery and --discovery-port.
#ifndef ATTUNE_CLI_DISCOVERY_FLAGS_H_
#define ATTUNE_CLI_DISCOVERY_FLAGS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "node/link.h"

namespace CLI {
class App;
}

namespace attune::cli {

struct DiscoveryFlags {
  bool off = false;
  std::optional<uint16_t> port;
};

// Adds both options to `sub`; `flags` must outlive the parse.
void AddDiscoveryFlags(CLI::App& sub, DiscoveryFlags& flags);

// What the flags ask for. A search says so on standard error, one line (LookingText: no
// address, no code), so the pause it makes is explained; and sets `*searched`, if given (it
// must outlive the options).
node::DiscoveryOptions DiscoveryOptionsFrom(const DiscoveryFlags& flags, bool* searched = nullptr);

// The line a search says.
std::string LookingText();

}  // namespace attune::cli

#endif  // ATTUNE_CLI_DISCOVERY_FLAGS_H_
