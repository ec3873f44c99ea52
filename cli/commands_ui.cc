// `attune ui`: the journal in the browser (docs/ui.md). The page's server runs on a thread of
// its own with a second connection to the journal; when the journal is paired, this thread
// runs the link as `attune serve` does, so what the partner shares arrives while the page is
// open. Both hold the home's lock: one node per home.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>

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
  std::optional<int> idle_lock_minutes;  // also remembered for next time
  std::optional<std::string> pair_listen;
  std::optional<uint16_t> serve_port;
  bool json = false;
  DiscoveryFlags discovery;
  TorFlags tor;
};

// The desktop's opener (xdg-open) on PATH, if there is a display to open a browser on.
std::optional<std::string> BrowserOpener() {
  const char* x11 = std::getenv("DISPLAY");
  const char* wayland = std::getenv("WAYLAND_DISPLAY");
  if (!(x11 && *x11) && !(wayland && *wayland)) return std::nullopt;
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/bin:/bin";
  while (!dirs.empty()) {
    const size_t colon = dirs.find(':');
    const std::string candidate = std::string(dirs.substr(0, colon)) + "/xdg-open";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
  }
  return std::nullopt;
}

// Opens the page through a private file that sends the browser on to the address, so that the
// token is never in a command line (which every user can read in /proc). The file is removed
// when attune ui ends. Best effort: the address is printed either way.
std::optional<std::string> OpenBrowser(const node::Home& home, const std::string& url,
                                       const std::string& opener) {
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
  if (::posix_spawn(&child, opener.c_str(), nullptr, nullptr, const_cast<char**>(argv), environ) !=
      0) {
    ::unlink(path.c_str());
    return std::nullopt;
  }
  int ignored = 0;
  ::waitpid(child, &ignored, 0);  // xdg-open hands the file to the browser and returns
  return path;
}

Result<node::UiOptions> UiOptionsFrom(const UiArgs& args, std::string_view wording_json) {
  node::UiOptions options = PageOptions(wording_json);
  ATTUNE_ASSIGN_OR_RETURN(options.listen, node::ParseEndpoint(args.listen, 0));
  // Refused before anything is unlocked (the server refuses it too).
  if (options.listen.host != "127.0.0.1") {
    return Status::InvalidArgument(options.listen.host).WithReason(node::UiReason::kNotLoopback);
  }
  if (args.pair_listen) {
    ATTUNE_ASSIGN_OR_RETURN(options.pair_listen,
                            node::ParseEndpoint(*args.pair_listen, node::kDefaultPairPort));
  }
  options.discovery = DiscoveryOptionsFrom(args.discovery);
  return options;
}

// What the page's thread tells this one: that it ended, or that the journal was paired or
// unpaired from the page; and the stop of the link running now, if any.
class NodeRoom {
 public:
  void PageEnded() {
    std::lock_guard lock(mutex_);
    page_ended_ = true;
    if (link_stop_) link_stop_->Stop();
    changed_.notify_all();
  }
  void PartnerChanged() {
    std::lock_guard lock(mutex_);
    partner_changed_ = true;
    if (link_stop_) link_stop_->Stop();  // unpaired: the link ends; paired: none ran
    changed_.notify_all();
  }
  // The link's stop while it runs (nullptr after), so that the page can end it.
  void SetLinkStop(node::StopSignal* stop) {
    std::lock_guard lock(mutex_);
    link_stop_ = stop;
    if (stop && page_ended_) stop->Stop();
  }
  // Waits for the page to end or the partner to change; whether the page ended.
  bool WaitForChange() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return page_ended_ || partner_changed_; });
    partner_changed_ = false;
    return page_ended_;
  }
  bool page_ended() {
    std::lock_guard lock(mutex_);
    return page_ended_;
  }

  // The page wrote to the journal: the link (while it runs) looks at once.
  node::WakeSignal journal_written;

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool page_ended_ = false;
  bool partner_changed_ = false;
  node::StopSignal* link_stop_ = nullptr;
};

// Runs the link as `attune serve` does until a signal, the page's end, or an unpairing.
Status RunLink(const node::Home& home, node::Journal& journal, const UiArgs& args,
               node::UiServer& server, NodeRoom& room) {
  node::ServeOptions options;
  ATTUNE_ASSIGN_OR_RETURN(uint16_t port, journal.ServePort());
  options.listen = node::Endpoint{"0.0.0.0", port};
  ATTUNE_ASSIGN_OR_RETURN(options.tor, TorOptionsFor(home, journal, args.tor));
  if (options.tor) options.tor->on_progress = nullptr;  // reported as events
  options.discovery = DiscoveryOptionsFrom(args.discovery);
  ReportServeEvents(options, args.json,
                    [&server](const node::ServeEvent& event) { server.Publish(event); });
  node::StopSignal stop;
  options.stop = &stop;
  options.journal_written = &room.journal_written;
  room.SetLinkStop(&stop);
  Status outcome = node::Serve(journal, options);
  room.SetLinkStop(nullptr);
  return outcome;
}

