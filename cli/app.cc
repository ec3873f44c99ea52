#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/context.h"
#include "cli/drafts.h"
#include "cli/exit_codes.h"
#include "cli/help_messages.h"
#include "cli/hints.h"
#include "cli/keeping_messages.h"
#include "cli/messages.h"
#include "cli/passphrase.h"
#include "node/agent.h"
#include "node/journal_reason.h"
#include "node/runtime.h"

namespace attune::cli {
namespace {

constexpr const char* kDescription =
    "attune: a private journal for working through the nine steps of healing attachment\n"
    "wounds, kept encrypted on this machine. It is a companion for reflection, not a\n"
    "diagnosis or a therapy; a trained psychotherapist can offer more support.\n";

// Where the command's name is in argv: the first word that is neither an option nor the value of
// a global option; 0 when there is none.
int CommandWordAt(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--home" || arg == "--passphrase-file") {
      ++i;  // its value
      continue;
    }
    if (!arg.starts_with("-")) return i;
  }
  return 0;
}

bool AsksForHelpOrVersion(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help" || arg == "--version") return true;
  }
  return false;
}

const CLI::App* SubcommandNamed(const CLI::App& parent, std::string_view name) {
  for (const CLI::App* sub : parent.get_subcommands({})) {
    if (sub->get_name() == name) return sub;
  }
  return nullptr;
}

std::vector<std::string> SubcommandNames(const CLI::App& parent) {
  std::vector<std::string> names;
  for (const CLI::App* sub : parent.get_subcommands({})) names.push_back(sub->get_name());
  return names;
}

// `attune help [COMMAND [SUBCOMMAND]]`, as git's: the whole list, or one command's help.
int PrintHelp(const CLI::App& app, int count, char** words) {
  // A topic rather than a command: where to find more support, in full.
  if (count == 1 && std::string_view(words[0]) == "support") {
    std::cout << SupportHelpText();
    return kExitOk;
  }
  const CLI::App* shown = &app;
  std::string parents;  // "attune boundary" for `help boundary restate`, as --help says it
  for (int i = 0; i < count; ++i) {
    const CLI::App* sub = SubcommandNamed(*shown, words[i]);
    if (sub == nullptr) {
      std::cerr << "attune: "
                << NotACommandText(words[i], ClosestCommand(words[i], SubcommandNames(*shown)))
                << "\n";
      return kExitUsage;
    }
    parents += (parents.empty() ? "" : " ") + shown->get_name();
    shown = sub;
  }
  std::cout << shown->help(parents);
  return kExitOk;
}

const Command* FindRanCommand(const std::vector<Command>& commands) {
  const Command* ran = nullptr;
  for (const Command& command : commands) {
    // Nested commands (`boundary restate`) come after their parent, so the last parsed wins.
    if (command.app->parsed()) ran = &command;
  }
  return ran;
}

// Text given as an argument (an entry, a note, a tag) is readable by every local user in
// /proc/PID/cmdline while attune runs. CLI11 has copied the arguments by the time this runs, so
// they are overwritten in place, keeping only the names of the command that runs, in order, so
// that `ps` still tells what it is ("attune serve"). Defence in depth only: the text was
// visible from the start of the process until here, and the shell's history keeps it.
void HideArguments(int argc, char** argv, const Command* command) {
  std::vector<std::string> names;
  for (const CLI::App* app = command ? command->app : nullptr; app && app->get_parent();
       app = app->get_parent()) {
    names.insert(names.begin(), app->get_name());
  }
  size_t next_name = 0;
  for (int i = 1; i < argc; ++i) {
    if (next_name < names.size() && names[next_name] == argv[i]) {
      ++next_name;
      continue;
    }
    ::explicit_bzero(argv[i], std::strlen(argv[i]));
  }
}

// Sealed data in a readable home still shows how much is written and when, and a readable
// database can be copied away for offline guessing of the passphrase. Said at every start,
// before the command's own output, which goes on.
void WarnAboutOpenHome(const Context& context) {
  Result<node::Home> home = context.ResolveHome();
  if (!home.ok()) return;  // the command itself reports that
  for (const node::LoosePath& loose : home->LoosePaths()) {
    std::cerr << "attune: warning: " << PermissionWarning(loose) << "\n";
  }
}

// An attune killed while its editor was open leaves its draft behind; the next one to start
// wipes it, and says so once, since what was typed there is gone.
void WipeLeftoverEditorDrafts() {
  const int wiped = WipeLeftoverDrafts();
  if (wiped == 0) return;
  std::cerr << "attune: note: " << WipedDraftsNote(wiped) << "\n";
}

// Said once, after the command, so that it never interrupts a prompt or the output.
void NoteIfSecretsMayReachSwap() {
  if (!node::SecretsMayReachSwap()) return;
  std::cerr << "attune: note: " << SwapNote() << "\n";
}

