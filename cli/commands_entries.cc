// Reading and changing existing entries: list, show, edit, rm, search.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>
#include <set>

#include "cli/console.h"
#include "cli/context.h"
#include "cli/dates.h"
#include "cli/format.h"
#include "cli/help_messages.h"
#include "cli/sharing.h"
#include "cli/text_input.h"
#include "cli/trash_messages.h"
#include "steps/kinds.h"

namespace attune::cli {
namespace {

// On an ambiguous prefix, lists the candidates so the user can pick one.
Status WithMatches(node::Journal& journal, const std::string& prefix, Status status) {
  if (!status.Is(node::JournalReason::kAmbiguousId)) return status;
  Result<std::vector<node::Entry>> matches = journal.Matches(prefix);
  if (matches.ok()) {
    std::cerr << "These entries start with " << prefix << ":\n";
    for (const node::Entry& entry : *matches) std::cerr << "  " << EntryLine(entry, {}) << "\n";
  }
  return status;
}

// `news`: the partner's entries new since the person last looked, marked "[new]" on a person's
// list (JSON, for scripts, stays as it was).
Status PrintEntries(node::Journal& journal, const std::vector<node::Entry>& entries, bool json,
                    const std::string& empty_message, bool mixed = false,
                    const std::set<std::string>& news = {}) {
  if (json) {
    PrintJson(EntriesJson(entries));
    return Status::Ok();
  }
  if (entries.empty()) {
    std::cout << empty_message << "\n";
    return Status::Ok();
  }
  ATTUNE_ASSIGN_OR_RETURN(ShortIds short_ids, journal.ShortIds());
  const auto width = static_cast<size_t>(TerminalWidth());
  const std::string mark = "  [new]";
  for (const node::Entry& entry : entries) {
    const bool is_new = news.count(entry.id) > 0;
    std::cout << EntryLine(entry, short_ids, is_new ? width - mark.size() : width,
                           /*mark_whose=*/mixed)
              << (is_new ? Bold(mark) : "") << "\n";
  }
  return Status::Ok();
}

// --since, --until and --on as bounds of the filter: a day without a time counts whole.
Status ApplyDates(const std::optional<std::string>& since, const std::optional<std::string>& until,
                  const std::optional<std::string>& on, int64_t now_ms, node::ListFilter& filter) {
  if (on && (since || until)) {
    return Status::InvalidArgument("--on is one day; use --since and --until for a span");
  }
  if (since) {
    ATTUNE_ASSIGN_OR_RETURN(NamedMoment from, ParseNamedMoment(*since, now_ms, "--since"));
    filter.since_utc_ms = from.utc_ms;
  }
  if (until) {
    ATTUNE_ASSIGN_OR_RETURN(NamedMoment to, ParseNamedMoment(*until, now_ms, "--until"));
    filter.until_utc_ms = to.has_time ? to.utc_ms + 1 : StartOfNextLocalDay(to.utc_ms);
  }
  if (on) {
    ATTUNE_ASSIGN_OR_RETURN(NamedMoment day, ParseNamedMoment(*on, now_ms, "--on"));
    filter.since_utc_ms = StartOfLocalDay(day.utc_ms);
    filter.until_utc_ms = StartOfNextLocalDay(day.utc_ms);
  }
  return Status::Ok();
}

void AddList(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::optional<std::string> kind, tag, since, until, on;
    std::optional<int> step;
    std::optional<size_t> newest;
    bool newest_first = false;
    bool json = false;
    bool partner = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand("list", "List entries, oldest first");
  sub->add_flag("--partner", args->partner,
                "List what your partner shared with you instead of your own entries");
  sub->add_option("--kind", args->kind, "Only this kind");
  sub->add_option("--step", args->step, "Only this step (1-9), or 0 for notes, which have no step")
      ->check(CLI::Range(0, 9));
  sub->add_option("--tag", args->tag, "Only entries with this tag");
  sub->add_option("--since", args->since,
                  "Only entries written on or after this day or time (2026-11-28, yesterday, "
                  "3 days ago, monday, with an optional 21:00)");
  sub->add_option("--until", args->until,
                  "Only entries written up to this day or time (as --since)");
  sub->add_option("--on", args->on, "Only entries written on this day (as --since)");
  sub->add_option("-n,--newest", args->newest, "Only the newest N of those that match")
      ->check(CLI::PositiveNumber);
  sub->add_flag("--newest-first", args->newest_first, "The newest first (default: oldest first)");
  sub->add_flag("--json", args->json, "Print as a JSON array");
  commands.push_back(
      {sub, [args](Context& ctx) -> Status {
         node::ListFilter filter;
         if (args->kind) {
           ATTUNE_ASSIGN_OR_RETURN(const steps::KindInfo* kind, steps::FindKind(*args->kind));
           filter.kind = std::string(kind->name);
         }
         filter.step = args->step;
         filter.tag = args->tag;
         if (args->partner) filter.author = node::Author::kPartner;
         ATTUNE_RETURN_IF_ERROR(
             ApplyDates(args->since, args->until, args->on, ctx.clock.Now().utc_ms, filter));
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         ATTUNE_ASSIGN_OR_RETURN(std::vector<node::Entry> entries, journal.List(filter));
         if (args->newest && *args->newest < entries.size()) {
           entries.erase(entries.begin(), entries.end() - static_cast<ptrdiff_t>(*args->newest));
         }
         if (args->newest_first) std::reverse(entries.begin(), entries.end());
         const bool filtered =
             args->kind || args->step || args->tag || args->since || args->until || args->on;
         std::set<std::string> news;
         if (args->partner) {
           ATTUNE_ASSIGN_OR_RETURN(news, journal.PartnerNews(entries));
         }
         ATTUNE_RETURN_IF_ERROR(PrintEntries(
             journal, entries, args->json,
             filtered ? NothingMatchedText(args->partner) : NothingListedText(args->partner),
             /*mixed=*/false, news));
         // What a person was shown is now seen (a script's --json is no look).
         // Best effort: a read-only home still lists (exit 0).
         if (args->partner && !args->json) (void)journal.MarkPartnerSeen(entries);
         return Status::Ok();
       }});
}

void AddShow(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::string id;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand("show", "Show one entry in full");
  sub->add_option("id", args->id, "The entry's id or a unique prefix of it")->required();
  sub->add_flag("--json", args->json, "Print as JSON");
  commands.push_back({sub, [args](Context& ctx) -> Status {
                        ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
                        Result<node::Entry> entry = journal.Get(args->id);
                        if (!entry.ok()) return WithMatches(journal, args->id, entry.status());
                        if (args->json) {
                          PrintJson(node::EntryToJson(*entry));
                          return Status::Ok();
                        }
                        ATTUNE_ASSIGN_OR_RETURN(ShortIds short_ids, journal.ShortIds());
                        std::cout << EntryDetail(*entry, short_ids);
                        return Status::Ok();
                      }});
}

void AddEdit(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::string id;
    std::optional<std::string> text;
    node::Journal::TagAndLinkChanges changes;
    bool json = false;
    bool yes = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand(
      "edit",
      "Change an entry's text, tags or links. Without TEXT (and without tag or link changes), "
      "reads standard input or opens your editor");
  sub->add_option("id", args->id, "The entry's id or a unique prefix of it")->required();
  sub->add_option("text", args->text, "The new text");
  sub->add_option("--tag", args->changes.add_tags, "Add a tag (repeatable)");
  sub->add_option("--untag", args->changes.remove_tags, "Remove a tag (repeatable)");
  sub->add_option("--link", args->changes.add_links, "Link to another entry by id (repeatable)");
  sub->add_option("--unlink", args->changes.remove_links, "Remove a link (repeatable)");
  sub->add_flag("--yes,-y", args->yes,
                "For a shared entry: send the new version to your partner without asking");
  sub->add_flag("--json", args->json, "Print the edited entry as JSON");
  sub->footer(
      "A shared entry's new version reaches your partner only once you confirm it: on a "
      "terminal attune shows it and asks; in a script, --yes sends it, and without --yes it "
      "waits for `attune share ID`. A statement edited as free text loses its three parts "
      "(`attune statement --edit ID` re-composes it instead).");
  commands.push_back(
      {sub, [args](Context& ctx) -> Status {
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         Result<node::Entry> current = journal.Get(args->id);
         if (!current.ok()) return WithMatches(journal, args->id, current.status());
         const node::Journal::TagAndLinkChanges& changes = args->changes;
         const bool retag = !changes.add_tags.empty() || !changes.remove_tags.empty() ||
                            !changes.add_links.empty() || !changes.remove_links.empty();
         node::Entry entry = *current;
         // Tags and links alone change without the editor; with TEXT, both change.
         if (retag) {
           ATTUNE_ASSIGN_OR_RETURN(entry, journal.EditTagsAndLinks(current->id, changes));
         }
         if (!retag || args->text) {
           ATTUNE_ASSIGN_OR_RETURN(
               std::string text,
               EntryText(args->text, "Edit your " + current->kind, current->text));
           ATTUNE_ASSIGN_OR_RETURN(entry, journal.EditText(current->id, std::move(text)));
         }
         ATTUNE_ASSIGN_OR_RETURN(NewVersion sent, OfferNewVersion(journal, entry, args->yes));
         if (args->json) {
           PrintJson(node::EntryToJson(entry));
           return Status::Ok();
         }
         std::cout << "Saved.\n";
         ATTUNE_ASSIGN_OR_RETURN(std::string partner, journal.PartnerName());
         SayNewVersion(sent, partner, entry.id);
         return Status::Ok();
       }});
}

// `rm`: to the trash (cli/commands_trash.cc lists, restores and empties it); an entry that
// failed its integrity check cannot be read, so it is deleted for good, as before the trash.
void AddRemove(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::string id;
    bool yes = false;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand("rm", "Move an entry to the trash (emptied after 30 days)");
  sub->add_option("id", args->id, "The entry's id or a unique prefix of it")->required();
  sub->add_flag("--yes,-y", args->yes, "Do not ask for confirmation");
  sub->add_flag("--json", args->json,
                "Print the entry's id, whether it was withdrawn from your partner, and when the "
                "trash deletes it for good");
  sub->footer(RemoveFooterText());
  commands.push_back(
      {sub, [args](Context& ctx) -> Status {
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         Result<node::Entry> entry = journal.Get(args->id);
         // One that failed its integrity check can be deleted too: it is how one is let go.
         const bool damaged = entry.status().Is(node::JournalReason::kEntryDamaged);
         if (!entry.ok() && !damaged) return WithMatches(journal, args->id, entry.status());
         const std::string id = damaged ? entry.status().detail() : entry->id;
         if (!args->yes && StdinIsTty()) {
           std::cerr << (damaged ? id + " (failed its integrity check; its text cannot be shown)"
                                 : EntryLine(*entry, {}))
                     << "\n";
         }
         if (damaged) {
           ATTUNE_RETURN_IF_ERROR(Confirm("Delete this entry for good?", args->yes));
           ATTUNE_RETURN_IF_ERROR(journal.Remove(id));
           if (args->json) {
             PrintJson({{"deleted", id}, {"withdrawn", false}});
           } else {
             std::cout << "Deleted.\n";
           }
           return Status::Ok();
         }
         ATTUNE_RETURN_IF_ERROR(Confirm("Move this entry to the trash?", args->yes));
         const bool withdrawn = entry->visibility == node::Visibility::kShared;
         ATTUNE_ASSIGN_OR_RETURN(node::Entry trashed, journal.MoveToTrash(id));
         const node::Timestamp emptied = node::TrashEmptiesAt(*trashed.trashed);
         if (args->json) {
           PrintJson({{"trashed", id},
                      {"withdrawn", withdrawn},
                      {"emptied", node::FormatRfc3339(emptied)}});
           return Status::Ok();
         }
         ATTUNE_ASSIGN_OR_RETURN(std::string partner, journal.PartnerName());
         std::cout << MovedToTrashText(id.substr(0, 8), LocalTime(emptied),
                                       withdrawn ? partner : "");
         return Status::Ok();
       }});
}

void AddSearch(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::vector<std::string> words;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand(
      "search", "Find entries containing every word (decrypted in memory; no index on disk)");
  sub->add_option("words", args->words, "Words to look for");
  sub->add_flag("--json", args->json, "Print as a JSON array");
  commands.push_back(
      {sub, [args](Context& ctx) -> Status {
         if (args->words.empty()) {
           return Status::InvalidArgument(SearchNeedsWordsText()).WithReason(CliReason::kWorded);
         }
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         ATTUNE_ASSIGN_OR_RETURN(std::vector<node::Entry> found, journal.Search(args->words));
         return PrintEntries(journal, found, args->json, NothingFoundText(),
                             /*mixed=*/true);
       }});
}

}  // namespace

void AddEntryReadingCommands(CLI::App& app, std::vector<Command>& commands) {
  AddList(app, commands);
  AddShow(app, commands);
  AddEdit(app, commands);
  AddRemove(app, commands);
  AddSearch(app, commands);
}

}  // namespace attune::cli