// The link while the journal is paired, until the page ends: started when the page pairs,
// stopped when it unpairs. A link that fails (its port taken, say) is reported and not retried
// until the partner changes.
void RunLinkWhilePaired(const node::Home& home, node::Journal& journal, const UiArgs& args,
                        node::UiServer& server, NodeRoom& room) {
  while (!room.page_ended()) {
    Result<std::optional<node::Partner>> partner = journal.GetPartner();
    if (partner.ok() && partner->has_value()) {
      const Status link = RunLink(home, journal, args, server, room);
      if (!link.ok()) std::cerr << "attune: " << Explain(link) << "\n";
    }
    // The link ended (a signal, which ends the page too; an unpairing; a failure) or never
    // started: wait for the page to end or to pair.
    if (room.WaitForChange()) break;
  }
}

// The page the home's running serve opened for us: printed, opened, and held until Ctrl-C or
// its end.
Status ShowHostedPage(const node::Home& home, node::HostedPage& page, const UiArgs& args) {
  std::cout << page.url() << std::endl;
  std::optional<std::string> open_file;
  const std::optional<std::string> opener = args.no_open ? std::nullopt : BrowserOpener();
  if (opener) open_file = OpenBrowser(home, page.url(), *opener);
  std::cerr << HostedPageText(open_file.has_value());
  const node::HostedPageEnd end = page.Wait();
  if (open_file) ::unlink(open_file->c_str());
  std::cerr << HostedPageEndedText(end) << "\n";
  return Status::Ok();
}

void AddUi(CLI::App& app, std::vector<Command>& commands) {
  auto args = std::make_shared<UiArgs>();
  auto* sub = app.add_subcommand(
      "ui", "Open your journal in your browser, on this machine only (Ctrl-C ends it)");
  sub->add_option("--listen", args->listen,
                  "127.0.0.1:PORT to serve the page on (default: a free port)");
  sub->add_flag("--no-open", args->no_open, "Print the address without opening a browser");
  sub->add_option("--idle-lock", args->idle_lock_minutes,
                  "Minutes without use after which attune ui ends and locks; remembered for next "
                  "time (default 15)")
      ->check(CLI::Range(1, 24 * 60));
  sub->add_option("--pair-listen", args->pair_listen,
                  "HOST:PORT where an invitation made on the page waits for your partner "
                  "(default 0.0.0.0:" +
                      std::to_string(node::kDefaultPairPort) + ")");
  sub->add_option("--serve-port", args->serve_port,
                  "The port your attune listens on for your partner, told to them when you pair "
                  "(default " +
                      std::to_string(node::kDefaultServePort) + ")")
      ->check(CLI::Range(1, 65535));
  sub->add_flag("--json", args->json, "Print the link's events as JSON lines, as serve --json");
  AddDiscoveryFlags(*sub, args->discovery);
  AddTorFlags(*sub, args->tor, /*with_via=*/false);
  commands.push_back(
      {sub, [args](Context& ctx) -> Status {
         ATTUNE_ASSIGN_OR_RETURN(node::UiOptions ui_options,
                                 UiOptionsFrom(*args, ctx.page_wording_json));
         ATTUNE_ASSIGN_OR_RETURN(node::Home home, ctx.ResolveHome());
         // One node per home: a running serve serves the page itself.
         Result<node::HostedPage> hosted = node::HostedPage::Open(home);
         if (hosted.ok()) return ShowHostedPage(home, *hosted, *args);
         if (!hosted.status().Is(node::UiReason::kNoHost)) return hosted.status();
         // None runs: this is the node. Not beside a serve of an older attune, another ui, or a
         // re-key.
         ATTUNE_ASSIGN_OR_RETURN(std::optional<node::HomeLock> lock, LockHomeForNode(home));
         ATTUNE_ASSIGN_OR_RETURN(node::Journal journal, ctx.OpenJournal());
         if (args->serve_port) ATTUNE_RETURN_IF_ERROR(journal.SetServePort(*args->serve_port));
         if (args->idle_lock_minutes) {
           ATTUNE_RETURN_IF_ERROR(journal.SetUiIdleLockMinutes(*args->idle_lock_minutes));
         }
         ATTUNE_ASSIGN_OR_RETURN(const int idle_minutes, journal.UiIdleLockMinutes());
         ui_options.idle_lock = std::chrono::minutes(idle_minutes);
         ATTUNE_ASSIGN_OR_RETURN(node::Journal page_journal, journal.OpenAnother());
         NodeRoom room;
         ui_options.on_end = [&room](node::UiEnd) { room.PageEnded(); };
         ui_options.on_partner_changed = [&room] { room.PartnerChanged(); };
         ui_options.on_journal_written = [&room] { room.journal_written.Wake(); };
         ATTUNE_ASSIGN_OR_RETURN(std::unique_ptr<node::UiServer> server,
                                 node::UiServer::Start(std::move(page_journal), ui_options));
         std::cout << server->url() << std::endl;  // the first line, flushed at once
         std::optional<std::string> open_file;
         const std::optional<std::string> opener = args->no_open ? std::nullopt : BrowserOpener();
         if (opener) open_file = OpenBrowser(home, server->url(), *opener);
         ATTUNE_ASSIGN_OR_RETURN(std::optional<node::Partner> partner, journal.GetPartner());
         std::cerr << UiStartedText(open_file.has_value(), partner.has_value());
         RunLinkWhilePaired(home, journal, *args, *server, room);
         server->Stop();
         const node::UiEnd end = server->Wait();
         if (open_file) ::unlink(open_file->c_str());
         std::cerr << UiEndedText(end) << "\n";
         return Status::Ok();
       }});
}

}  // namespace

void AddUiCommands(CLI::App& app, std::vector<Command>& commands) {
  AddUi(app, commands);
}

}  // namespace attune::cli
