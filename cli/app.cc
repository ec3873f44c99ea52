#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/context.h"
#include "cli/exit_codes.h"
#include "cli/hints.h"
#include "cli/messages.h"
#include "node/runtime.h"

namespace attune::cli {
namespace {

constexpr const char* kDescription =
    "attune: a private journal for working through the nine steps of healing attachment\n"
    "wounds, kept encrypted on this machine. It is a companion for reflection, not a\n"
    "diagnosis or a therapy; a trained psychotherapist can offer more support.\n";

const Command* FindRanCommand(const std::vector<Command>& commands) {
  const Command* ran = nullptr;
  for (const Command& command : commands) {
    // Nested commands (`boundary restate`) come after their parent, so the last parsed wins.
    if (command.app->parsed()) ran = &command;
  }
  return ran;
}

// Sealed data in a readable home still shows how much is written and when, and a readable
// database can be copied away for offline guessing of the passphrase. Said at every start,
// before the command's own output, which goes on.
void WarnAboutOpenHome(const Context& context) {
  Result<node::Home> home = context.ResolveHome();
  if (!home.ok()) return;  // the command itself reports that
  for (const std::string& warning : home->PermissionWarnings()) {
    std::cerr << "attune: warning: " << warning << "\n";
  }
}

// Said once, after the command, so that it never interrupts a prompt or the output.
void NoteIfSecretsMayReachSwap() {
  if (!node::SecretsMayReachSwap()) return;
  std::cerr << "attune: note: the system did not let attune lock its keys in memory "
               "(RLIMIT_MEMLOCK), so they could be written to swap; your journal on disk stays "
               "encrypted. `ulimit -l` shows the limit: raising it (`memlock` in "
               "/etc/security/limits.conf) or using encrypted swap closes this gap.\n";
}

int RunCommand(Context& context, const Command* command, const CLI::App& app) {
  if (command == nullptr || !command->run) {
    std::cerr << (command ? command->app->help() : app.help());
    return kExitUsage;
  }
  WarnAboutOpenHome(context);
  const Status status = command->run(context);
  if (!status.ok()) {
    std::cerr << "attune: " << Explain(status) << "\n";
    return ExitCodeFor(status);
  }
  MaybePrintHint(context, *command->app);
  return kExitOk;
}

}  // namespace

int Run(int argc, char** argv) {
  CLI::App app(kDescription, "attune");
  // The libraries' versions help with a bug report; the protocol's tells whether two builds can
  // talk to each other.
  std::string version = std::string("attune ") + ATTUNE_VERSION + "\n" + node::LibraryVersions();
  version.pop_back();  // CLI11 ends the text with a newline of its own
  app.set_version_flag("--version", version);
  app.require_subcommand(1);
  app.fallthrough();

  Context context;
  app.add_option("--home", context.options.home,
                 "The node's home directory (default: $ATTUNE_HOME, else "
                 "$XDG_DATA_HOME/attune, else ~/.local/share/attune)");
  app.add_option("--passphrase-file", context.options.passphrase_file,
                 "Read the passphrase from this file (ATTUNE_PASSPHRASE takes precedence)");

  std::vector<Command> commands;
  AddJournalCommands(app, commands);
  AddReflectionCommands(app, commands);
  AddKeepingCommands(app, commands);
  AddLinkCommands(app, commands);
  AddSharingCommands(app, commands);
  AddDoctorCommands(app, commands);
  AddBundleCommands(app, commands);

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
  const int exit_code = RunCommand(context, FindRanCommand(commands), app);
  NoteIfSecretsMayReachSwap();
  return exit_code;
}

}  // namespace attune::cli
