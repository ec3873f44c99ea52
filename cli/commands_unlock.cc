// Unlocking once for a while: unlock, lock (node/agent.h holds the key meanwhile).
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/context.h"
#include "cli/format.h"
#include "cli/unlock_messages.h"
#include "node/agent.h"
#include "node/entry.h"

namespace attune::cli {
namespace {

nlohmann::json StateJson(const std::optional<node::AgentState>& state, const node::Clock& clock) {
  if (!state) return {{"unlocked", false}};
  node::Timestamp until = clock.Now();
  until.utc_ms += state->remaining.count();
  return {{"unlocked", true},
          {"until", node::FormatRfc3339(until)},
          {"remaining_seconds", std::chrono::ceil<std::chrono::seconds>(state->remaining).count()},
          {"pid", state->pid}};
}

Status ShowState(const Context& ctx, bool json) {
  ATTUNE_ASSIGN_OR_RETURN(node::Home home, ctx.ResolveHome());
  ATTUNE_ASSIGN_OR_RETURN(std::optional<node::AgentState> state, node::AskAgentState(home));
  if (json) {
    PrintJson(StateJson(state, ctx.clock));
  } else {
    std::cout << UnlockStatusText(state ? std::optional(state->remaining) : std::nullopt);
  }
  return Status::Ok();
}

void AddUnlock(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::string hold = "15m";
    bool status = false;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand(
      "unlock", "Ask for the passphrase once, and not again for a while (default 15 minutes)");
  sub->footer(
      "A background agent holds the journal's key, in locked memory, behind a socket only you can "
      "reach ($XDG_RUNTIME_DIR/attune, else /tmp/attune-UID). It forgets the key when the time "
      "runs out, at `attune lock`, and when you log out. While it holds the key, anyone using "
      "this computer as you can read your journal: lock it before you step away. `passwd` and "
      "`recovery-kit` still ask for the passphrase.");
  sub->add_option("--for", args->hold, "How long: a number and s, m or h, such as 90s, 15m, 2h");
  sub->add_flag("--status", args->status,
                "Only say whether the journal is unlocked, and until when");
  sub->add_flag("--json", args->json, "Print as JSON");
  commands.push_back(
      {sub, [args](Context& ctx) -> Status {
         if (args->status) return ShowState(ctx, args->json);
         ATTUNE_ASSIGN_OR_RETURN(std::chrono::seconds hold, ParseHoldTime(args->hold));
         ATTUNE_ASSIGN_OR_RETURN(node::Home home, ctx.ResolveHome());
         // The passphrase itself: an agent already running is replaced, and the
         // time starts again only for someone who knows it.
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal,
                                 ctx.OpenJournal("Passphrase: ", KeyFrom::kPassphrase));
         if (!journal.passphrase_protected()) {
           if (args->json) {
             PrintJson({{"unlocked", false}, {"needs_passphrase", false}});
           } else {
             std::cout << NothingToUnlockText();
           }
           return Status::Ok();
         }
         ATTUNE_ASSIGN_OR_RETURN(node::AgentStarted started,
                                 node::StartAgent(home, std::move(journal), hold, ctx.clock));
         if (args->json) {
           PrintJson({{"unlocked", true},
                      {"until", node::FormatRfc3339(started.until)},
                      {"remaining_seconds", hold.count()},
                      {"pid", started.pid}});
         } else {
           std::cout << UnlockedText(LocalTime(started.until), hold);
         }
         return Status::Ok();
       }});
}

void AddLock(CLI::App& app, std::vector<Command>& commands) {
  auto json = std::make_shared<bool>(false);
  auto* sub = app.add_subcommand("lock", "Forget the key `attune unlock` keeps: ask again");
  sub->add_flag("--json", *json, "Print as JSON");
  commands.push_back({sub, [json](Context& ctx) -> Status {
                        ATTUNE_ASSIGN_OR_RETURN(node::Home home, ctx.ResolveHome());
                        ATTUNE_ASSIGN_OR_RETURN(bool was_unlocked, node::LockAgent(home));
                        if (*json) {
                          PrintJson({{"locked", true}, {"was_unlocked", was_unlocked}});
                        } else {
                          std::cout << LockedText(was_unlocked);
                        }
                        return Status::Ok();
                      }});
}

}  // namespace

void AddUnlockCommands(CLI::App& app, std::vector<Command>& commands) {
  AddUnlock(app, commands);
  AddLock(app, commands);
}

}  // namespace attune::cli
