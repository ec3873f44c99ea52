// The browser page (`attune ui`, docs/ui.md): an HTTP server on a loopback address that serves
// the page compiled into the binary and a JSON API over the journal, to the browser of the
// person who started it and to nobody else. It runs on a thread of its own, with a Journal of
// its own (Journal::OpenAnother), beside the link (Serve) on the caller's thread.
//
// Who may use it: whoever presents the capability token printed in the URL (exchanged for a
// session cookie, HttpOnly and SameSite=Strict), from a request whose Host is exactly the
// server's address (a DNS-rebinding page names another host), and, for anything that changes
// the journal, whose Origin is the server's own. Every response carries a strict
// Content-Security-Policy and the headers of docs/ui.md. Anything off the route list, or over
// the size limits, is refused. What the token does not protect against: a program running as
// the same user, which can read the browser's cookies or this process's memory.
#ifndef ATTUNE_NODE_UI_H_
#define ATTUNE_NODE_UI_H_

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "base/status.h"
#include "base/unique_fd.h"
#include "node/endpoint.h"
#include "node/journal.h"
#include "node/link.h"
#include "node/serve_events.h"

namespace attune::node {

// Reasons (base/status.h) of the page's server; the range 860-879.
enum class UiReason {
  kNotLoopback = 860,  // kInvalidArgument: --listen names an address other than 127.0.0.1
  kTooLarge = 861,     // kInvalidArgument (413/431): a header or body over the limits
  kWrongHost = 862,    // kAuthFailed (421): the Host header is not the server's address
  kNoSuchRoute = 863,  // kNotFound (404): not on the route list
  kWrongMethod = 864,  // kInvalidArgument (405): a route asked with another method
  kNoSession = 865,    // kAuthFailed (401): neither the token nor the session cookie
  kWrongOrigin = 866,  // kAuthFailed (403): a change asked from another origin, or none
  kBadRequest = 867,   // kInvalidArgument (400): a body that is not the JSON object expected
  kNoHost = 868,       // kNotFound: no running serve hosts the page on this home (HostedPage)
  // kIoError: the home's running serve could not start the page (HostedPage); the detail is the
  // failure's code name and detail as serve saw them.
  kPageFailed = 869,
};

// Why the server ended.
enum class UiEnd {
  kStopped,  // Stop() (the link ended: SIGINT or SIGTERM)
  kClosed,   // the page asked (POST /api/close)
  kIdle,     // nobody used it for UiOptions::idle_lock
};

// The largest request the server reads; anything larger is refused unread.
inline constexpr size_t kUiMaxHeaderBytes = 8 * 1024;
inline constexpr size_t kUiMaxBodyBytes = 512 * 1024;

struct UiOptions {
  // Only 127.0.0.1 (kNotLoopback otherwise); port 0 takes a free one.
  Endpoint listen{"127.0.0.1", 0};
  // The server ends after this long without a request from the page (an open page's event
  // stream does not count: a page left open in a tab locks too).
  std::chrono::milliseconds idle_lock{std::chrono::minutes(15)};
  // cli's words for the page (docs/ui.md, "GET /wording.json"): served as they are.
  std::string wording_json = "{}";
  // cli's JSON for a failure (code, reason, message), for every error the API answers.
  std::function<nlohmann::json(const Status&)> describe_error;
  // cli's JSON for a link event (as `serve --json` prints it), for the page's event stream.
  std::function<nlohmann::json(const ServeEvent&)> describe_event;
  // Called once, on the server's thread, when the server ends (before Wait returns).
  std::function<void(UiEnd)> on_end;
  // Pairing from the page: where an invitation waits, and how a partner is looked for on this
  // network (an invitation announces itself; a join without an address listens).
  Endpoint pair_listen{"0.0.0.0", kDefaultPairPort};
  DiscoveryOptions discovery;
  // Called on the server's thread when the page paired or unpaired the journal, so the caller
  // starts or stops the link.
  std::function<void()> on_partner_changed;
  // Called on the server's thread after each request that changed the journal, so the link
  // looks at once (ServeOptions::journal_written).
  std::function<void()> on_journal_written;
};

class UiServer {
 public:
  // Binds the listener and starts serving on a thread of its own, with `journal` (which moves
  // to that thread and is used only there). Fails as a listener does (kInvalidArgument with
  // LinkReason::kPortInUse; kNotLoopback).
  static Result<std::unique_ptr<UiServer>> Start(Journal journal, UiOptions options);
  ~UiServer();  // stops and joins

  // "http://127.0.0.1:PORT/?token=HEX": the address to open, secret while the server runs.
  const std::string& url() const;
  uint16_t port() const;

  // Thread-safe: a link event for the page's event stream (and its link state).
  void Publish(const ServeEvent& event);
  // Thread-safe: ends the server (UiEnd::kStopped); pages with it open are told.
  void Stop();
  // Blocks until the server has ended; how it ended.
  UiEnd Wait();

  class Impl;

 private:
  explicit UiServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One node per home: while `attune serve` runs, it hosts the page for `attune ui` rather than a
// second node starting. The host listens on the home's ui.sock (a Unix socket in the 0700 home,
// itself 0600, answering only this user's processes). A client's connection asks for the page;
// the host starts a page server with a journal connection of its own and answers with the
// address; the page lives until the client hangs up or the page ends (closed, idle), and the host
// then hangs up.
class UiHost {
 public:
  // Starts listening, on a thread of its own. `spare` is a connection to the journal (from
  // Journal::OpenAnother on serve's thread) from which each page's own is made. Fails as a Unix
  // socket does (kIoError: a home path too long for one, say); serve then runs without it.
  static Result<std::unique_ptr<UiHost>> Start(const Home& home, Journal spare, UiOptions options);
  ~UiHost();  // ends any page and stops listening

  // Thread-safe: a link event for the page, if one is open.
  void Publish(const ServeEvent& event);

  class Impl;

 private:
  explicit UiHost(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Asks the home's running `serve` (over ui.sock, as HostedPage) whether a session with the
// partner is under way: for `attune doctor`, which cannot see serve's link otherwise. kNotFound
// (UiReason::kNoHost) when no serve answers there.
Result<bool> HostedLinkConnected(const Home& home);

// How a page hosted by serve ended for the `attune ui` that asked for it.
enum class HostedPageEnd {
  kPageEnded,  // the page was closed or locked itself, or serve stopped
  kSignal,     // SIGINT or SIGTERM reached this process
};

// The client side: asks the home's running `serve` for the page. kNotFound (reason
// UiReason::kNoHost) when no serve hosts one here (no socket, or a stale one); the caller then
// runs the node itself. kIoError (reason UiReason::kPageFailed) when the running serve could not
// start the page; kBusy (JournalReason::kHomeInUse) when it has a page open already.
class HostedPage {
 public:
  static Result<HostedPage> Open(const Home& home);
  HostedPage(HostedPage&& other) noexcept;
  HostedPage& operator=(HostedPage&&) = delete;
  ~HostedPage();

  const std::string& url() const { return url_; }
  // Blocks until the page ends or SIGINT/SIGTERM arrives (which then end only this wait: this
  // side hangs up, and returns once the host has ended the page and hung up too, so that the
  // page no longer answers when it returns; at most 10 s).
  HostedPageEnd Wait();

 private:
  HostedPage(UniqueFd fd, std::string url) : fd_(std::move(fd)), url_(std::move(url)) {}
  UniqueFd fd_;
  std::string url_;
};

}  // namespace attune::node

#endif  // ATTUNE_NODE_UI_H_
