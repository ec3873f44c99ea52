// What `attune doctor` says about the link's checks (partner, serve-port, firewall) and about
// its findings as a whole: pure functions of the facts the checks found, so tests/cli owns the
// wording and the end-to-end tests assert on `doctor --json`.
#ifndef ATTUNE_CLI_DOCTOR_MESSAGES_H_
#define ATTUNE_CLI_DOCTOR_MESSAGES_H_

#include <cstdint>
#include <string>

#include "node/doctor.h"

namespace attune::cli {

// The commands that let TCP `port` in, and the UDP port partners find each other on, for ufw
// and firewalld.
std::string AllowPortHint(uint16_t port);

// The partner's attune could not be reached (`cause`: the link's own detail, naming the address);
// what to check on their side, whose serve listens on `port`. Without a final full stop.
std::string PartnerUnreachableText(const std::string& cause, uint16_t port);

// The serve port `port` as CheckListenPort found it on 0.0.0.0. Without a final full stop.
std::string ServePortText(const node::PortCheck& check, uint16_t port);

// The firewall check as InspectFirewall found it, for TCP `port`. Without a final full stop.
std::string FirewallText(const node::FirewallReport& firewall, uint16_t port);

// The refusal's stable name in `doctor --json` ("default_policy", ...).
const char* FirewallRefusalName(node::FirewallRefusal refusal);

// Before the first problem's own sentence on standard error: how many problems doctor listed.
std::string DoctorFoundText(int problems);

// The serve port when a node runs on this home but does not listen on it (its --listen).
std::string NodeListensElsewhereText(uint16_t port);
// The partner check when serve on this home has a live session with the partner.
std::string LiveSessionText();

}  // namespace attune::cli

#endif  // ATTUNE_CLI_DOCTOR_MESSAGES_H_