// What the journal the command used has to say, once, after the command: an upgrade it went
// through, that it has no passphrase, and what failed its integrity check (exit 8, though the
// rest of the command's work was done).
int ReportOnJournal(const Context& context, const Status& status, int exit_code) {
  if (!context.opened()) return exit_code;
  const OpenedJournal& opened = *context.opened();
  if (opened.upgraded) std::cerr << "attune: note: " << UpgradedNote() << "\n";
  if (opened.unprotected) std::cerr << "attune: note: " << UnprotectedNote() << "\n";
  // A command that failed on the damage has said so already.
  const bool said = status.Is(node::JournalReason::kEntryDamaged) ||
                    status.Is(node::JournalReason::kRecordDamaged);
  if (opened.damage && !opened.damage->empty() && !said) {
    std::cerr << "attune: " << DamageMessage(*opened.damage) << "\n";
    if (exit_code == kExitOk) return kExitDataProblem;
  }
  return exit_code;
}

int RunCommand(Context& context, const Command* command, const CLI::App& app) {
  if (command == nullptr || !command->run) {
    std::cerr << (command ? command->app->help() : app.help());
    return kExitUsage;
  }
  WarnAboutOpenHome(context);
  WipeLeftoverEditorDrafts();
  const Status status = command->run(context);
  if (!status.ok()) {
    std::cerr << "attune: " << Explain(status) << "\n";
    // A script that asked for JSON gets the failure as JSON too; doctor's JSON report already
    // is the failure, check by check.
    const CLI::Option* json = command->app->get_option_no_throw("--json");
    if (json != nullptr && json->count() > 0 && command->app->get_name() != "doctor") {
      std::cout << ErrorJson(status).dump() << std::endl;
    }
    return ReportOnJournal(context, status, ExitCodeFor(status));
  }
  const int exit_code = ReportOnJournal(context, status, kExitOk);
  if (exit_code == kExitOk) MaybePrintHint(context, *command->app);
  return exit_code;
}

}  // namespace

int Run(int argc, char** argv, const ProgramAssets& assets) {
  // The unlock agent is this program run again by `attune unlock` (node/agent.h).
  if (argc > 1 && std::string_view(argv[1]) == node::kAgentProcessFlag) {
    return node::InitializeProcess().ok() ? node::RunAgentProcess(argc, argv) : kExitInternal;
  }
  CLI::App app(kDescription, "attune");
  // The libraries' versions help with a bug report; the protocol's tells whether two builds can
  // talk to each other.
  std::string version = std::string("attune ") + ATTUNE_VERSION + "\n" + node::LibraryVersions();
  version.pop_back();  // CLI11 ends the text with a newline of its own
  app.set_version_flag("--version", version);
  app.require_subcommand(1);
  app.fallthrough();

  Context context;
  context.page_wording_json = assets.page_wording_json;
  app.add_option("--home", context.options.home,
                 "The node's home directory (default: $ATTUNE_HOME, else "
                 "$XDG_DATA_HOME/attune, else ~/.local/share/attune)");
  app.add_option("--passphrase-file", context.options.passphrase_file,
                 "Read the passphrase from this file (ATTUNE_PASSPHRASE takes precedence)");

  std::vector<Command> commands;
  AddJournalCommands(app, commands);
  AddReflectionCommands(app, commands);
  AddKeepingCommands(app, commands);
  AddBackupCommands(app, commands);
  AddLinkCommands(app, commands);
  AddTorCommands(app, commands);
  AddNotifyCommands(app, commands);
  AddSharingCommands(app, commands);
  AddDoctorCommands(app, commands);
  AddBundleCommands(app, commands);
  AddUiCommands(app, commands);
  AddUnlockCommands(app, commands);

  // As git: `attune` alone gives an overview, `attune help ...` the help, and a mistyped command
  // a suggestion, with nothing run.
  const int word = CommandWordAt(argc, argv);
  if (word == 0 && !AsksForHelpOrVersion(argc, argv)) {
    std::cout << OverviewText();
    return kExitOk;
  }
  if (word > 0 && std::string_view(argv[word]) == "help") {
    return PrintHelp(app, argc - word - 1, argv + word + 1);
  }
  if (word > 0 && SubcommandNamed(app, argv[word]) == nullptr) {
    std::cerr << "attune: "
              << NotACommandText(argv[word], ClosestCommand(argv[word], SubcommandNames(app)))
              << "\n";
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? kExitOk : kExitUsage;
  }

  if (Status ready = node::InitializeProcess(); !ready.ok()) {
    std::cerr << "attune: " << Explain(ready) << "\n";
    return ExitCodeFor(ready);
  }
  // Before anything can start a child (the editor): the passphrase variables leave the
  // environment, and the arguments the command line.
  const EnvironmentPassphrases passphrases;
  const Command* command = FindRanCommand(commands);
  HideArguments(argc, argv, command);
  const int exit_code = RunCommand(context, command, app);
  NoteIfSecretsMayReachSwap();
  return exit_code;
}

}  // namespace attune::cli
