#include "cli/tor_flags.h"

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/messages.h"
#include "cli/tor_messages.h"

namespace attune::cli {
namespace {

constexpr size_t kMaxExtraTorrcBytes = 64 * 1024;

Result<std::string> ExtraTorrc() {
  const char* file = std::getenv("ATTUNE_TOR_EXTRA_TORRC");
  if (file == nullptr || *file == '\0') return std::string();
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  if (in) text << in.rdbuf();
  if (!in || text.str().size() > kMaxExtraTorrcBytes) {
    return Reworded(Status::InvalidArgument(file), ExtraTorrcUnreadableText(file));
  }
  return text.str();
}

}  // namespace

void AddTorFlags(CLI::App& sub, TorFlags& flags, bool with_via) {
  sub.add_flag("--no-tor", flags.off,
               "Do not use Tor for this command, even where `attune tor on` turned it on");
  if (with_via) {
    sub.add_option("--via", flags.via,
                   "How to reach your partner: lan (this network only), onion (through Tor) or "
                   "HOST:PORT (that address only, as --to); default: this network, then Tor if "
                   "it is on");
  }
}

Result<Path> PathFrom(const std::optional<std::string>& to, const TorFlags& flags) {
  if (to && flags.via) return Status::InvalidArgument("--to or --via: one of them, not both");
  const bool via_address = flags.via && *flags.via != "lan" && *flags.via != "onion";
  // A word that is not lan or onion is a typo, not a host name: an address takes its port.
  if (via_address && flags.via->find(':') == std::string::npos) {
    return Status::InvalidArgument("--via takes lan, onion or HOST:PORT, not \"" + *flags.via +
                                   "\"");
  }
  const std::optional<std::string>& address = via_address ? flags.via : to;
  Path path;
  if (address) {
    ATTUNE_ASSIGN_OR_RETURN(path.to, node::ParseEndpoint(*address, node::kDefaultServePort));
    path.via = Via::kLan;  // an address given is the one to use
  } else if (flags.via) {
    path.via = *flags.via == "lan" ? Via::kLan : Via::kOnion;
  }
  return path;
}

Result<std::optional<node::TorOptions>> TorOptionsFor(const node::Home& home,
                                                      node::Journal& journal,
                                                      const TorFlags& flags) {
  ATTUNE_ASSIGN_OR_RETURN(bool enabled, journal.TorEnabled());
  if (!enabled || flags.off) return std::optional<node::TorOptions>();
  ATTUNE_ASSIGN_OR_RETURN(node::TorOptions options, TorOptionsAskedFor(home));
  return std::optional<node::TorOptions>(std::move(options));
}

bool ServeRuns(const node::Home& home) {
  return !node::HomeLock::Acquire(home).ok();
}

Result<node::TorOptions> TorOptionsAskedFor(const node::Home& home) {
  node::TorOptions options;
  options.folder = home.tor_folder();
  options.serve_runs = ServeRuns(home);
  ATTUNE_ASSIGN_OR_RETURN(options.extra_torrc, ExtraTorrc());
  if (::isatty(STDERR_FILENO) == 1) {
    options.on_progress = [](int percent) {
      std::cerr << "\r" << TorProgressText(percent) << (percent == 100 ? "\n" : "") << std::flush;
    };
  }
  return options;
}

Result<node::TorOptions> RequireTor(const std::optional<node::TorOptions>& tor) {
  if (tor) return *tor;
  return Reworded(Status::InvalidArgument("tor is off"), TorOffForViaOnionText());
}

bool WorthTryingTor(const Status& failure) {
  return failure.code() == StatusCode::kUnreachable || failure.code() == StatusCode::kTimedOut ||
         failure.Is(node::LinkReason::kPartnerNotFound);
}

}  // namespace attune::cli
