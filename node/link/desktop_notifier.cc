#include "node/link/desktop_notifier.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace attune::node {
namespace {

// notify-send answers as soon as the daemon took the notification (milliseconds); D-Bus gives
// up on a daemon that does not answer after 25 s.
constexpr std::chrono::milliseconds kChildrenGrace = std::chrono::seconds(2);

Status NotifyFailed(const std::string& detail) {
  return Status::Unreachable(detail).WithReason(JournalReason::kNotifyFailed);
}

// Starts `notify-send` for `notice`: found in PATH, no shell, the words its only arguments (after
// "--", so that no word is read as an option), standard input, output and error /dev/null (its
// complaints are not serve's lines), no descriptor of attune's inherited, signals as default.
Result<pid_t> SpawnNotifySend(const DesktopNotice& notice) {
  if (!SessionBusPresent()) {
    return Status::Unreachable("no session bus").WithReason(JournalReason::kNotifyNoSessionBus);
  }
  std::vector<std::string> args = {"notify-send", "--app-name=attune", "--", notice.summary};
  if (!notice.body.empty()) args.push_back(notice.body);
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  ::posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  ::posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
  posix_spawnattr_t attributes;
  ::posix_spawnattr_init(&attributes);
  sigset_t none;
  sigset_t defaults;
  ::sigemptyset(&none);
  ::sigfillset(&defaults);
  ::posix_spawnattr_setsigmask(&attributes, &none);
  ::posix_spawnattr_setsigdefault(&attributes, &defaults);
  ::posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = 0;
  const int spawned =
      ::posix_spawnp(&pid, "notify-send", &actions, &attributes, argv.data(), environ);
  ::posix_spawnattr_destroy(&attributes);
  ::posix_spawn_file_actions_destroy(&actions);
  if (spawned == ENOENT) {
    return Status::Unreachable("notify-send is not installed")
        .WithReason(JournalReason::kNotifyNotInstalled);
  }
  if (spawned != 0) return NotifyFailed(std::string("notify-send: ") + std::strerror(spawned));
  return pid;
}

// The child's end as a status: ok when notify-send exited 0.
Status EndedAs(int wait_status) {
  if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0) return Status::Ok();
  if (WIFEXITED(wait_status)) {
    return NotifyFailed("notify-send exited with status " +
                        std::to_string(WEXITSTATUS(wait_status)));
  }
  return NotifyFailed("notify-send ended by signal " + std::to_string(WTERMSIG(wait_status)));
}

int OpenPidfd(pid_t pid) {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

// Waits for `pid` to end, at most until `deadline` (then kills it); its end as EndedAs says.
Status Reap(pid_t pid, int pidfd, std::chrono::steady_clock::time_point deadline) {
  bool ended = false;
  if (pidfd >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd watched{pidfd, POLLIN, 0};
    int ready = 0;
    do {
      ready = ::poll(&watched, 1, static_cast<int>(std::max<int64_t>(0, left.count())));
    } while (ready < 0 && errno == EINTR);
    ended = ready > 0;
  }
  if (!ended && pidfd >= 0) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return Status::Ok();  // reaped elsewhere: nothing left to tell
  }
  if (!ended && pidfd >= 0) return NotifyFailed("notify-send did not finish in time");
  return EndedAs(status);
}

}  // namespace

Status ShowDesktopNotice(const DesktopNotice& notice, std::chrono::milliseconds timeout) {
  ATTUNE_ASSIGN_OR_RETURN(const pid_t pid, SpawnNotifySend(notice));
  const int pidfd = OpenPidfd(pid);
  const Status ended = Reap(pid, pidfd, std::chrono::steady_clock::now() + timeout);
  if (pidfd >= 0) ::close(pidfd);
  return ended;
}

namespace link_io {

DesktopNotifier::DesktopNotifier(asio::any_io_executor executor, Journal& journal,
                                 DesktopNotifierOptions options)
    : executor_(std::move(executor)),
      journal_(journal),
      options_(std::move(options)),
      pacer_(journal.clock(), options_.interval),
      held_timer_(executor_) {}

DesktopNotifier::~DesktopNotifier() {
  boost::system::error_code ignored;
  held_timer_.cancel();
  const auto deadline = std::chrono::steady_clock::now() + kChildrenGrace;
  for (auto& [pid, watch] : children_) {
    const int pidfd = watch ? watch->native_handle() : -1;
    (void)Reap(pid, pidfd, deadline);
    if (watch) watch->close(ignored);
  }
}

void DesktopNotifier::Arrived() {
  // Off: nothing is held either, so turning it on later does not bring old news.
  const Result<NotifyChoice> choice = journal_.DesktopNotifyChoice();
  if (choice.ok() && *choice == NotifyChoice::kOff) return;
  if (pacer_.Arrived()) {
    Show();
  } else {
    ArmHeld();
  }
}

void DesktopNotifier::ArmHeld() {
  const std::optional<int64_t> due = pacer_.due_at();
  if (!due) return;
  const int64_t wait = std::max<int64_t>(0, *due - journal_.clock().Now().utc_ms);
  held_timer_.expires_after(std::chrono::milliseconds(wait));  // cancels an earlier wait
  held_timer_.async_wait([this](const boost::system::error_code& error) {
    if (error) return;
    if (pacer_.TakeDue()) {
      Show();
    } else {
      ArmHeld();
    }
  });
}

void DesktopNotifier::Show() {
  // Read again: the setting may have changed since the arrival was held. A damaged record
  // shows the neutral line, which says the least.
  const Result<NotifyChoice> choice = journal_.DesktopNotifyChoice();
  NewsNotice news{.choice = choice.ok() ? *choice : NotifyChoice::kNeutral};
  if (news.choice == NotifyChoice::kOff || !options_.word) return;
  if (news.choice == NotifyChoice::kWithName) {
    const Result<std::optional<Partner>> partner = journal_.GetPartner();
    if (partner.ok() && *partner) {
      news.partner_name = (*partner)->display_name;
    } else {
      news.choice = NotifyChoice::kNeutral;
    }
  }
  Result<pid_t> pid = SpawnNotifySend(options_.word(news));
  if (!pid.ok()) {
    Unavailable(pid.status());
    return;
  }
  Watch(*pid);
}

void DesktopNotifier::Watch(pid_t pid) {
  const int pidfd = OpenPidfd(pid);
  if (pidfd < 0) {
    children_.emplace(pid, nullptr);  // reaped by the destructor (a kernel without pidfd)
    return;
  }
  auto watch = std::make_unique<asio::posix::stream_descriptor>(executor_, pidfd);
  asio::posix::stream_descriptor& watched = *watch;
  children_.emplace(pid, std::move(watch));
  // A pidfd becomes readable when its process ends.
  watched.async_wait(asio::posix::stream_descriptor::wait_read,
                     [this, pid](const boost::system::error_code& error) {
                       if (error) return;  // the notifier is going: its destructor reaps
                       int status = 0;
                       const pid_t reaped = ::waitpid(pid, &status, WNOHANG);
                       children_.erase(pid);
                       if (reaped != pid) return;
                       if (Status ended = EndedAs(status); !ended.ok()) Unavailable(ended);
                     });
}

void DesktopNotifier::Unavailable(const Status& why) {
  if (said_unavailable_) return;
  said_unavailable_ = true;
  if (options_.on_unavailable) options_.on_unavailable(why);
}

}  // namespace link_io
}  // namespace attune::node
