// The unlock agent's process: Asio drives the AgentCore (agent_core.h) on one socket, with a
// timer that counts suspended time too, the end signals, and a watch on its folder.
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange unincluded

#include "node/agent/agent_process.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>

#include "node/agent.h"
#include "node/agent/agent_core.h"

namespace attune::node::agent {
namespace {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;

// How long the new agent waits for the one it replaces to end (StartAgent waits longer).
constexpr unsigned kLockWaitSeconds = 10;
// How long a caller may take to send its request.
constexpr std::chrono::seconds kRequestTimeout{5};

int64_t BootClockMs() {
  timespec now{};
  ::clock_gettime(CLOCK_BOOTTIME, &now);
  return int64_t{now.tv_sec} * 1000 + now.tv_nsec / 1'000'000;
}

Status StepFailed(std::string step) {
  return Status::IoError(step + ": " + std::strerror(errno)).WithReason(AgentReason::kStartFailed);
}

Result<Secret> ReadKey() {
  Secret key(kKeyBytes);
  size_t got = 0;
  while (got < key.size()) {
    const ssize_t n = ::read(STDIN_FILENO, key.data() + got, key.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return StepFailed("reading the key");
    got += static_cast<size_t>(n);
  }
  return key;
}

void OnAlarm(int) {}

// One agent per home: the lock is held while the process lives. Waits for an agent that is
// ending, kLockWaitSeconds at most (SIGALRM interrupts the wait).
Result<int> TakeLock(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return StepFailed("opening the lock");
  struct sigaction alarm_action {};
  alarm_action.sa_handler = OnAlarm;  // no SA_RESTART: flock returns EINTR
  ::sigaction(SIGALRM, &alarm_action, nullptr);
  ::alarm(kLockWaitSeconds);
  const int locked = ::flock(fd, LOCK_EX);
  ::alarm(0);
  if (locked != 0) return StepFailed("waiting for the agent before");
  return fd;
}

Result<int> Listen(const std::string& path) {
  ::unlink(path.c_str());  // left by an agent that was killed: we hold the lock now
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return StepFailed("socket");
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    return StepFailed("bind");
  }
  if (::chmod(path.c_str(), 0600) != 0) return StepFailed("chmod");
  if (::listen(fd, 16) != 0) return StepFailed("listen");
  return fd;
}

Result<int> HoldTimer(std::chrono::seconds hold) {
  const int fd = ::timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC | TFD_NONBLOCK);
  if (fd < 0) return StepFailed("timerfd");
  itimerspec when{};
  when.it_value.tv_sec = hold.count();
  if (::timerfd_settime(fd, 0, &when, nullptr) != 0) return StepFailed("timerfd_settime");
  return fd;
}

Result<int> WatchFolder(const std::string& folder) {
  const int fd = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (fd < 0) return StepFailed("inotify");
  constexpr uint32_t kGone = IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF | IN_MOVE_SELF;
  if (::inotify_add_watch(fd, folder.c_str(), kGone) < 0) return StepFailed("inotify watch");
  return fd;
}

// Whether inotify's events name the socket (by `name`) or the folder itself as gone.
bool SocketGone(const char* events, size_t size, const std::string& name) {
  for (size_t at = 0; at + sizeof(inotify_event) <= size;) {
    const auto* event = reinterpret_cast<const inotify_event*>(events + at);
    if (event->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) return true;
    if (event->len > 0 && name == event->name) return true;
    at += sizeof(inotify_event) + event->len;
  }
  return false;
}

class Agent {
 public:
  Agent(AgentCore core, std::string socket_path)
      : core_(std::move(core)),
        socket_path_(std::move(socket_path)),
        acceptor_(io_),
        timer_(io_),
        watch_(io_),
        signals_(io_, SIGTERM, SIGHUP, SIGINT) {}

  void Run(int listen_fd, int timer_fd, int watch_fd) {
    acceptor_.assign(local(), listen_fd);
    timer_.assign(timer_fd);
    watch_.assign(watch_fd);
    Accept();
    timer_.async_wait(asio::posix::descriptor::wait_read, [this](boost::system::error_code error) {
      if (!error) End();
    });
    signals_.async_wait([this](boost::system::error_code error, int) {
      if (!error) End();
    });
    WaitForFolderEvents();
    io_.run();
  }

 private:
  void Accept() {
    acceptor_.async_accept([this](boost::system::error_code error, local::socket socket) {
      if (error) return;
      Serve(std::make_shared<local::socket>(std::move(socket)));
      Accept();
    });
  }

