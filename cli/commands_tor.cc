// `attune tor on|off` and `attune tor` (status): whether this journal reaches the partner
// through Tor (issue 17). Off until turned on: using Tor is visible to whoever runs the network.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli/context.h"
#include "cli/tor_messages.h"
#include "node/journal.h"
#include "node/link.h"

namespace attune::cli {

void AddTorCommands(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::optional<std::string> setting;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand(
      "tor", "Reach your partner anywhere through Tor: `tor on`, `tor off`, or show the setting");
  sub->add_option("setting", args->setting, "on or off")->check(CLI::IsMember({"on", "off"}));
  sub->add_flag("--json", args->json, "Print JSON");
  sub->footer(
      "Off until you turn it on. With Tor, your partner's attune and yours reach each other "
      "from any network, at onion addresses only the two of you can use; neither learns the "
      "other's IP address. Whoever runs your network can see that you use Tor.");
  commands.push_back({sub, [args](Context& ctx) -> Status {
                        ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
                        if (args->setting) {
                          ATTUNE_RETURN_IF_ERROR(journal.SetTorEnabled(*args->setting == "on"));
                        }
                        ATTUNE_ASSIGN_OR_RETURN(bool enabled, journal.TorEnabled());
                        const bool installed = node::TorInstalled();
                        ATTUNE_ASSIGN_OR_RETURN(node::OnionContact own, journal.OwnOnionContact());
                        const std::string address = own.address + ".onion";
                        if (args->json) {
                          std::cout << nlohmann::json{{"tor", enabled ? "on" : "off"},
                                                      {"installed", installed},
                                                      {"onion_address", address}}
                                           .dump()
                                    << "\n";
                        } else if (!args->setting) {
                          std::cout << TorStatusText(enabled, installed, address);
                        } else {
                          std::cout << (enabled ? TorTurnedOnText(installed) : TorTurnedOffText());
                        }
                        return Status::Ok();
                      }});
}

}  // namespace attune::cli
