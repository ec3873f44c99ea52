// Writing and reading entries: init, add, statement, boundary restate, list, show, edit, rm,
// search.
#include <CLI/CLI.hpp>
#include <cctype>
#include <iostream>
#include <memory>

#include "cli/console.h"
#include "cli/context.h"
#include "cli/dates.h"
#include "cli/format.h"
#include "cli/keeping_messages.h"
#include "cli/passphrase.h"
#include "cli/reflection_messages.h"
#include "cli/sharing.h"
#include "cli/text_input.h"
#include "node/journal_reason.h"
#include "steps/kinds.h"
#include "steps/statement_check.h"

namespace attune::cli {
namespace {

// A hint from text_input.h as a flag's help, which starts with a capital.
std::string Capitalized(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

void PrintAdded(const node::Entry& entry, bool json) {
  if (json) {
    PrintJson(node::EntryToJson(entry));
  } else {
    std::cout << entry.id << "\n";
  }
}

void AddInit(CLI::App& app, std::vector<Command>& commands) {
  auto* sub = app.add_subcommand("init", "Create a new journal in the home");
  auto options = std::make_shared<node::InitOptions>();
  auto interactive = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  sub->add_option("--name", options->name, "The name you go by with your partner")->required();
  sub->add_flag("--no-passphrase", options->no_passphrase,
                "Keep the data key unprotected on disk (anyone with the files can read them)");
  sub->add_flag("--interactive-kdf", *interactive,
                "Faster, weaker passphrase hashing (Argon2id 64 MiB instead of 256 MiB)");
  sub->add_flag("--json", *json, "Print the home and whether a passphrase protects it as JSON");
  commands.push_back(
      {sub, [options, interactive, json](Context& ctx) -> Status {
         if (*interactive) options->kdf_strength = node::KdfStrength::kInteractive;
         ATTUNE_ASSIGN_OR_RETURN(node::Home home, ctx.ResolveHome());
         ATTUNE_ASSIGN_OR_RETURN(
             node::Journal journal,
             node::Journal::Init(home, *options,
                                 NewPassphrase("ATTUNE_PASSPHRASE", ctx.options.passphrase_file,
                                               {.personal_words = {options->name}}),
                                 ctx.clock));
         if (*json) {
           PrintJson({{"home", home.dir()}, {"passphrase", !options->no_passphrase}});
           return Status::Ok();
         }
         std::cout << InitDoneText(home.dir(), !options->no_passphrase);
         return Status::Ok();
       }});
}

void AddAdd(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::string kind;
    std::optional<std::string> text;
    std::vector<std::string> tags, links;
    std::optional<std::string> at;
    bool json = false;
    bool share = false, yes = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand(
      "add",
      "Write an entry. Without TEXT, reads standard input or opens your editor (text typed on "
      "the command line stays in your shell history, and other users of this computer can see "
      "it while attune starts).");
  sub->add_option("kind", args->kind, "One of: " + steps::KindNamesList())->required();
  sub->add_option("text", args->text, "The entry's text");
  sub->add_option("--tag", args->tags, "A tag (repeatable)");
  sub->add_option("--link", args->links, "Link to another entry by id (repeatable)");
  sub->add_option("--at", args->at,
                  "When it happened, if not now: 2026-11-28 21:00, yesterday 21:00, monday, "
                  "3 days ago (a day alone means its noon)");
  sub->add_flag("--share", args->share, "Share it with your partner (see `attune share`)");
  sub->add_flag("--yes,-y", args->yes,
                "With --share: do not ask before sharing a kind that is usually private");
  sub->add_flag("--json", args->json, "Print the new entry as JSON");
  commands.push_back(
      {sub, [args](Context& ctx) -> Status {
         ATTUNE_ASSIGN_OR_RETURN(const steps::KindInfo* kind, steps::FindKind(args->kind));
         // Refused before the passphrase or the editor is asked for (Journal::Add refuses too).
         if (kind->name == "style") {
           return Status::InvalidArgument("a style result comes from the quiz")
               .WithReason(node::JournalReason::kStyleComesFromQuiz);
         }
         std::optional<node::Timestamp> at;
         if (args->at) {
           ATTUNE_ASSIGN_OR_RETURN(at, ParseEntryTime(*args->at, ctx.clock.Now().utc_ms));
         }
         if (args->share) ATTUNE_RETURN_IF_ERROR(ConfirmKindForSharing(kind->name, args->yes));
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         ATTUNE_ASSIGN_OR_RETURN(std::string text,
                                 EntryText(args->text, "Your " + std::string(kind->name) + ": " +
                                                           std::string(kind->description)));
         node::NewEntry draft{args->kind, std::move(text), nlohmann::json::object(),
                              args->tags, args->links,     args->share};
         draft.created = at;
         ATTUNE_ASSIGN_OR_RETURN(node::Entry entry, journal.Add(std::move(draft)));
         PrintAdded(entry, args->json);
         return Status::Ok();
       }});
}

void PrintStatementNotes(const std::vector<steps::PhrasingNote>& notes, const std::string& id,
                         bool safety_concern) {
  std::cout << (safety_concern ? SafetyConcernText() : StatementNotesText(notes, id));
}

nlohmann::json StatementJson(const node::Entry& entry,
                             const std::vector<steps::PhrasingNote>& notes, bool safety_concern) {
  nlohmann::json out = node::EntryToJson(entry);
  out["safety_concern"] = safety_concern;
  out["notes"] = nlohmann::json::array();
  for (const auto& note : notes) {
    out["notes"].push_back({{"part", note.part},
                            {"found", note.found},
                            {"why", note.why},
                            {"suggestion", note.suggestion}});
  }
  return out;
}

struct StatementArgs {
  StatementInput parts;             // --feel, --when, --need
  std::optional<std::string> edit;  // the id of a statement to re-compose
  std::vector<std::string> tags;
  bool json = false;
  bool share = false;
  bool yes = false;
};

// The parts a statement already has, if it has all three (not after an edit as free text).
std::optional<steps::StatementParts> CurrentParts(const node::Entry& entry) {
  for (const char* part : {"feel", "when", "need"}) {
    if (!entry.fields.contains(part) || !entry.fields[part].is_string()) return std::nullopt;
  }
  return steps::StatementParts{entry.fields["feel"].get<std::string>(),
                               entry.fields["when"].get<std::string>(),
                               entry.fields["need"].get<std::string>()};
}

// For --edit: the parts given replace the statement's own. On a terminal the others are asked
// for, showing the current words (Enter keeps them); in a script they are kept as they are.
Result<steps::StatementParts> PartsForRecomposing(const StatementInput& flags,
                                                  const node::Entry& current) {
  const std::optional<steps::StatementParts> had = CurrentParts(current);
  if (StdinIsTty()) return ReadStatementParts(flags, had);
  StatementInput given = flags;
  if (had) {
    if (!given.feel) given.feel = had->feel;
    if (!given.when) given.when = had->when;
    if (!given.need) given.need = had->need;
  }
  return ReadStatementParts(given);
}

Status RecomposeStatement(Context& ctx, const StatementArgs& args) {
  ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
  ATTUNE_ASSIGN_OR_RETURN(node::Entry current, journal.Get(*args.edit));
  if (current.kind != "statement") {
    return Status::InvalidArgument("not a statement")
        .WithReason(node::JournalReason::kNotAStatement);
  }
  ATTUNE_ASSIGN_OR_RETURN(const steps::StatementParts typed,
                          PartsForRecomposing(args.parts, current));
  ATTUNE_RETURN_IF_ERROR(steps::ValidateStatementParts(typed.feel, typed.when, typed.need));
  const steps::StatementParts parts =
      steps::NormalizeStatementParts(typed.feel, typed.when, typed.need);
  const auto notes = steps::CheckStatement(typed.feel, typed.when, typed.need);
  const bool concern = !steps::FindSafetyConcern(typed.feel, typed.when, typed.need).empty();
  ATTUNE_ASSIGN_OR_RETURN(
      node::Entry entry,
      journal.RecomposeStatement(current.id,
                                 {{"feel", parts.feel}, {"when", parts.when}, {"need", parts.need}},
                                 steps::ComposeStatement(typed.feel, typed.when, typed.need)));
  ATTUNE_ASSIGN_OR_RETURN(NewVersion sent, OfferNewVersion(journal, entry, args.yes));
  if (args.json) {
    PrintJson(StatementJson(entry, notes, concern));
    return Status::Ok();
  }
  std::cout << entry.id << "\n" << entry.text << "\n";
  PrintStatementNotes(notes, entry.id, concern);
  ATTUNE_ASSIGN_OR_RETURN(std::string partner, journal.PartnerName());
  SayNewVersion(sent, partner, entry.id);
  return Status::Ok();
}

Status WriteStatement(Context& ctx, const StatementArgs& args) {
  const StatementInput& given = args.parts;
  if (given.feel && given.when && given.need) {  // a typo fails before the passphrase
    ATTUNE_RETURN_IF_ERROR(steps::ValidateStatementParts(*given.feel, *given.when, *given.need));
  }
  ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
  ATTUNE_ASSIGN_OR_RETURN(const steps::StatementParts typed, ReadStatementParts(given));
  ATTUNE_RETURN_IF_ERROR(steps::ValidateStatementParts(typed.feel, typed.when, typed.need));
  const std::string statement = steps::ComposeStatement(typed.feel, typed.when, typed.need);
  const auto notes = steps::CheckStatement(typed.feel, typed.when, typed.need);
  const bool concern = !steps::FindSafetyConcern(typed.feel, typed.when, typed.need).empty();
  const steps::StatementParts parts =
      steps::NormalizeStatementParts(typed.feel, typed.when, typed.need);
  nlohmann::json fields = {{"feel", parts.feel}, {"when", parts.when}, {"need", parts.need}};
  ATTUNE_ASSIGN_OR_RETURN(
      node::Entry entry,
      journal.Add({"statement", statement, std::move(fields), args.tags, {}, args.share}));
  if (args.json) {
    PrintJson(StatementJson(entry, notes, concern));
    return Status::Ok();
  }
  std::cout << entry.id << "\n" << statement << "\n";
  PrintStatementNotes(notes, entry.id, concern);
  return Status::Ok();
}

void AddStatement(CLI::App& app, std::vector<Command>& commands) {
  auto args = std::make_shared<StatementArgs>();
  auto* sub = app.add_subcommand(
      "statement",
      "Step 7: put a need into words: \"I feel FEELING when SITUATION. I feel loved "
      "and connected when NEED.\"");
  sub->footer(
      "Parts not given as flags are asked for on a terminal, or read from standard input: one "
      "line per part, in the order feeling, situation, need. Text typed on the command line "
      "stays in your shell history, and other users of this computer can see it while attune "
      "starts. With --edit, the parts not given stay as they are (on a terminal you are asked, "
      "and Enter keeps them).");
  sub->add_option("--feel", args->parts.feel, Capitalized(kFeelHint));
  sub->add_option("--when", args->parts.when, Capitalized(kWhenHint));
  sub->add_option("--need", args->parts.need, Capitalized(kNeedHint));
  sub->add_option("--edit", args->edit,
                  "Re-compose an existing statement (by id) from its three parts: the parts "
                  "given replace its own");
  sub->add_option("--tag", args->tags, "A tag (repeatable)");
  sub->add_flag("--share", args->share, "Share it with your partner");
  sub->add_flag("--yes,-y", args->yes,
                "With --edit, for a shared statement: send the new version without asking");
  sub->add_flag("--json", args->json, "Print the statement and notes as JSON");
  commands.push_back({sub, [args](Context& ctx) -> Status {
                        return args->edit ? RecomposeStatement(ctx, *args)
                                          : WriteStatement(ctx, *args);
                      }});
}

void AddBoundary(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::string id;
    std::optional<std::string> note;
    bool json = false;
    bool share = false;
    bool yes = false;
  };
  auto args = std::make_shared<Args>();
  auto* boundary = app.add_subcommand("boundary", "Step 8: work with boundaries");
  boundary->require_subcommand(1);
  auto* restate = boundary->add_subcommand(
      "restate", "Record that a boundary had to be restated, with an optional note");
  restate->add_option("id", args->id, "The boundary's id")->required();
  restate->add_option("text", args->note,
                      "What happened (optional). Without it, reads standard input, or asks on a "
                      "terminal");
  restate->add_flag("--share", args->share,
                    "Also share the boundary with your partner (a shared one stays shared)");
  restate->add_flag("--yes,-y", args->yes,
                    "For a shared boundary: send the new version (with this note) to your "
                    "partner without asking");
  restate->add_flag("--json", args->json, "Print the boundary as JSON");
  restate->footer(
      "The note belongs to the boundary: if the boundary is shared, your partner sees it only "
      "once you confirm the new version (asked on a terminal; --yes in scripts; otherwise it "
      "waits for `attune share ID`).");
  commands.push_back({boundary, nullptr});
  commands.push_back(
      {restate, [args](Context& ctx) -> Status {
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         ATTUNE_RETURN_IF_ERROR(journal.Get(args->id).status());  // before asking for a note
         ATTUNE_ASSIGN_OR_RETURN(std::string note,
                                 OptionalNote(args->note, "A note on what happened"));
         ATTUNE_ASSIGN_OR_RETURN(node::Entry entry, journal.RestateBoundary(args->id, note));
         NewVersion sent = NewVersion::kNotShared;
         if (args->share && entry.visibility != node::Visibility::kShared) {
           ATTUNE_ASSIGN_OR_RETURN(entry, journal.Share(entry.id));
           sent = NewVersion::kSent;
         } else {
           ATTUNE_ASSIGN_OR_RETURN(sent, OfferNewVersion(journal, entry, args->yes));
         }
         if (args->json) {
           PrintJson(node::EntryToJson(entry));
           return Status::Ok();
         }
         std::cout << RestatedText(entry.fields["restatements"].size());
         ATTUNE_ASSIGN_OR_RETURN(std::string partner, journal.PartnerName());
         SayNewVersion(sent, partner, entry.id);
         return Status::Ok();
       }});
}

}  // namespace

void AddEntryReadingCommands(CLI::App& app, std::vector<Command>& commands);
void AddTrashCommands(CLI::App& app, std::vector<Command>& commands);

void AddJournalCommands(CLI::App& app, std::vector<Command>& commands) {
  AddInit(app, commands);
  AddAdd(app, commands);
  AddStatement(app, commands);
  AddBoundary(app, commands);
  AddEntryReadingCommands(app, commands);
  AddTrashCommands(app, commands);
}

}  // namespace attune::cli
