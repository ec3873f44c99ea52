// `attune notify [off|neutral|with-name]`: what `serve` shows on the desktop when something new
// arrives from the partner; `attune checkin-reminder`: the weekly check-in's reminder, which the
// user timer attune-checkin.timer runs when it is enabled (issue 20).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli/context.h"
#include "cli/notify_messages.h"
#include "node/journal.h"
#include "node/notify.h"

namespace attune::cli {
namespace {

// notify-send finishes in milliseconds; this only keeps a hung desktop from holding the timer.
constexpr std::chrono::seconds kReminderTimeout{30};

void AddNotify(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::optional<std::string> setting;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand(
      "notify",
      "What `serve` shows on your desktop when something new arrives from your partner: "
      "`notify off`, `notify neutral`, `notify with-name`, or show the setting");
  sub->add_option("setting", args->setting, "off, neutral (the default) or with-name")
      ->check(CLI::IsMember({"off", "neutral", "with-name"}));
  sub->add_flag("--json", args->json, "Print JSON");
  sub->footer(
      "A notification never shows what was written. neutral (the default) says \"attune: "
      "something new\"; with-name adds your partner's name, which anyone who sees your screen "
      "then sees. One per burst (a sync of 500 entries shows one), at most one a minute: "
      "what arrives later within that minute is told once, when it is over.");
  commands.push_back(
      {sub, [args](Context& ctx) -> Status {
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         if (args->setting) {
           ATTUNE_RETURN_IF_ERROR(
               journal.SetDesktopNotifyChoice(*node::ParseNotifyChoice(*args->setting)));
         }
         ATTUNE_ASSIGN_OR_RETURN(node::NotifyChoice choice, journal.DesktopNotifyChoice());
         const bool bus = node::SessionBusPresent();
         const bool installed = node::NotifySendInstalled();
         if (args->json) {
           std::cout << nlohmann::json{{"notify", node::NotifyChoiceName(choice)},
                                       {"session_bus", bus},
                                       {"installed", installed}}
                            .dump()
                     << "\n";
         } else if (args->setting) {
           std::cout << NotifySetText(choice, bus, installed);
         } else {
           std::cout << NotifyStatusText(choice, bus, installed);
         }
         return Status::Ok();
       }});
}

void AddCheckinReminder(CLI::App& app, std::vector<Command>& commands) {
  auto json = std::make_shared<bool>(false);
  auto* sub = app.add_subcommand("checkin-reminder",
                                 "Show the weekly check-in's gentle reminder on your desktop (what "
                                 "attune-checkin.timer runs)");
  sub->add_flag("--json", *json, "Print JSON");
  sub->footer(
      "It opens no journal and needs no passphrase. The reminder is off until you enable its "
      "timer: systemctl --user enable --now attune-checkin.timer");
  commands.push_back({sub, [json](Context&) -> Status {
                        ATTUNE_RETURN_IF_ERROR(
                            node::ShowDesktopNotice(CheckinNoticeWords(), kReminderTimeout));
                        if (*json) {
                          std::cout << nlohmann::json{{"shown", true}}.dump() << "\n";
                        } else {
                          std::cout << CheckinShownText();
                        }
                        return Status::Ok();
                      }});
}

}  // namespace

void AddNotifyCommands(CLI::App& app, std::vector<Command>& commands) {
  AddNotify(app, commands);
  AddCheckinReminder(app, commands);
}

}  // namespace attune::cli
