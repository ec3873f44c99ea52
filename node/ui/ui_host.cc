// serve's host of the browser page, and the client `attune ui` uses to reach it (node/ui.h).
// The exchange on ui.sock is two lines: the client says "open", the host answers "url URL" (or
// "busy" while another attune ui holds the page). After that the connection only says that the
// client is still there: the host ends the page when it hangs up, and hangs up when the page
// ends.
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange unincluded

#include <poll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <algorithm>
#include <boost/asio.hpp>
#include <csignal>
#include <thread>

#include "node/journal_reason.h"
#include "node/ui.h"

namespace attune::node {
namespace {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;

constexpr std::string_view kOpen = "open\n";
// Asks how serve's link is (doctor); the answer is kLinkPrefix and "connected" or
// "not_connected".
constexpr std::string_view kLinkQuestion = "link\n";
constexpr std::string_view kLinkPrefix = "link ";
constexpr std::string_view kUrlPrefix = "url ";
constexpr std::string_view kBusy = "busy\n";
// Followed by the failure's code name and detail (which never carry journal text).
constexpr std::string_view kFailedPrefix = "failed ";
// How long a client may take to say "open", and the host to answer.
constexpr std::chrono::seconds kExchangeTimeout{10};
constexpr size_t kMaxLine = 256;

Status NoHost(std::string detail) {
  return Status::NotFound(std::move(detail)).WithReason(UiReason::kNoHost);
}

}  // namespace

class UiHost::Impl {
 public:
  Impl(Journal spare, UiOptions options)
      : spare_(std::move(spare)), options_(std::move(options)), acceptor_(io_) {}

  Status Listen(const Home& home) {
    path_ = home.ui_socket_path();
    if (path_.size() >= sizeof(sockaddr_un{}.sun_path)) {
      return Status::IoError("the home's path is too long for a socket: " + path_);
    }
    // A socket left by a serve that was killed: this serve holds the home lock, so no other
    // process listens there.
    ::unlink(path_.c_str());
    boost::system::error_code error;
    acceptor_.open(local(), error);
    if (!error) acceptor_.bind(local::endpoint(path_), error);
    if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
    if (error) return Status::IoError("cannot listen on " + path_ + ": " + error.message());
    ::chmod(path_.c_str(), 0600);
    return Status::Ok();
  }

  void Run() {
    asio::co_spawn(io_, AcceptLoop(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }

  void Stop() {
    asio::post(io_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      EndPage();
      io_.stop();
    });
    if (thread_.joinable()) thread_.join();
    ::unlink(path_.c_str());
  }

  void Publish(const ServeEvent& event) {
    asio::post(io_, [this, event] {
      sessions_.Apply(event);
      if (page_) page_->Publish(event);
    });
  }

 private:
  asio::awaitable<void> AcceptLoop() {
    for (;;) {
      boost::system::error_code error;
      local::socket client =
          co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, error));
      if (error) co_return;
      if (!SameUser(client)) continue;  // closed unanswered
      asio::co_spawn(io_, Serve(std::move(client)), asio::detached);
    }
  }

  // Only this user's processes: the home is 0700 and the socket 0600 already; the kernel's
  // word on the peer is a third check that does not depend on modes.
  static bool SameUser(local::socket& client) {
    ucred peer{};
    socklen_t size = sizeof peer;
    return ::getsockopt(client.native_handle(), SOL_SOCKET, SO_PEERCRED, &peer, &size) == 0 &&
           peer.uid == ::getuid();
  }

