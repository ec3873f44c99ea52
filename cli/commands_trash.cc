// The trash: `restore` and `trash` (`rm` puts entries there: cli/commands_entries.cc).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/console.h"
#include "cli/context.h"
#include "cli/format.h"
#include "cli/trash_messages.h"

namespace attune::cli {
namespace {

nlohmann::json TrashedJson(const node::Entry& entry) {
  nlohmann::json out = node::EntryToJson(entry);
  out["trashed"] = node::FormatRfc3339(*entry.trashed);
  out["emptied"] = node::FormatRfc3339(node::TrashEmptiesAt(*entry.trashed));
  return out;
}

void AddRestore(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::string id;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand("restore", "Bring an entry back from the trash, private");
  sub->add_option("id", args->id, "The entry's id or a unique prefix of it")->required();
  sub->add_flag("--json", args->json, "Print the restored entry as JSON");
  sub->footer(RestoreFooterText());
  commands.push_back(
      {sub, [args](Context& ctx) -> Status {
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         ATTUNE_ASSIGN_OR_RETURN(node::Entry entry, journal.RestoreFromTrash(args->id));
         if (args->json) {
           PrintJson(node::EntryToJson(entry));
           return Status::Ok();
         }
         ATTUNE_ASSIGN_OR_RETURN(std::optional<node::Partner> partner, journal.GetPartner());
         std::cout << RestoredText(entry.id.substr(0, 8), partner.has_value());
         return Status::Ok();
       }});
}

Status EmptyTrash(node::Journal& journal, bool yes, bool json) {
  ATTUNE_ASSIGN_OR_RETURN(std::vector<node::Entry> inside, journal.ListTrash());
  if (!inside.empty()) ATTUNE_RETURN_IF_ERROR(Confirm(EmptyTrashQuestion(inside.size()), yes));
  ATTUNE_ASSIGN_OR_RETURN(int64_t deleted, journal.EmptyTrash());
  if (json) {
    PrintJson({{"deleted", deleted}});
  } else {
    std::cout << EmptiedTrashText(deleted);
  }
  return Status::Ok();
}

void AddTrash(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    bool empty = false;
    bool yes = false;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand(
      "trash", "What `attune rm` put in the trash, and when each goes for good (after 30 days)");
  sub->add_flag("--empty", args->empty, "Delete everything in the trash for good, now");
  sub->add_flag("--yes,-y", args->yes, "With --empty: do not ask for confirmation");
  sub->add_flag("--json", args->json,
                "Print as a JSON array (each entry with \"trashed\" and \"emptied\"); with "
                "--empty, how many were deleted");
  sub->footer(TrashFooterText());
  commands.push_back(
      {sub, [args](Context& ctx) -> Status {
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         if (args->empty) return EmptyTrash(journal, args->yes, args->json);
         ATTUNE_ASSIGN_OR_RETURN(std::vector<node::Entry> inside, journal.ListTrash());
         if (args->json) {
           nlohmann::json out = nlohmann::json::array();
           for (const node::Entry& entry : inside) out.push_back(TrashedJson(entry));
           PrintJson(out);
           return Status::Ok();
         }
         ATTUNE_ASSIGN_OR_RETURN(ShortIds short_ids, journal.ShortIds());
         std::cout << TrashListText(inside, short_ids, static_cast<size_t>(TerminalWidth()));
         return Status::Ok();
       }});
}

}  // namespace

void AddTrashCommands(CLI::App& app, std::vector<Command>& commands) {
  AddRestore(app, commands);
  AddTrash(app, commands);
}

}  // namespace attune::cli
