// Offline bundles: `attune bundle --out FILE` and `attune bundle --open FILE`.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/bundle_messages.h"
#include "cli/context.h"
#include "cli/messages.h"
#include "node/bundle.h"
#include "node/private_file.h"

namespace attune::cli {
namespace {

std::string Plural(uint64_t count, const std::string& one, const std::string& many) {
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

void PrintWritten(const std::string& path, const std::string& partner,
                  const node::BundleWriteResult& result, bool json) {
  if (json) {
    std::cout << nlohmann::json{{"file", path},
                                {"bytes", result.bytes},
                                {"sent", result.sent},
                                {"withdrew", result.withdrew},
                                {"complete", result.complete}}
                     .dump()
              << "\n";
    return;
  }
  std::cout << "Wrote a bundle for " << partner << " to " << path << " (" << result.bytes
            << " bytes): " << Plural(result.sent, "entry", "entries") << ", "
            << Plural(result.withdrew, "withdrawal", "withdrawals") << ".\n";
  if (!result.complete) {
    std::cout << "You have shared more than one bundle holds: the rest follows in your next "
                 "bundle, once "
              << partner << " has opened this one and sent one back.\n";
  }
  std::cerr << "Send it any way you both use (a USB stick, e-mail, a shared folder): only "
            << partner << "'s attune can open it, and it shows nothing but its size. " << partner
            << " opens it with `attune bundle --open FILE`.\n";
}

void PrintOpened(const std::string& partner, const node::BundleOpenResult& result, bool json) {
  if (json) {
    std::cout << nlohmann::json{{"bytes", result.bytes},
                                {"received", result.received},
                                {"removed", result.removed},
                                {"refused", result.refused},
                                {"already_here", result.skipped},
                                {"delivered", result.newly_delivered > 0},
                                {"partner_started_over", result.partner_started_over},
                                {"own_log_restarted", result.own_log_restarted},
                                {"complete", result.complete}}
                     .dump()
              << "\n";
    return;
  }
  std::cout << "Opened " << partner << "'s bundle: received " << result.received << ", removed "
            << result.removed;
  if (result.refused > 0) std::cout << ", refused " << result.refused;
  std::cout << "; " << result.skipped << " already here.\n";
  if (result.partner_started_over) {
    std::cout << partner << "'s journal started over (reinstalled or restored): what they share "
              << "came anew.\n";
  }
  if (result.own_log_restarted) {
    std::cout << partner << "'s attune holds more of what you shared than this journal has (it "
              << "was restored from an older copy): your next bundle sends everything again.\n";
  }
  if (result.newly_delivered > 0) {
    std::cout << partner << "'s attune confirmed receiving what you shared before they wrote "
              << "it (`attune shared` shows it).\n";
  }
  if (!result.complete) {
    std::cout << partner << " has more to send: it comes in their next bundle, once they open "
              << "one from you.\n";
  }
}

}  // namespace

void AddBundleCommands(CLI::App& app, std::vector<Command>& commands) {
  struct Args {
    std::optional<std::string> out;
    std::optional<std::string> open;
    bool force = false;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand(
      "bundle", "Carry a sync in a file, for when you and your partner are never online together");
  auto* out = sub->add_option("--out", args->out,
                              "Write everything your partner has not received yet to FILE, "
                              "sealed so that only their attune can open it")
                  ->type_name("FILE");
  sub->add_option("--open", args->open, "Open a bundle your partner wrote and apply it")
      ->type_name("FILE")
      ->excludes(out);
  sub->add_flag("--force", args->force, "With --out: replace FILE if it exists");
  sub->add_flag("--json", args->json, "Print JSON");
  sub->footer(
      "A bundle holds what a sync would send: what you share that your partner's attune has not "
      "confirmed, and your own confirmations of what they sent. Opening one twice, or an older "
      "one after a newer one, changes nothing. The file shows nothing but its size.");
  commands.push_back({sub, [args](Context& ctx) -> Status {
                        if (!args->out && !args->open) {
                          return Status::InvalidArgument(
                              "say what to do: --out FILE to write a bundle, or --open FILE to "
                              "open one");
                        }
                        if (args->force && !args->out) {
                          return Status::InvalidArgument("--force goes with --out");
                        }
                        ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
                        ATTUNE_ASSIGN_OR_RETURN(std::string partner, journal.PartnerName());
                        if (args->out) {
                          Result<node::BundleWriteResult> written =
                              node::WriteBundle(journal, *args->out, args->force);
                          if (!written.ok()) return BundleFailure(written.status(), partner);
                          PrintWritten(*args->out, partner, *written, args->json);
                          return Status::Ok();
                        }
                        Result<node::BundleOpenResult> opened =
                            node::OpenBundle(journal, *args->open);
                        if (!opened.ok()) return BundleFailure(opened.status(), partner);
                        PrintOpened(partner, *opened, args->json);
                        return Status::Ok();
                      }});
}

}  // namespace attune::cli