  asio::awaitable<void> Serve(local::socket client) {
    std::string line;
    boost::system::error_code error;
    asio::steady_timer deadline(io_, kExchangeTimeout);
    deadline.async_wait([&client](const boost::system::error_code& waited) {
      if (!waited) client.close();
    });
    co_await asio::async_read_until(client, asio::dynamic_buffer(line, kMaxLine), '\n',
                                    asio::redirect_error(asio::use_awaitable, error));
    deadline.cancel();
    if (!error && line == kLinkQuestion) {
      const std::string answer =
          std::string(kLinkPrefix) + (sessions_.connected() ? "connected" : "not_connected") + "\n";
      co_await asio::async_write(client, asio::buffer(answer),
                                 asio::redirect_error(asio::use_awaitable, error));
      co_return;
    }
    if (error || line != kOpen) co_return;
    if (page_) {
      co_await asio::async_write(client, asio::buffer(kBusy),
                                 asio::redirect_error(asio::use_awaitable, error));
      co_return;
    }
    Result<std::unique_ptr<UiServer>> page = StartPage();
    if (!page.ok()) {
      std::string failed = std::string(kFailedPrefix) + StatusCodeName(page.status().code()) + " " +
                           page.status().detail();
      std::replace(failed.begin(), failed.end(), '\n', ' ');
      failed.resize(std::min(failed.size(), kMaxLine - 1));
      failed += '\n';
      co_await asio::async_write(client, asio::buffer(failed),
                                 asio::redirect_error(asio::use_awaitable, error));
      co_return;
    }
    page_ = std::move(*page);
    client_ = &client;
    const std::string answer = std::string(kUrlPrefix) + page_->url() + "\n";
    co_await asio::async_write(client, asio::buffer(answer),
                               asio::redirect_error(asio::use_awaitable, error));
    // The client says nothing more: a read ends when it hangs up, or when the page ended and
    // this side closed the connection.
    char ignored = 0;
    if (!error) {
      co_await client.async_read_some(asio::buffer(&ignored, 1),
                                      asio::redirect_error(asio::use_awaitable, error));
    }
    client_ = nullptr;
    EndPage();
  }

  Result<std::unique_ptr<UiServer>> StartPage() {
    ATTUNE_ASSIGN_OR_RETURN(Journal journal, spare_.OpenAnother());
    UiOptions options = options_;
    // The page ended on its own (closed, idle): hang up on its client, which then ends too.
    const uint64_t generation = ++generation_;
    options.on_end = [this, generation](UiEnd) {
      asio::post(io_, [this, generation] {
        boost::system::error_code ignored;
        if (client_ && generation == generation_) client_->close(ignored);
      });
    };
    return UiServer::Start(std::move(journal), std::move(options));
  }

  void EndPage() {
    if (!page_) return;
    page_->Stop();
    page_->Wait();
    page_.reset();
  }

  Journal spare_;
  UiOptions options_;
  asio::io_context io_;
  local::acceptor acceptor_;
  std::string path_;
  std::unique_ptr<UiServer> page_;
  local::socket* client_ = nullptr;
  uint64_t generation_ = 0;  // of the page last started
  LinkSessions sessions_;    // serve's sessions with the partner, from Publish
  std::thread thread_;
};

Result<std::unique_ptr<UiHost>> UiHost::Start(const Home& home, Journal spare, UiOptions options) {
  auto impl = std::make_unique<Impl>(std::move(spare), std::move(options));
  ATTUNE_RETURN_IF_ERROR(impl->Listen(home));
  impl->Run();
  return std::unique_ptr<UiHost>(new UiHost(std::move(impl)));
}

