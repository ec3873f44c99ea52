// Keeping the journal safe: export, import, passwd, recovery-kit.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include "cli/console.h"
#include "cli/context.h"
#include "cli/format.h"
#include "cli/keeping.h"
#include "cli/keeping_messages.h"
#include "cli/markdown_export.h"
#include "cli/messages.h"
#include "cli/passphrase.h"
#include "cli/progress.h"
#include "node/agent.h"
#include "node/private_file.h"

namespace attune::cli {
namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::NotFound(path).WithReason(CliReason::kCannotOpenFile);
  }
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

Result<node::ExistingFile> ExistingOutFile(const std::optional<std::string>& out, bool force) {
  if (!out || force) return node::ExistingFile::kReplace;
  struct stat info {};
  if (::lstat(out->c_str(), &info) != 0) return node::ExistingFile::kRefuse;
  if (!StdinIsTty()) {
    return Status::InvalidArgument(*out + " already exists")
        .WithReason(node::PrivateFileReason::kFileExists);
  }
  ATTUNE_RETURN_IF_ERROR(Confirm(*out + " already exists. Replace it?", false));
  return node::ExistingFile::kReplace;
}

namespace {

void AddExport(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::string format = "md";
    std::optional<std::string> out;
    bool force = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand(
      "export", "Write a readable (md) or restorable (json) backup. It is NOT encrypted");
  sub->add_option("--format", args->format, "md or json")->check(CLI::IsMember({"md", "json"}));
  sub->add_option("--out", args->out, "Write to this file (mode 0600) instead of standard output");
  sub->add_flag("--force", args->force,
                "With --out: replace FILE if it exists (on a terminal, attune asks first)");
  commands.push_back({sub, [args](Context& ctx) -> Status {
                        if (args->force && !args->out) {
                          return Status::InvalidArgument("--force goes with --out");
                        }
                        // An existing file is replaced only when asked to: --force, or yes on
                        // a terminal, before the passphrase is asked for.
                        ATTUNE_ASSIGN_OR_RETURN(const node::ExistingFile existing,
                                                ExistingOutFile(args->out, args->force));
                        ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
                        std::string text;
                        {
                          ProgressBar bar("Exporting", "entries");
                          if (args->format == "json") {
                            ATTUNE_ASSIGN_OR_RETURN(text, journal.ExportJson(bar.Callback()));
                          } else {
                            ATTUNE_ASSIGN_OR_RETURN(node::JournalExport exported,
                                                    journal.ExportEntries(bar.Callback()));
                            text = MarkdownExport(exported);
                          }
                        }  // the bar is erased before anything else is printed
                        if (!args->out) {
                          std::cout << text;
                          return Status::Ok();
                        }
                        ATTUNE_RETURN_IF_ERROR(
                            node::WritePrivateFile(*args->out, AsBytes(text), existing));
                        std::cerr << ExportedNote(*args->out) << "\n";
                        return Status::Ok();
                      }});
}

void AddImport(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::string file;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand(
      "import", "Restore entries from `attune export --format json` (safe to repeat)");
  sub->add_option("file", args->file, "The exported JSON file")->required();
  sub->add_flag("--json", args->json, "Print the counts as JSON");
  commands.push_back({sub, [args](Context& ctx) -> Status {
                        ATTUNE_ASSIGN_OR_RETURN(std::string text, ReadFile(args->file));
                        ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
                        node::ImportSummary summary;
                        {
                          ProgressBar bar("Importing", "entries");
                          ATTUNE_ASSIGN_OR_RETURN(summary,
                                                  journal.ImportJson(text, bar.Callback()));
                        }  // erased before the summary
                        if (args->json) {
                          PrintJson({{"added", summary.added},
                                     {"updated", summary.updated},
                                     {"unchanged", summary.unchanged}});
                          return Status::Ok();
                        }
                        std::cout << "Imported: " << summary.added << " added, " << summary.updated
                                  << " updated, " << summary.unchanged << " already here.\n";
                        return Status::Ok();
                      }});
}

}  // namespace

Result<std::string> ReadRecoveryCode(const std::optional<std::string>& file) {
  if (file) return ReadFile(*file);
  if (StdinIsTty()) {
    std::optional<std::string> line = PromptLine("Recovery code: ", /*echo_off=*/true);
    if (!line) return Status::InvalidArgument("no recovery code was given");
    return *line;
  }
  return ReadAllStdin();
}

