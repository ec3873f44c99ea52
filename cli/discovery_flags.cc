#include "cli/discovery_flags.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

namespace attune::cli {

void AddDiscoveryFlags(CLI::App& sub, DiscoveryFlags& flags) {
  sub.add_flag("--no-discovery", flags.off,
               "Do not announce yourself or look for your partner on the local network "
               "(UDP multicast); then the partner is only reached at --to or the last address "
               "that worked");
  sub.add_option("--discovery-port", flags.port,
                 "UDP port for finding each other on the local network; both of you must use "
                 "the same (default " +
                     std::to_string(node::kDefaultDiscoveryPort) + ")")
      ->check(CLI::Range(1, 65535));
}

std::string LookingText() {
  return "Looking for your partner's attune on this network…";
}

node::DiscoveryOptions DiscoveryOptionsFrom(const DiscoveryFlags& flags, bool* searched) {
  node::DiscoveryOptions options;
  options.enabled = !flags.off;
  if (flags.port) options.port = *flags.port;
  options.on_looking = [searched] {
    if (searched != nullptr) *searched = true;
    std::cerr << LookingText() << std::endl;
  };
  return options;
}

}  // namespace attune::cli