UiHost::UiHost(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
UiHost::~UiHost() {
  impl_->Stop();
}
void UiHost::Publish(const ServeEvent& event) {
  impl_->Publish(event);
}

// ---- The client ----

namespace {

// A connection to the home's ui.sock that has sent `question` (kept in `connection`, also on
// failure), and the first line of the answer, read within kExchangeTimeout. kNotFound
// (UiReason::kNoHost) when no serve answers there.
Result<std::string> Ask(const Home& home, std::string_view question, UniqueFd& connection) {
  const std::string path = home.ui_socket_path();
  sockaddr_un address{};
  if (path.size() >= sizeof address.sun_path) return NoHost("the home's path is too long");
  connection.Reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!connection.valid()) return NoHost("no socket");
  const int fd = connection.get();
  address.sun_family = AF_UNIX;
  path.copy(address.sun_path, path.size());
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    return NoHost("no serve answers on " + path);  // none, or one that was killed
  }
  timeval timeout{.tv_sec = kExchangeTimeout.count(), .tv_usec = 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (::send(fd, question.data(), question.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(question.size())) {
    return NoHost("serve hung up");
  }
  std::string line;
  char c = 0;
  while (line.size() < kMaxLine && ::recv(fd, &c, 1, 0) == 1 && c != '\n') line += c;
  return line;
}

}  // namespace

Result<HostedPage> HostedPage::Open(const Home& home) {
  UniqueFd connection;
  Result<std::string> answer = Ask(home, kOpen, connection);
  HostedPage page(std::move(connection), "");  // closes it, whatever happens below
  ATTUNE_ASSIGN_OR_RETURN(const std::string line, std::move(answer));
  if (line + "\n" == kBusy) {
    return Status::Busy("attune ui is open already").WithReason(JournalReason::kHomeInUse);
  }
  if (line.starts_with(kFailedPrefix)) {
    return Status::IoError(line.substr(kFailedPrefix.size())).WithReason(UiReason::kPageFailed);
  }
  if (!line.starts_with(kUrlPrefix)) return NoHost("serve did not open the page");
  page.url_ = line.substr(kUrlPrefix.size());
  timeval none{};
  ::setsockopt(page.fd_.get(), SOL_SOCKET, SO_RCVTIMEO, &none, sizeof none);
  return page;
}

HostedPage::HostedPage(HostedPage&& other) noexcept = default;
HostedPage::~HostedPage() = default;

Result<bool> HostedLinkConnected(const Home& home) {
  UniqueFd connection;
  Result<std::string> answer = Ask(home, kLinkQuestion, connection);
  connection.Reset();
  ATTUNE_ASSIGN_OR_RETURN(const std::string line, std::move(answer));
  if (line == std::string(kLinkPrefix) + "connected") return true;
  if (line == std::string(kLinkPrefix) + "not_connected") return false;
  return NoHost("serve did not say how its link is");  // an older serve
}

namespace {

// Hangs up our side and waits (kExchangeTimeout at most) for the host to hang up too, which it
// does once the page has ended: so that when `attune ui` returns, the page no longer answers.
void AwaitPageEnd(int fd) {
  ::shutdown(fd, SHUT_WR);
  pollfd hangup{.fd = fd, .events = POLLIN, .revents = 0};
  char ignored[64];
  while (::poll(&hangup, 1, static_cast<int>(std::chrono::milliseconds(kExchangeTimeout).count())) >
         0) {
    if (::read(fd, ignored, sizeof ignored) <= 0) break;
  }
}

}  // namespace

HostedPageEnd HostedPage::Wait() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigset_t before;
  ::pthread_sigmask(SIG_BLOCK, &signals, &before);
  const int signal_fd = ::signalfd(-1, &signals, SFD_CLOEXEC);
  pollfd watched[2] = {{.fd = fd_.get(), .events = POLLIN, .revents = 0},
                       {.fd = signal_fd, .events = POLLIN, .revents = 0}};
  HostedPageEnd end = HostedPageEnd::kPageEnded;
  for (;;) {
    if (::poll(watched, signal_fd >= 0 ? 2 : 1, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (watched[1].revents & POLLIN) {
      // Taken, so that it is not delivered (and fatal) once the mask is restored.
      signalfd_siginfo taken{};
      [[maybe_unused]] const ssize_t read = ::read(signal_fd, &taken, sizeof taken);
      end = HostedPageEnd::kSignal;
      AwaitPageEnd(fd_.get());
    }
    break;  // the host hung up (the page ended), or a signal
  }
  if (signal_fd >= 0) ::close(signal_fd);
  fd_.Reset();
  ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
  return end;
}

}  // namespace attune::node