namespace {

// Opens the journal with a recovery code. A code that fails its own format or checksum is a
// typo: a usage error (exit 2) that says so. A well-formed code that does not unlock this
// journal comes back from the keyring as a wrong code (exit 5). Neither changes anything.
Result<node::Journal> OpenWithRecoveryCode(const Context& ctx, const node::Home& home,
                                           const std::optional<std::string>& code_file) {
  ATTUNE_ASSIGN_OR_RETURN(std::string code, ReadRecoveryCode(code_file));
  Result<node::Journal> opened = node::Journal::OpenWithRecoveryCode(home, code, ctx.clock);
  node::WipeString(code);
  if (!opened.ok() && opened.status().code() == StatusCode::kInvalidArgument) {
    return MistypedRecoveryCode(opened.status().detail());
  }
  return opened;
}

// `passwd --rekey`: a new data key for the whole journal, a new passphrase, a new recovery code.
Status Rekey(const Context& ctx, node::Journal& journal, const node::Home& home,
             node::Secret passphrase, node::KdfStrength strength) {
  {
    ProgressBar bar("Re-sealing", "entries");
    ATTUNE_RETURN_IF_ERROR(journal.Rekey(home, std::move(passphrase), strength, bar.Callback()));
  }  // the bar is erased before the new code is shown
  // An unlock agent holds the old key, which still opens old copies of the journal.
  ATTUNE_RETURN_IF_ERROR(node::LockAgent(home).status());
  ctx.Track(journal);
  ATTUNE_ASSIGN_OR_RETURN(std::string code, journal.RecoveryCode());
  std::cout << "Your journal has a new key and your new passphrase is set. Every entry was "
               "sealed again under the new key; the old passphrase, the old recovery code and "
               "any old copy of the journal cannot read what you write from now on.\n\n"
               "Your NEW recovery code follows: the old one no longer opens this journal.\n\n";
  std::cout << RecoveryKitText(code);
  node::WipeString(code);
  return Status::Ok();
}

void AddPasswd(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    bool recover = false;
    bool rekey = false;
    bool interactive_kdf = false;
    std::optional<std::string> new_file, code_file;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand(
      "passwd",
      "Change the passphrase (only the key is re-wrapped), or with --rekey give the whole "
      "journal a new key");
  sub->add_flag("--recover", args->recover,
                "Set a new passphrase using the recovery code instead of the old passphrase");
  sub->add_flag("--rekey", args->rekey,
                "Also replace the journal's data key and recovery code, re-sealing every entry: "
                "for a passphrase or recovery code that may have leaked (stop `attune serve` "
                "first)");
  sub->add_option("--code-file", args->code_file, "With --recover: read the code from this file");
  sub->add_option("--new-passphrase-file", args->new_file,
                  "Read the new passphrase from this file (or set ATTUNE_NEW_PASSPHRASE)");
  sub->add_flag("--interactive-kdf", args->interactive_kdf, "Faster, weaker passphrase hashing");
  commands.push_back(
      {sub, [args](Context& ctx) -> Status {
         ATTUNE_ASSIGN_OR_RETURN(node::Home home, ctx.ResolveHome());
         Result<node::Journal> opened =
             args->recover ? OpenWithRecoveryCode(ctx, home, args->code_file)
                           : ctx.OpenJournal("Current passphrase: ", KeyFrom::kPassphrase);
         if (!opened.ok()) return opened.status();
         ctx.Track(*opened);
         ATTUNE_ASSIGN_OR_RETURN(std::string name, opened->Name());
         ATTUNE_ASSIGN_OR_RETURN(
             node::Secret passphrase,
             NewPassphrase("ATTUNE_NEW_PASSPHRASE", args->new_file,
                           {"New passphrase: ", "Type the new one again: ", {name}})());
         const auto strength =
             args->interactive_kdf ? node::KdfStrength::kInteractive : node::KdfStrength::kModerate;
         if (args->rekey) return Rekey(ctx, *opened, home, std::move(passphrase), strength);
         ATTUNE_RETURN_IF_ERROR(opened->ChangePassphrase(std::move(passphrase), strength));
         ctx.Track(*opened);
         std::cout << PasswdDoneText();
         return Status::Ok();
       }});
}

void AddRecoveryKit(CLI::App& app, std::vector<Command>& commands) {
  auto json = std::make_shared<bool>(false);
  auto* sub = app.add_subcommand("recovery-kit",
                                 "Print the recovery code that restores access if the passphrase "
                                 "is forgotten");
  sub->add_flag("--json", *json, "Print as JSON");
  commands.push_back({sub, [json](Context& ctx) -> Status {
                        ATTUNE_ASSIGN_OR_RETURN(
                            node::Journal journal,
                            ctx.OpenJournal("Passphrase: ", KeyFrom::kPassphrase));
                        ATTUNE_ASSIGN_OR_RETURN(std::string code, journal.RecoveryCode());
                        if (*json) {
                          PrintJson({{"recovery_code", code}});
                        } else {
                          std::cout << RecoveryKitText(code);
                        }
                        node::WipeString(code);
                        return Status::Ok();
                      }});
}

}  // namespace

void AddKeepingCommands(CLI::App& app, std::vector<Command>& commands) {
  AddExport(app, commands);
  AddImport(app, commands);
  AddPasswd(app, commands);
  AddRecoveryKit(app, commands);
}

}  // namespace attune::cli
