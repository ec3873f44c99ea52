// `attune ui`: the journal in the browser (docs/ui.md). The page's server runs on a thread of
// its own with a second connection to the journal; when the journal is paired, this thread
// runs the link as `attune serve` does, so what the partner shares arrives while the page is
// open. Both hold the home's lock: one node per home.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "cli/discovery_flags.h"
#include "cli/messages.h"
#include "cli/tor_flags.h"
#include "cli/ui_messages.h"
#include "node/journal_reason.h"
#include "node/link.h"
#include "node/private_file.h"
#include "node/ui.h"

extern char** environ;

namespace attune::cli {
namespace {

struct UiArgs {
  std::string listen = "127.0.0.1:0";
  bool no_open = false;
  int idle_lock_minutes = 15;
  bool json = false;
  DiscoveryFlags discovery;
  TorFlags tor;
};

// Whether a browser can be opened here: a graphical session and xdg-open.
bool CanOpenBrowser() {
  const char* x11 = std::getenv("DISPLAY");
  const char* wayland = std::getenv("WAYLAND_DISPLAY");
  const bool display = (x11 && *x11) || (wayland && *wayland);
  return display && ::access("/usr/bin/xdg-open", X_OK) == 0;
}

// Opens the page through a private file that sends the browser on to the address, so that the
// token is never in a command line (which every user can read in /proc). The file is removed
// when attune ui ends. Best effort: the address is printed either way.
std::optional<std::string> OpenBrowser(const node::Home& home, const std::string& url) {
  const std::string path = home.dir() + "/ui-open.html";
  const std::string page =
      "<!doctype html><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" "
      "content=\"0;url=" +
      url + "\"><title>attune</title>\n";
  if (!node::WritePrivateFile(path, AsBytes(page), node::ExistingFile::kReplace).ok()) {
    return std::nullopt;
  }
  const char* argv[] = {"xdg-open", path.c_str(), nullptr};
  pid_t child = 0;
  if (::posix_spawn(&child, "/usr/bin/xdg-open", nullptr, nullptr, const_cast<char**>(argv),
                    environ) != 0) {
    ::unlink(path.c_str());
    return std::nullopt;
  }
  int ignored = 0;
  ::waitpid(child, &ignored, 0);  // xdg-open hands the file to the browser and returns
  return path;
}

Result<node::UiOptions> UiOptionsFrom(const UiArgs& args) {
  node::UiOptions options;
  ATTUNE_ASSIGN_OR_RETURN(options.listen, node::ParseEndpoint(args.listen, 0));
  // Refused before anything is unlocked (the server refuses it too).
  if (options.listen.host != "127.0.0.1") {
    return Status::InvalidArgument(options.listen.host).WithReason(node::UiReason::kNotLoopback);
  }
  options.idle_lock = std::chrono::minutes(args.idle_lock_minutes);
  options.wording_json = UiWordingJson();
  options.describe_error = [](const Status& failure) { return ErrorJson(failure); };
  options.describe_event = [](const node::ServeEvent& event) { return ServeEventJson(event); };
  return options;
}

// Runs the link as `attune serve` does until a signal or the page ends it.
Status RunLink(const node::Home& home, node::Journal& journal, const UiArgs& args,
               node::UiServer& server, node::StopSignal& stop) {
  node::ServeOptions options;
  ATTUNE_ASSIGN_OR_RETURN(uint16_t port, journal.ServePort());
  options.listen = node::Endpoint{"0.0.0.0", port};
  ATTUNE_ASSIGN_OR_RETURN(options.tor, TorOptionsFor(home, journal, args.tor));
  if (options.tor) options.tor->on_progress = nullptr;  // reported as events
  options.discovery = DiscoveryOptionsFrom(args.discovery);
  ReportServeEvents(options, args.json,
                    [&server](const node::ServeEvent& event) { server.Publish(event); });
  options.stop = &stop;
  return node::Serve(journal, options);
}

void AddUi(CLI::App& app, std::vector<Command>& commands) {
  auto args = std::make_shared<UiArgs>();
  auto* sub = app.add_subcommand(
      "ui", "Open your journal in your browser, on this machine only (Ctrl-C ends it)");
  sub->add_option("--listen", args->listen,
                  "127.0.0.1:PORT to serve the page on (default: a free port)");
  sub->add_flag("--no-open", args->no_open, "Print the address without opening a browser");
  sub->add_option("--idle-lock", args->idle_lock_minutes,
                  "Minutes without use after which attune ui ends and locks (default 15)")
      ->check(CLI::Range(1, 24 * 60));
  sub->add_flag("--json", args->json, "Print the link's events as JSON lines, as serve --json");
  AddDiscoveryFlags(*sub, args->discovery);
  AddTorFlags(*sub, args->tor, /*with_via=*/false);
  commands.push_back(
      {sub, [args](Context& ctx) -> Status {
         ATTUNE_ASSIGN_OR_RETURN(node::UiOptions ui_options, UiOptionsFrom(*args));
         ATTUNE_ASSIGN_OR_RETURN(node::Home home, ctx.ResolveHome());
         // One node per home: not beside `attune serve` (or another ui, or a re-key).
         ATTUNE_ASSIGN_OR_RETURN(std::optional<node::HomeLock> lock, LockHomeForNode(home));
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         ATTUNE_ASSIGN_OR_RETURN(node::Journal page_journal, journal.OpenAnother());
         node::StopSignal stop_link;
         ui_options.on_end = [&stop_link](node::UiEnd) { stop_link.Stop(); };
         ATTUNE_ASSIGN_OR_RETURN(std::unique_ptr<node::UiServer> server,
                                 node::UiServer::Start(std::move(page_journal), ui_options));
         std::cout << server->url() << std::endl;  // the first line, flushed at once
         std::optional<std::string> open_file;
         if (!args->no_open && CanOpenBrowser()) open_file = OpenBrowser(home, server->url());
         ATTUNE_ASSIGN_OR_RETURN(std::optional<node::Partner> partner, journal.GetPartner());
         std::cerr << UiStartedText(open_file.has_value(), partner.has_value());
         Status link = Status::Ok();
         if (partner) {
           link = RunLink(home, journal, *args, *server, stop_link);
           server->Stop();
         }
         const node::UiEnd end = server->Wait();
         if (open_file) ::unlink(open_file->c_str());
         std::cerr << UiEndedText(end) << "\n";
         return link;
       }});
}

}  // namespace

void AddUiCommands(CLI::App& app, std::vector<Command>& commands) {
  AddUi(app, commands);
}

}  // namespace attune::cli
