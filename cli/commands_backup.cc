// The sealed backup: `attune backup --out FILE` and `attune restore-backup FILE`.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/console.h"
#include "cli/context.h"
#include "cli/format.h"
#include "cli/keeping.h"
#include "cli/keeping_messages.h"
#include "cli/messages.h"
#include "cli/passphrase.h"

namespace attune::cli {
namespace {

void AddBackup(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::string out;
    bool force = false;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand(
      "backup",
      "Write a sealed backup of the whole journal (restore it with `attune restore-backup`)");
  sub->add_option("--out", args->out, "The backup file to write (mode 0600)")->required();
  sub->add_flag("--force", args->force,
                "Replace FILE if it exists (on a terminal, attune asks first)");
  sub->add_flag("--json", args->json, "Print what was written as JSON");
  commands.push_back(
      {sub, [args](Context& ctx) -> Status {
         ATTUNE_ASSIGN_OR_RETURN(const node::ExistingFile existing,
                                 ExistingOutFile(args->out, args->force));
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         ATTUNE_ASSIGN_OR_RETURN(const node::BackupMade made, journal.Backup(args->out, existing));
         if (args->json) {
           PrintJson({{"file", args->out},
                      {"bytes", made.bytes},
                      {"opens_with", made.passphrase_protected ? "passphrase_or_recovery_code"
                                                               : "recovery_code"}});
           return Status::Ok();
         }
         std::cout << BackupDoneText(args->out, made.passphrase_protected);
         return Status::Ok();
       }});
}

struct RestoreArgs {
  std::string file;
  bool recovery_code = false;
  std::optional<std::string> code_file;
  bool replace = false;
  bool yes = false;
  bool json = false;
};

// One attempt; a wrong passphrase typed on a terminal is asked again (three tries, as every
// command that opens a journal), a recovery code is read once.
Result<node::RestoredBackup> RestoreOnce(const Context& ctx, const node::Home& home,
                                         const RestoreArgs& args) {
  node::BackupUnlock unlock;
  if (args.recovery_code) {
    ATTUNE_ASSIGN_OR_RETURN(std::string code, ReadRecoveryCode(args.code_file));
    unlock.recovery_code = std::move(code);
    node::WipeString(code);
    Result<node::RestoredBackup> restored =
        node::Journal::RestoreBackup(home, args.file, unlock, args.replace, ctx.clock);
    node::WipeString(*unlock.recovery_code);
    if (!restored.ok() && restored.status().code() == StatusCode::kInvalidArgument &&
        restored.status().reason() == 0) {
      return MistypedRecoveryCode(restored.status().detail());
    }
    return restored;
  }
  const int tries = PassphraseIsTyped(ctx.options.passphrase_file) ? kPassphraseTries : 1;
  unlock.passphrase =
      ExistingPassphrase(ctx.options.passphrase_file, "Passphrase when the backup was made: ");
  for (int attempt = 1;; ++attempt) {
    Result<node::RestoredBackup> restored =
        node::Journal::RestoreBackup(home, args.file, unlock, args.replace, ctx.clock);
    if (!restored.status().Is(node::JournalReason::kWrongPassphrase) || attempt >= tries) {
      return restored;
    }
    std::cerr << "That passphrase does not open this backup; try again.\n";
  }
}

void AddRestoreBackup(CLI::App& app, std::vector<Command>& commands) {
  auto args = std::make_shared<RestoreArgs>();
  auto* sub = app.add_subcommand(
      "restore-backup", "Restore the journal from a file `attune backup` wrote, into this home");
  sub->add_option("file", args->file, "The backup file")->required();
  sub->add_flag("--recovery-code", args->recovery_code,
                "Open it with the recovery code instead of the passphrase");
  sub->add_option("--code-file", args->code_file,
                  "With --recovery-code: read the code from this file");
  sub->add_flag("--replace", args->replace,
                "Replace the journal already in this home (it is kept beside it as "
                "journal.db.before-restore-N)");
  sub->add_flag("--yes", args->yes, "With --replace: do not ask first");
  sub->add_flag("--json", args->json, "Print what was restored as JSON");
  commands.push_back({sub, [args](Context& ctx) -> Status {
                        if (args->code_file && !args->recovery_code) {
                          return Status::InvalidArgument("--code-file goes with --recovery-code");
                        }
                        ATTUNE_ASSIGN_OR_RETURN(const node::Home home, ctx.ResolveHome());
                        // Refused before any passphrase or code is asked for (RestoreBackup refuses
                        // it too).
                        if (!args->replace && home.HasJournal()) {
                          return Status::AlreadyExists(home.dir())
                              .WithReason(node::JournalReason::kHomeHasJournal);
                        }
                        if (args->replace && home.HasJournal()) {
                          ATTUNE_RETURN_IF_ERROR(
                              Confirm(ReplaceJournalQuestion(home.dir()), args->yes));
                        }
                        ATTUNE_ASSIGN_OR_RETURN(const node::RestoredBackup restored,
                                                RestoreOnce(ctx, home, *args));
                        if (args->json) {
                          PrintJson({{"home", home.dir()},
                                     {"replaced_copy", restored.replaced_copy.value_or("")},
                                     {"passphrase", restored.passphrase_protected},
                                     {"sync_starts_over", restored.paired}});
                          return Status::Ok();
                        }
                        std::cout << RestoredText(home.dir(), restored);
                        return Status::Ok();
                      }});
}

}  // namespace

void AddBackupCommands(CLI::App& app, std::vector<Command>& commands) {
  AddBackup(app, commands);
  AddRestoreBackup(app, commands);
}

}  // namespace attune::cli
