// What every command shares: the global options, the clock, and how to open the journal.
#ifndef ATTUNE_CLI_CONTEXT_H_
#define ATTUNE_CLI_CONTEXT_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "node/clock.h"
#include "node/home.h"
#include "node/journal.h"

namespace CLI {
class App;
}

namespace attune::cli {

struct GlobalOptions {
  std::optional<std::string> home;
  std::optional<std::string> passphrase_file;
};

class Context {
 public:
  GlobalOptions options;
  node::SystemClock clock;

  Result<node::Home> ResolveHome() const;
  // Opens the journal, asking for the passphrase only if it has one.
  Result<node::Journal> OpenJournal() const;
};

// A subcommand's work, run after parsing. Returns the status to report.
using Action = std::function<Status(Context&)>;

struct Command {
  CLI::App* app;
  Action run;
};

// Each group of commands adds its subcommands to `app` and their actions to `commands`.
void AddJournalCommands(CLI::App& app, std::vector<Command>& commands);
void AddReflectionCommands(CLI::App& app, std::vector<Command>& commands);
void AddKeepingCommands(CLI::App& app, std::vector<Command>& commands);
void AddLinkCommands(CLI::App& app, std::vector<Command>& commands);
void AddSharingCommands(CLI::App& app, std::vector<Command>& commands);
void AddDoctorCommands(CLI::App& app, std::vector<Command>& commands);
void AddBundleCommands(CLI::App& app, std::vector<Command>& commands);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_CONTEXT_H_
