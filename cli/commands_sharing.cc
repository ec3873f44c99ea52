// Sharing with the partner: share, unshare, shared, together, respond, sync.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>

#include "cli/console.h"
#include "cli/context.h"
#include "cli/discovery_flags.h"
#include "cli/exercise_messages.h"
#include "cli/format.h"
#include "cli/layout.h"
#include "cli/progress.h"
#include "cli/sharing.h"
#include "cli/sharing_messages.h"
#include "cli/text_input.h"
#include "cli/tor_flags.h"
#include "node/exercises.h"
#include "node/link.h"
#include "steps/kinds.h"

namespace attune::cli {
namespace {

// `share ID`: previews, asks, and shares exactly what was previewed. Also confirms the new
// version of a shared entry that changed since (the partner keeps the old one until then).
Status ShareEntry(node::Journal& journal, const node::SharePreview& preview, bool yes, bool json) {
  ATTUNE_ASSIGN_OR_RETURN(node::Entry entry, journal.Get(preview.entry_id));
  const bool was_shared = entry.visibility == node::Visibility::kShared;
  if (!preview.partner_has_it) {
    ATTUNE_ASSIGN_OR_RETURN(std::string name, journal.PartnerName());
    if (!yes && StdinIsTty()) {
      std::cerr << (was_shared ? "This entry changed since you shared it. This is what "
                               : "This is what ")
                << Printable(name)
                << (was_shared ? " would see of the new version:\n\n" : " will see:\n\n")
                << SharePreviewText(preview) << "\n";
    }
    if (!was_shared) ATTUNE_RETURN_IF_ERROR(ConfirmKindForSharing(entry.kind, yes));
    ATTUNE_RETURN_IF_ERROR(Confirm(
        (was_shared ? "Send this new version to " : "Share this with ") + Printable(name) + "?",
        yes));
    ATTUNE_ASSIGN_OR_RETURN(entry, journal.ConfirmShare(preview));
  }
  if (json) {
    PrintJson(node::EntryToJson(entry));
  } else {
    ATTUNE_ASSIGN_OR_RETURN(const std::optional<node::Partner> partner, journal.GetPartner());
    std::cout << ShareDoneText(preview.partner_has_it, was_shared, entry.id, partner.has_value());
  }
  return Status::Ok();
}

void AddShare(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::string id;
    bool yes = false;
    bool json = false;
    bool preview = false;
    bool with_answers = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand(
      "share", "Share one of your entries with your partner (shows what they will see first)");
  sub->add_option("id", args->id, "The entry's id or a unique prefix of it")->required();
  sub->add_flag("--preview", args->preview,
                "Only show exactly what your partner would receive; change nothing");
  sub->add_flag("--with-answers", args->with_answers,
                "For a style result: include your answers to each quiz item (they stay private "
                "otherwise; only the scores and the blend are shared)");
  sub->add_flag("--yes,-y", args->yes, "Do not ask; share at once (for scripts)");
  sub->add_flag("--json", args->json,
                "Print the shared entry as JSON (with --preview: exactly what your partner's "
                "`show --json` will show, less author and visibility)");
  sub->footer(
      "Your partner's node receives exactly the version you confirm, at the next `attune sync` "
      "(or at once while `attune serve` runs). A later change travels only once you confirm it "
      "too (`attune share ID` again, or --yes on the command that changes it), until you "
      "`attune unshare` it.");
  commands.push_back({sub, [args](Context& ctx) -> Status {
                        ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
                        node::ShareOptions options;
                        if (args->with_answers) options.with_answers = true;
                        ATTUNE_ASSIGN_OR_RETURN(node::SharePreview preview,
                                                journal.PreviewShare(args->id, options));
                        if (!args->preview) {
                          return ShareEntry(journal, preview, args->yes, args->json);
                        }
                        if (args->json) {
                          PrintJson(SharePreviewJson(preview));
                        } else {
                          std::cout << SharePreviewText(preview);
                        }
                        return Status::Ok();
                      }});
}

Status UnshareAll(node::Journal& journal, bool json) {
  ATTUNE_ASSIGN_OR_RETURN(int64_t withdrawn, journal.UnshareAll());
  if (json) {
    PrintJson(nlohmann::json{{"withdrawn", withdrawn}});
    return Status::Ok();
  }
  std::cout << UnshareAllText(withdrawn);
  return Status::Ok();
}

void AddUnshare(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::string id;
    bool all = false;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand(
      "unshare", "Withdraw an entry you shared: your partner's node removes its copy");
  auto* id = sub->add_option("id", args->id, "The entry's id or a unique prefix of it");
  auto* all = sub->add_flag("--all", args->all,
                            "Withdraw everything you share at once (every shared entry becomes "
                            "private, and the list of what you share starts over)");
  id->excludes(all);
  all->excludes(id);
  sub->add_flag("--json", args->json, "Print the entry, now private, as JSON");
  commands.push_back({sub, [args](Context& ctx) -> Status {
                        if (!args->all && args->id.empty()) {
                          return Status::InvalidArgument(
                              "give the id of the entry to withdraw, or --all");
                        }
                        ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
                        if (args->all) return UnshareAll(journal, args->json);
                        ATTUNE_ASSIGN_OR_RETURN(node::Entry entry, journal.Unshare(args->id));
                        if (args->json) {
                          PrintJson(node::EntryToJson(entry));
                          return Status::Ok();
                        }
                        std::cout << "Withdrawn. It stays in your journal, private. Your "
                                     "partner's node removes its copy at the next sync; "
                                     "`attune shared` shows when it has confirmed.\n";
                        return Status::Ok();
                      }});
}

void AddShared(CLI::App& app, std::vector<Command>& commands) {
  auto json = std::make_shared<bool>(false);
  auto* sub = app.add_subcommand("shared",
                                 "What you have shared, and whether your partner's node holds it");
  sub->add_flag("--json", *json, "Print as a JSON array");
  sub->footer(
      "States: waiting (not yet delivered), delivered (your partner's node acknowledged this "
      "version), withdrawing, withdrawn (removed on partner's node). Withdrawal relies on "
      "your partner's attune honouring it: no software can make a modified program forget.");
  commands.push_back(
      {sub, [json](Context& ctx) -> Status {
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         ATTUNE_ASSIGN_OR_RETURN(std::vector<node::SharedItem> items, journal.SharedItems());
         if (*json) {
           nlohmann::json list = nlohmann::json::array();
           for (const node::SharedItem& item : items) {
             list.push_back(
                 {{"id", item.entry_id},
                  {"state", DeliveryStateName(item.state)},
                  {"awaiting_confirmation", item.awaiting_confirmation},
                  {"damaged", item.damaged},
                  {"entry", item.entry ? node::EntryToJson(*item.entry) : nlohmann::json()}});
           }
           PrintJson(list);
           return Status::Ok();
         }
         ATTUNE_ASSIGN_OR_RETURN(ShortIds short_ids, journal.ShortIds());
         std::cout << SharedListText(items, short_ids);
         return Status::Ok();
       }});
}

constexpr size_t kMaxNameWidth = 16;
constexpr size_t kMinTextWidth = 20;  // narrower than this, the text goes under its line

struct TimelineRow {
  std::string who;
  EntryCells cells;
};

// One row per entry in aligned columns (who, id, date, kind), the text wrapped in the last
// column; on a narrow terminal the text goes below, indented. `news` are marked "[new]".
void PrintTimeline(const std::vector<node::Entry>& entries, const ShortIds& short_ids,
                   const std::string& partner, const std::set<std::string>& news) {
  std::vector<TimelineRow> rows;
  size_t who_width = 3, id_width = 0, kind_width = 0;
  for (const node::Entry& entry : entries) {
    TimelineRow row{Shorten(entry.author == node::Author::kMe ? "you" : partner, kMaxNameWidth),
                    EntryLineCells(entry, short_ids, /*whole=*/true)};
    if (news.count(entry.id) > 0) row.cells.text += "  [new]";
    who_width = std::max(who_width, DisplayWidth(row.who));
    id_width = std::max(id_width, DisplayWidth(row.cells.short_id));
    kind_width = std::max(kind_width, DisplayWidth(row.cells.kind));
    rows.push_back(std::move(row));
  }
  const size_t width = static_cast<size_t>(TerminalWidth());
  const size_t column = who_width + id_width + kind_width + 16 + 4 * 2;  // 16: the date
  const bool side_by_side = width >= column + kMinTextWidth;
  const std::string indent(side_by_side ? column : 4, ' ');
  for (const TimelineRow& row : rows) {
    const std::string plain = PadRight(row.who, who_width) + "  " +
                              PadRight(row.cells.short_id, id_width) + "  " + row.cells.date +
                              "  " + row.cells.kind;
    if (DisplayWidth(plain) > width) {  // only ever when the text goes below
      std::cout << Shorten(plain, width) << "\n";
    } else {
      std::cout << Bold(PadRight(row.who, who_width)) << "  "
                << Dim(PadRight(row.cells.short_id, id_width)) << "  " << row.cells.date << "  "
                << (side_by_side ? PadRight(row.cells.kind, kind_width) + "  "
                                 : row.cells.kind + "\n");
    }
    // The whole text, wrapped, each of its lines a paragraph of its own.
    std::string_view text = row.cells.text;
    bool first = true;
    while (true) {
      const size_t end = text.find('\n');
      std::cout << Paragraph(text.substr(0, end), width, first && side_by_side ? "" : indent,
                             indent);
      first = false;
      if (end == std::string_view::npos) break;
      text.remove_prefix(end + 1);
    }
  }
}

// The exercises under way (and the last revealed ones) after the timeline. Best effort: a
// journal without a partner has none, and a damaged record is named by `together exercises`.
void PrintOpenExercises(node::Journal& journal) {
  Result<std::vector<node::ExerciseView>> all = node::Exercises(journal).List();
  Result<std::string> partner = journal.PartnerName();
  if (!all.ok() || !partner.ok()) return;
  if (Result<node::PartnerSoftware> seen = node::Exercises(journal).Partner(); seen.ok()) {
    std::cout << PartnerSoftwareText(*seen, *partner);
  }
  if (all->empty()) return;
  std::cout << "\nExercises (`attune together exercises` lists all):\n";
  int shown = 0;
  for (const node::ExerciseView& view : *all) {
    if (view.stage == node::ExerciseStage::kWithdrawn || ++shown > 5) continue;
    std::cout << ExerciseBlock(view, *partner);
  }
}

CLI::App* AddTogether(CLI::App& app, std::vector<Command>& commands) {
  auto json = std::make_shared<bool>(false);
  auto* sub = app.add_subcommand(
      "together", "Both partners' shared entries in one timeline, with who wrote each");
  sub->add_flag("--json", *json, "Print as a JSON array (each entry's author: me or partner)");
  commands.push_back(
      {sub, [json](Context& ctx) -> Status {
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         ATTUNE_ASSIGN_OR_RETURN(std::vector<node::Entry> entries,
                                 journal.List({.author = std::nullopt, .shared_only = true}));
         std::erase_if(entries, [](const node::Entry& entry) {
           return entry.author == node::Author::kFormer;
         });
         ATTUNE_ASSIGN_OR_RETURN(const std::set<std::string> news, journal.PartnerNews(entries));
         if (*json) {
           PrintJson(EntriesJson(entries));
           return Status::Ok();  // a script's read is no look
         }
         if (entries.empty()) {
           std::cout << "Nothing shared between you yet. You choose what to share, entry by "
                        "entry: `attune share ID`.\n";
         } else {
           ATTUNE_ASSIGN_OR_RETURN(std::string partner, journal.PartnerName());
           ATTUNE_ASSIGN_OR_RETURN(ShortIds short_ids, journal.ShortIds());
           PrintTimeline(ThreadedTimeline(entries), short_ids, partner, news);
         }
         // What was shown is now seen. Best effort: a read-only home still reads (exit 0).
         (void)journal.MarkPartnerSeen(entries);
         PrintOpenExercises(journal);
         return Status::Ok();
       }});
  return sub;
}

void AddRespond(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::string id;
    std::optional<std::string> text;
    std::string ack;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand(
      "respond",
      "Answer something your partner shared (a need, statement, boundary or repair note). "
      "Your response is shared with them");
  sub->add_option("id", args->id, "The id (or a unique prefix) of your partner's entry")
      ->required();
  sub->add_option("text", args->text,
                  "Your response. Without it, reads standard input or opens your editor");
  sub->add_option("--ack", args->ack, "heard, will-try or lets-talk")
      ->check(CLI::IsMember({"heard", "will-try", "lets-talk"}));
  sub->add_flag("--json", args->json, "Print the response as JSON");
  commands.push_back(
      {sub, [args](Context& ctx) -> Status {
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         ATTUNE_ASSIGN_OR_RETURN(node::Entry answered, journal.Get(args->id));
         ATTUNE_ASSIGN_OR_RETURN(std::string name, journal.PartnerName());
         ATTUNE_ASSIGN_OR_RETURN(
             std::string text,
             EntryText(args->text, "Your response to " + name + "'s " + answered.kind));
         ATTUNE_ASSIGN_OR_RETURN(node::Entry entry,
                                 journal.Respond(answered.id, std::move(text), args->ack));
         if (args->json) {
           PrintJson(node::EntryToJson(entry));
         } else {
           std::cout << ResponseSharedText(entry.id, name);
         }
         return Status::Ok();
       }});
}

void AddSync(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::optional<std::string> to;
    bool json = false;
    DiscoveryFlags discovery;
    TorFlags tor;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand(
      "sync", "Exchange shared entries with your partner's attune once, both ways, then stop");
  sub->add_option("--to", args->to,
                  "HOST:PORT of your partner's `attune serve` (default: the last address that "
                  "worked, else found on this network)");
  sub->add_flag("--json", args->json, "Print the summary as JSON");
  AddDiscoveryFlags(*sub, args->discovery);
  AddTorFlags(*sub, args->tor, /*with_via=*/true);
  sub->footer(
      "Only entries you shared travel, end-to-end encrypted. An interrupted sync loses "
      "nothing: the next one goes on where it stopped.");
  commands.push_back(
      {sub, [args](Context& ctx) -> Status {
         ATTUNE_ASSIGN_OR_RETURN(const Path path, PathFrom(args->to, args->tor));
         const std::optional<node::Endpoint>& to = path.to;
         const Via via = path.via;
         ATTUNE_ASSIGN_OR_RETURN(node::Home home, ctx.ResolveHome());
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         ATTUNE_ASSIGN_OR_RETURN(std::optional<node::TorOptions> tor,
                                 TorOptionsFor(home, journal, args->tor));
         node::SyncResult result;
         bool searched = false;
         {
           // Counted in changes (a log's seqs), which a first sync has one of per entry shared.
           ProgressBar bar("Syncing", "changes");
           ATTUNE_ASSIGN_OR_RETURN(
               result, ReachBy<node::SyncResult>(
                           via, tor,
                           [&] {
                             return node::SyncWithPartner(
                                 journal, to, node::LinkTimeouts{},
                                 DiscoveryOptionsFrom(args->discovery, &searched), bar.Callback());
                           },
                           [&](const node::TorOptions& options) {
                             return node::SyncWithPartnerThroughTor(journal, node::LinkTimeouts{},
                                                                    options, bar.Callback());
                           }));
         }  // the bar is erased before the summary
         const std::shared_ptr<const node::DamageReport> damage = journal.damage();
         if (args->json) {
           std::cout << nlohmann::json{{"address", result.address},
                                       {"damaged_entries", damage->entries},
                                       {"damaged_records", damage->records},
                                       {"sent", result.sent},
                                       {"withdrew", result.withdrew},
                                       {"received", result.received},
                                       {"removed", result.removed},
                                       {"refused", result.refused},
                                       {"bytes_sent", result.bytes_sent},
                                       {"bytes_received", result.bytes_received},
                                       {"seconds", result.elapsed.count() / 1e6},
                                       {"searched", searched}}
                            .dump()
                     << "\n";
           return Status::Ok();
         }
         std::cout << "Synced with your partner's attune at " << result.address << ": sent "
                   << result.sent << ", withdrew " << result.withdrew << ", received "
                   << result.received << ", removed " << result.removed << ".\n";
         if (result.refused > 0) {
           std::cout << result.refused
                     << " item(s) from your partner's attune were not valid entries and were "
                        "skipped; their attune may be newer or damaged.\n";
         }
         return Status::Ok();
       }});
}

}  // namespace

void AddSharingCommands(CLI::App& app, std::vector<Command>& commands) {
  AddShare(app, commands);
  AddUnshare(app, commands);
  AddShared(app, commands);
  AddExerciseCommands(*AddTogether(app, commands), commands);
  AddRespond(app, commands);
  AddSync(app, commands);
}

}  // namespace attune::cli