  void Serve(std::shared_ptr<local::socket> socket) {
    ucred peer{};
    socklen_t size = sizeof(peer);
    if (::getsockopt(socket->native_handle(), SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0) return;
    auto request = std::make_shared<uint8_t>(0);
    auto deadline = std::make_shared<asio::steady_timer>(io_, kRequestTimeout);
    deadline->async_wait([socket](boost::system::error_code error) {
      if (!error) socket->close();
    });
    asio::async_read(
        *socket, asio::buffer(request.get(), 1),
        [this, socket, request, deadline, uid = peer.uid](boost::system::error_code error, size_t) {
          deadline->cancel();
          if (error) return;
          Answer(socket, core_.Handle({request.get(), 1}, BootClockMs(), uid));
        });
  }

  void Answer(std::shared_ptr<local::socket> socket, agent::Answer answer) {
    auto reply = std::make_shared<Secret>(std::move(answer.reply));
    if (answer.end) Stop();
    asio::async_write(*socket, asio::buffer(reply->data(), reply->size()),
                      [socket, reply](boost::system::error_code, size_t) {});
  }

  void WaitForFolderEvents() {
    watch_.async_wait(asio::posix::descriptor::wait_read, [this](boost::system::error_code error) {
      if (error) return;
      alignas(inotify_event) char events[4096];
      const ssize_t n = ::read(watch_.native_handle(), events, sizeof(events));
      const std::string name = socket_path_.substr(socket_path_.rfind('/') + 1);
      if (n > 0 && SocketGone(events, static_cast<size_t>(n), name)) {
        removed_ = true;
        End();
        return;
      }
      WaitForFolderEvents();
    });
  }

  // Forgets the key and takes the socket away; the replies under way are still written.
  void Stop() {
    core_.Forget();
    if (!removed_) ::unlink(socket_path_.c_str());
    removed_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    timer_.close(ignored);
    watch_.close(ignored);
    signals_.cancel(ignored);
  }

  void End() {
    Stop();
    io_.stop();
  }

  AgentCore core_;
  std::string socket_path_;
  bool removed_ = false;
  asio::io_context io_;
  local::acceptor acceptor_;
  asio::posix::stream_descriptor timer_;
  asio::posix::stream_descriptor watch_;
  asio::signal_set signals_;
};

void ToDevNull(int fd) {
  const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null >= 0) ::dup2(null, fd);
  if (null >= 0 && null != fd) ::close(null);
}

// Everything up to listening; the report's text on failure.
struct Prepared {
  int listen_fd = -1;
  int timer_fd = -1;
  int watch_fd = -1;
};

Result<Prepared> Prepare(const std::string& folder, const std::string& socket,
                         const std::string& lock, std::chrono::seconds hold) {
  ATTUNE_ASSIGN_OR_RETURN(int lock_fd, TakeLock(lock));
  (void)lock_fd;  // held until the process ends
  Prepared prepared;
  ATTUNE_ASSIGN_OR_RETURN(prepared.listen_fd, Listen(socket));
  ATTUNE_ASSIGN_OR_RETURN(prepared.watch_fd, WatchFolder(folder));
  ATTUNE_ASSIGN_OR_RETURN(prepared.timer_fd, HoldTimer(hold));
  return prepared;
}

bool Report(const std::string& line) {
  const std::string text = line + "\n";
  return ::write(STDOUT_FILENO, text.data(), text.size()) == static_cast<ssize_t>(text.size());
}

}  // namespace

Result<int> ParseStartReport(std::string_view report) {
  constexpr std::string_view kReady = "ready ";
  constexpr std::string_view kFailed = "failed ";
  while (!report.empty() && report.back() == '\n') report.remove_suffix(1);
  if (report.starts_with(kReady)) {
    const std::string digits(report.substr(kReady.size()));
    char* end = nullptr;
    const long pid = std::strtol(digits.c_str(), &end, 10);
    if (!digits.empty() && *end == '\0' && pid > 0 && pid <= INT32_MAX) {
      return static_cast<int>(pid);
    }
  }
  if (report.starts_with(kFailed)) {
    return Status::IoError(std::string(report.substr(kFailed.size())))
        .WithReason(AgentReason::kStartFailed);
  }
  return Status::IoError(report.empty() ? "no answer" : "an answer not understood")
      .WithReason(AgentReason::kStartFailed);
}

}  // namespace attune::node::agent

namespace attune::node {

int RunAgentProcess(int argc, char** argv) {
  if (argc != 6) return 2;
  const std::string folder = argv[2], socket = argv[3], lock = argv[4];
  const std::chrono::seconds hold{std::strtoll(argv[5], nullptr, 10)};
  if (hold < kAgentMinHold || hold > kAgentMaxHold) return 2;
  // A StartAgent that went away must not leave a key behind it: writing the report fails then.
  ::signal(SIGPIPE, SIG_IGN);
  Result<Secret> key = agent::ReadKey();
  agent::ToDevNull(STDIN_FILENO);
  Result<agent::Prepared> prepared =
      key.ok() ? agent::Prepare(folder, socket, lock, hold) : key.status();
  if (!prepared.ok()) {
    agent::Report("failed " + prepared.status().detail());
    return 1;
  }
  const int64_t deadline = agent::BootClockMs() + hold.count() * 1000;
  agent::Agent server(agent::AgentCore(std::move(*key), deadline, ::geteuid(), ::getpid()), socket);
  if (!agent::Report("ready " + std::to_string(::getpid()))) {
    ::unlink(socket.c_str());
    return 1;
  }
  agent::ToDevNull(STDOUT_FILENO);
  server.Run(prepared->listen_fd, prepared->timer_fd, prepared->watch_fd);
  return 0;
}

}  // namespace attune::node
