// Reaching the partner through Tor (issue 17), as the commands that talk to the partner take it:
// the home's setting (`attune tor on|off`), --no-tor, --via, and ATTUNE_TOR_EXTRA_TORRC.
#ifndef ATTUNE_CLI_TOR_FLAGS_H_
#define ATTUNE_CLI_TOR_FLAGS_H_

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "base/status.h"
#include "node/home.h"
#include "node/journal.h"
#include "node/link.h"

namespace attune::cli {

enum class Via { kAny, kLan, kOnion };

struct TorFlags {
  bool off = false;                // --no-tor
  std::optional<std::string> via;  // --via lan|onion|HOST:PORT
};

// --no-tor, and with `with_via` also --via; `flags` must outlive the parse.
void AddTorFlags(CLI::App& sub, TorFlags& flags, bool with_via);

// The path a command that talks to the partner takes: --via lan or onion, or an address given
// with --via HOST:PORT or --to HOST:PORT (then that address only, on this network: kLan).
struct Path {
  Via via = Via::kAny;
  std::optional<node::Endpoint> to;
};
// kInvalidArgument for a malformed address, or --to beside --via.
Result<Path> PathFrom(const std::optional<std::string>& to, const TorFlags& flags);

// The Tor options for this command, or none when Tor is not to be used: the home's setting is
// off, or --no-tor. ATTUNE_TOR_EXTRA_TORRC=FILE appends FILE's lines to the torrc (a private
// Tor network, a bridge); kInvalidArgument (worded) if it cannot be read. Bootstrap progress is
// shown on standard error when it is a terminal.
Result<std::optional<node::TorOptions>> TorOptionsFor(const node::Home& home,
                                                      node::Journal& journal,
                                                      const TorFlags& flags);

// Whether this home's `serve` runs: it holds the home lock (node/home.h) while it does.
bool ServeRuns(const node::Home& home);

// The Tor options for a command that uses Tor whatever the setting says, because the person
// asked for it by name (`pair --onion`, `pair --join CODE --to X.onion:PORT`).
Result<node::TorOptions> TorOptionsAskedFor(const node::Home& home);

// The options for --via onion: the home's Tor options, or kInvalidArgument (worded) when Tor is
// off for this journal or for this command (--no-tor).
Result<node::TorOptions> RequireTor(const std::optional<node::TorOptions>& tor);

// Whether a failure on this network is worth a second try through Tor (nobody answered, or
// nobody was found), rather than news of its own (versions, damage, a stranger).
bool WorthTryingTor(const Status& failure);

// Runs `lan` or `onion` as --via and the setting say: --via onion through Tor only; --via lan
// on this network only; otherwise this network, then Tor if it is on and that failed.
template <typename T, typename Lan, typename Onion>
Result<T> ReachBy(Via via, const std::optional<node::TorOptions>& tor, Lan lan, Onion onion) {
  if (via == Via::kOnion) {
    ATTUNE_ASSIGN_OR_RETURN(node::TorOptions options, RequireTor(tor));
    return onion(options);
  }
  Result<T> result = lan();
  if (result.ok() || via == Via::kLan || !tor || !WorthTryingTor(result.status())) return result;
  return onion(*tor);
}

}  // namespace attune::cli

#endif  // ATTUNE_CLI_TOR_FLAGS_H_
