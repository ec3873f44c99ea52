#include "cli/doctor_messages.h"

#include "node/link.h"

namespace attune::cli {

std::string AllowPortHint(uint16_t port) {
  const std::string tcp = std::to_string(port) + "/tcp";
  const std::string udp = std::to_string(node::kDefaultDiscoveryPort) + "/udp";
  return "`sudo ufw allow " + tcp + "` (ufw) or `sudo firewall-cmd --permanent --add-port=" + tcp +
         " && sudo firewall-cmd --reload` (firewalld); on a local network also " + udp +
         ", with which the two attunes find each other";
}

std::string PartnerUnreachableText(const std::string& cause, uint16_t port) {
  return "could not reach your partner's attune (" + cause +
         "). That happens, and usually has a simple cause: check that `attune serve` runs on "
         "their machine (`systemctl --user status attune-serve`), that you are on the same "
         "network or tunnel, and that their firewall lets in port " +
         std::to_string(port) + " (on their machine: " + AllowPortHint(port) + ")";
}

std::string ServePortText(const node::PortCheck& check, uint16_t port) {
  const std::string where = "0.0.0.0:" + std::to_string(port);
  switch (check.state) {
    case node::PortState::kFree:
      return "`attune serve` would listen on " + where +
             " (free; serve is not running here: `systemctl --user enable --now attune-serve` "
             "keeps it running)";
    case node::PortState::kUsedByAttuneServe:
      return "`attune serve` is running (pid " + std::to_string(check.serve_pid.value_or(0)) +
             ") on " + where;
    case node::PortState::kUsedByOther:
      break;
  }
  return "port " + std::to_string(port) +
         " is taken by another program, so `attune serve` could not listen there. `ss -ltnp "
         "'sport = :" +
         std::to_string(port) +
         "'` shows which program; stop it, or pair again with another --serve-port";
}

std::string NodeListensElsewhereText(uint16_t port) {
  return "`attune serve` (or `attune ui`) runs on this journal, listening elsewhere than "
         "0.0.0.0:" +
         std::to_string(port) +
         ", the port your partner was told (its --listen chose another). Your partner reaches it "
         "only where it listens; without --listen it uses this port";
}

std::string LiveSessionText() {
  return "your partner's attune is connected: `attune serve` on this journal has a live session "
         "with it";
}

namespace {

// What the firewall was seen to do, as a person reads it in parentheses after its name.
std::string RefusalText(const node::FirewallReport& firewall, uint16_t port) {
  switch (firewall.refusal) {
    case node::FirewallRefusal::kDefaultPolicy:
      return "incoming connections are refused by default";
    case node::FirewallRefusal::kCatchAllRule:
      return "the input chain ends with: " + firewall.rule;
    case node::FirewallRefusal::kPortNotInZone:
      return "port " + std::to_string(port) + "/tcp is not open in the active zone";
    case node::FirewallRefusal::kNone:
      break;
  }
  return "a rule refuses incoming connections";
}

}  // namespace

std::string FirewallText(const node::FirewallReport& firewall, uint16_t port) {
  const std::string port_text = std::to_string(port);
  if (!firewall.readable) {
    return "could not read the firewall's rules (that needs root). If a firewall runs here, let "
           "your partner in: " +
           AllowPortHint(port);
  }
  if (firewall.may_block) {
    return "the firewall (" + firewall.name + ": " + RefusalText(firewall, port) +
           ") may turn away your partner's connections to port " + port_text +
           ". To let them in: " + AllowPortHint(port);
  }
  if (firewall.name.empty()) return "no firewall here blocks port " + port_text;
  return "the firewall (" + firewall.name + ") lets in port " + port_text;
}

const char* FirewallRefusalName(node::FirewallRefusal refusal) {
  switch (refusal) {
    case node::FirewallRefusal::kNone:
      return "none";
    case node::FirewallRefusal::kDefaultPolicy:
      return "default_policy";
    case node::FirewallRefusal::kCatchAllRule:
      return "catch_all_rule";
    case node::FirewallRefusal::kPortNotInZone:
      return "port_not_in_zone";
  }
  return "none";
}

std::string DoctorFoundText(int problems) {
  return "doctor found " + std::to_string(problems) + " problem" + (problems == 1 ? "" : "s") +
         ", listed above; the first";
}

}  // namespace attune::cli
