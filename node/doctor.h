// What `attune doctor` looks at besides the journal itself: the database file, the serve port
// and the firewall. Every function here only looks; none changes the home or the system.
#ifndef ATTUNE_NODE_DOCTOR_H_
#define ATTUNE_NODE_DOCTOR_H_

#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"
#include "node/home.h"

namespace attune::node {

// SQLite's PRAGMA integrity_check of the home's database, opened on its own connection without
// unlocking anything: "ok", or SQLite's list of problems. Errors are those of opening it
// (kNotFound without a database, kCorruption for a file that is not one, kUnsupported, ...).
Result<std::string> CheckDatabaseIntegrity(const Home& home);

enum class PortState {
  kFree,               // a listener could be opened on it now
  kUsedByAttuneServe,  // held by an `attune serve` process (if the holder's descriptors cannot
                       // be read: a listener of this user, and an attune serve of this user)
  kUsedByOther,        // held by something else
};

struct PortCheck {
  PortState state = PortState::kFree;
  std::optional<int> serve_pid;  // the `attune serve` process found, if any
};

// Whether `attune serve` could listen on TCP `host`:`port` right now. Opens a socket and closes
// it at once; kInvalidArgument for a host that is not an IP address.
Result<PortCheck> CheckListenPort(const std::string& host, uint16_t port);

// What a firewall was seen to do to incoming connections (the last such finding in its rules).
enum class FirewallRefusal {
  kNone,
  kDefaultPolicy,  // incoming connections are refused unless a rule accepts them
  kCatchAllRule,   // the input chain ends with a rule that drops or rejects everything
  kPortNotInZone,  // firewalld: the port is not open in the active zone
};

struct FirewallReport {
  std::string name;        // "ufw", "firewalld", "nftables", "iptables"; empty if none found
  bool readable = false;   // its rules could be read (most need root)
  bool may_block = false;  // readable, a refusal was seen, and no rule accepts the port
  FirewallRefusal refusal = FirewallRefusal::kNone;
  std::string rule;  // kCatchAllRule: that rule, as the firewall's own tool printed it
};

// Looks for an active firewall on this machine and, where its rules can be read, whether it
// would turn away connections to TCP `port`. Runs `nft`, `iptables`, `firewall-cmd` read-only
// when they exist; a missing tool is not an error.
FirewallReport InspectFirewall(uint16_t port);

// InspectFirewall's reading of `nft list ruleset` and `iptables -S INPUT` output: a drop policy
// or a final catch-all drop/reject on incoming traffic, and no rule accepting TCP `port`, may
// block. An nft ruleset without an input hook, or iptables without INPUT rules, names nothing.
FirewallReport JudgeNftRuleset(const std::string& ruleset, uint16_t port);
FirewallReport JudgeIptablesRules(const std::string& rules, uint16_t port);

}  // namespace attune::node

#endif  // ATTUNE_NODE_DOCTOR_H_
