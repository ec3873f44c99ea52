#include "tests/e2e/child_process.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace attune::e2e::child_process {

namespace {

// Async-signal-safe: only write(2) and _exit(2), for use between fork and exec.
[[noreturn]] void FailSetup(const char* message) {
  const ssize_t ignored = ::write(STDERR_FILENO, message, std::strlen(message));
  (void)ignored;
  ::_exit(126);
}

void ApplySetup(const ChildSetup& setup) {
  if (setup.file_size_limit) {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGXFSZ, &ignore, nullptr);
    const auto bytes = static_cast<rlim_t>(*setup.file_size_limit);
    const rlimit limit = {bytes, bytes};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) FailSetup("e2e child: setrlimit failed\n");
  }
  if (setup.run_as) {
    // Groups first: once the uid is dropped, the right to change them is gone.
    if (::setgroups(0, nullptr) != 0 || ::setgid(setup.run_as->gid) != 0 ||
        ::setuid(setup.run_as->uid) != 0) {
      FailSetup("e2e child: cannot change user\n");
    }
  }
}

}  // namespace

ExecArgs::ExecArgs(const RunRequest& request) : setup_(request.setup) {
  strings_.push_back(request.binary);
  for (const std::string& arg : request.args) strings_.push_back(arg);
  const size_t argc = strings_.size();
  for (const auto& [name, value] : request.env) strings_.push_back(name + "=" + value);
  for (size_t i = 0; i < strings_.size(); ++i) {
    (i < argc ? argv_ : envp_).push_back(strings_[i].data());
  }
  argv_.push_back(nullptr);
  envp_.push_back(nullptr);
}

void ExecArgs::Exec() const {
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  ::sigaction(SIGPIPE, &default_action, nullptr);
  ApplySetup(setup_);
  ::execve(argv_[0], argv_.data(), envp_.data());
  ::_exit(127);
}

void IgnoreSigpipe() {
  static const bool done = [] {
    ::signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)done;
}

int MillisUntil(SteadyClock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

void CloseFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

bool ReadSome(int fd, std::string& into) {
  char buffer[4096];
  const ssize_t got = ::read(fd, buffer, sizeof buffer);
  if (got > 0) {
    into.append(buffer, static_cast<size_t>(got));
    return true;
  }
  return got < 0 && (errno == EINTR || errno == EAGAIN);
}

void Reap(pid_t child, SteadyClock::time_point deadline, RunResult& result) {
  int status = 0;
  rusage usage{};
  for (;;) {
    const pid_t done = ::wait4(child, &status, WNOHANG, &usage);
    if (done == child) break;
    if (done < 0 && errno != EINTR) {
      result.failure = std::string("wait4: ") + std::strerror(errno);
      return;
    }
    if (SteadyClock::now() >= deadline && !result.timed_out) {
      result.timed_out = true;
      ::kill(child, SIGKILL);
    }
    ::poll(nullptr, 0, 5);
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  result.peak_memory_kib = usage.ru_maxrss;
  if (result.timed_out) result.exit_code = -1;
}

void Pipes::CloseAll() {
  for (int* pair : {in, out, err}) {
    CloseFd(pair[0]);
    CloseFd(pair[1]);
  }
}

pid_t StartWithPipes(const ExecArgs& exec, Pipes& pipes, std::string& failure) {
  if (::pipe2(pipes.in, O_CLOEXEC) != 0 || ::pipe2(pipes.out, O_CLOEXEC) != 0 ||
      ::pipe2(pipes.err, O_CLOEXEC) != 0) {
    failure = std::string("pipe2: ") + std::strerror(errno);
    pipes.CloseAll();
    return -1;
  }
  const pid_t child = ::fork();
  if (child < 0) {
    failure = std::string("fork: ") + std::strerror(errno);
    pipes.CloseAll();
    return -1;
  }
  if (child == 0) {
    ::dup2(pipes.in[0], STDIN_FILENO);
    ::dup2(pipes.out[1], STDOUT_FILENO);
    ::dup2(pipes.err[1], STDERR_FILENO);
    exec.Exec();
  }
  CloseFd(pipes.in[0]);
  CloseFd(pipes.out[1]);
  CloseFd(pipes.err[1]);
  return child;
}

bool PumpOnce(Pipes& pipes, std::string_view& input, RunResult& result, int wait_ms) {
  pollfd fds[3] = {{pipes.out[0], POLLIN, 0}, {pipes.err[0], POLLIN, 0}, {pipes.in[1], POLLOUT, 0}};
  if (::poll(fds, 3, wait_ms) < 0) return errno == EINTR;
  if (fds[0].revents != 0 && !ReadSome(pipes.out[0], result.out)) CloseFd(pipes.out[0]);
  if (fds[1].revents != 0 && !ReadSome(pipes.err[0], result.err)) CloseFd(pipes.err[0]);
  if (fds[2].revents != 0) {
    const ssize_t sent = ::write(pipes.in[1], input.data(), input.size());
    if (sent > 0) input.remove_prefix(static_cast<size_t>(sent));
    if ((sent < 0 && errno != EAGAIN && errno != EINTR) || input.empty()) CloseFd(pipes.in[1]);
  }
  return true;
}

void PumpPipes(pid_t child, Pipes& pipes, std::string_view input, SteadyClock::time_point deadline,
               RunResult& result) {
  if (input.empty()) CloseFd(pipes.in[1]);
  if (pipes.in[1] >= 0) ::fcntl(pipes.in[1], F_SETFL, O_NONBLOCK);
  while (pipes.outputs_open()) {
    if (SteadyClock::now() >= deadline) {
      result.timed_out = true;
      ::kill(child, SIGKILL);
      return;
    }
    if (!PumpOnce(pipes, input, result, MillisUntil(deadline))) return;
  }
}

}  // namespace attune::e2e::child_process
