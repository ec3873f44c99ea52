// What every command shares: the global options, the clock, and how to open the journal.
#ifndef ATTUNE_CLI_CONTEXT_H_
#define ATTUNE_CLI_CONTEXT_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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

// What the command's journal said about itself, for the notes after the command.
struct OpenedJournal {
  std::shared_ptr<const node::DamageReport> damage;  // grows while the journal is used
  bool unprotected = false;                          // no passphrase
  bool upgraded = false;                             // upgraded to format 2 by this command
};

// Where a command's key comes from: the unlock agent if it holds one (node/agent.h), else the
// passphrase; or always the passphrase (unlock itself, and changing or showing what opens the
// journal: passwd, recovery-kit).
enum class KeyFrom { kAgentOrPassphrase, kPassphrase };

class Context {
 public:
  GlobalOptions options;
  node::SystemClock clock;
  // The page's words as built into the program (ProgramAssets, cli/app.h).
  std::string_view page_wording_json = "{}";

  Result<node::Home> ResolveHome() const;
  // Opens the journal with the unlock agent's key if it holds one, else asking for the passphrase
  // only if it has one (with `prompt`; three tries when it is typed on a terminal), and tracks it.
  Result<node::Journal> OpenJournal(std::string prompt = "Passphrase: ",
                                    KeyFrom from = KeyFrom::kAgentOrPassphrase) const;
  // For a journal opened another way (the recovery code): reports it as OpenJournal does.
  void Track(const node::Journal& journal) const;
  const std::optional<OpenedJournal>& opened() const { return opened_; }

 private:
  mutable std::optional<OpenedJournal> opened_;
};

// The home's lock for a command that runs the node (`serve`, `ui`): one per home, and none
// beside a re-key. Held until the returned lock is dropped; none for a home without a journal
// (opening it then fails as it should). kBusy with JournalReason::kHomeInUse if taken.
Result<std::optional<node::HomeLock>> LockHomeForNode(const node::Home& home);

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
void AddBackupCommands(CLI::App& app, std::vector<Command>& commands);
void AddLinkCommands(CLI::App& app, std::vector<Command>& commands);
void AddTorCommands(CLI::App& app, std::vector<Command>& commands);
void AddNotifyCommands(CLI::App& app, std::vector<Command>& commands);
void AddSharingCommands(CLI::App& app, std::vector<Command>& commands);
void AddDoctorCommands(CLI::App& app, std::vector<Command>& commands);
void AddBundleCommands(CLI::App& app, std::vector<Command>& commands);
void AddUiCommands(CLI::App& app, std::vector<Command>& commands);
void AddUnlockCommands(CLI::App& app, std::vector<Command>& commands);
// Under `together` (after it: nested commands follow their parent).
void AddExerciseCommands(CLI::App& together, std::vector<Command>& commands);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_CONTEXT_H_
