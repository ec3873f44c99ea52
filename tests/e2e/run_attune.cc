#include "tests/e2e/run_attune.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

namespace attune::e2e {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Everything execve needs, built before fork: the child may only make async-signal-safe calls.
class ExecArgs {
 public:
  explicit ExecArgs(const RunRequest& request) {
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

  // In the child: undo the parent's SIGPIPE setting (ignored signals survive exec) and exec.
  [[noreturn]] void Exec() const {
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    ::sigaction(SIGPIPE, &default_action, nullptr);
    ::execve(argv_[0], argv_.data(), envp_.data());
    ::_exit(127);
  }

 private:
  std::vector<std::string> strings_;
  std::vector<char*> argv_;
  std::vector<char*> envp_;
};

// A write to a child that has already exited must fail with EPIPE, not kill the test.
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

// Reads what is available; false at end of file or on an error that ends the stream.
bool ReadSome(int fd, std::string& into) {
  char buffer[4096];
  const ssize_t got = ::read(fd, buffer, sizeof buffer);
  if (got > 0) {
    into.append(buffer, static_cast<size_t>(got));
    return true;
  }
  return got < 0 && (errno == EINTR || errno == EAGAIN);
}

// Waits for the child to exit, killing it at the deadline; fills the exit fields of `result`.
void Reap(pid_t child, SteadyClock::time_point deadline, RunResult& result) {
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(child, &status, WNOHANG);
    if (done == child) break;
    if (done < 0 && errno != EINTR) {
      result.failure = std::string("waitpid: ") + std::strerror(errno);
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
  if (result.timed_out) result.exit_code = -1;
}

struct Pipes {
  int in[2] = {-1, -1};
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};

  bool Open() {
    return ::pipe2(in, O_CLOEXEC) == 0 && ::pipe2(out, O_CLOEXEC) == 0 &&
           ::pipe2(err, O_CLOEXEC) == 0;
  }
  void CloseAll() {
    for (int* pair : {in, out, err}) {
      CloseFd(pair[0]);
      CloseFd(pair[1]);
    }
  }
};

// Feeds stdin and drains stdout and stderr until both outputs end or the deadline passes.
void PumpPipes(pid_t child, Pipes& pipes, const std::string& input,
               SteadyClock::time_point deadline, RunResult& result) {
  size_t written = 0;
  if (input.empty()) CloseFd(pipes.in[1]);
  if (pipes.in[1] >= 0) ::fcntl(pipes.in[1], F_SETFL, O_NONBLOCK);
  while (pipes.out[0] >= 0 || pipes.err[0] >= 0) {
    if (SteadyClock::now() >= deadline) {
      result.timed_out = true;
      ::kill(child, SIGKILL);
      return;
    }
    pollfd fds[3] = {
        {pipes.out[0], POLLIN, 0}, {pipes.err[0], POLLIN, 0}, {pipes.in[1], POLLOUT, 0}};
    if (::poll(fds, 3, MillisUntil(deadline)) < 0 && errno != EINTR) return;
    if (fds[0].revents != 0 && !ReadSome(pipes.out[0], result.out)) CloseFd(pipes.out[0]);
    if (fds[1].revents != 0 && !ReadSome(pipes.err[0], result.err)) CloseFd(pipes.err[0]);
    if (fds[2].revents != 0) {
      const ssize_t sent = ::write(pipes.in[1], input.data() + written, input.size() - written);
      if (sent > 0) written += static_cast<size_t>(sent);
      if ((sent < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) {
        CloseFd(pipes.in[1]);
      }
    }
  }
}

bool EchoIsOn(int terminal) {
  termios settings{};
  if (::tcgetattr(terminal, &settings) != 0) return false;
  return (settings.c_lflag & ECHO) != 0;
}

// Plays the conversation: types each turn's text once its cue has appeared.
class Conversation {
 public:
  Conversation(int terminal, const std::vector<TerminalTurn>& turns)
      : terminal_(terminal), turns_(turns) {}

  // Sends every turn whose cue is now in `output`; true while one waits only for echo to go off.
  bool Advance(const std::string& output) {
    while (next_ < turns_.size()) {
      const TerminalTurn& turn = turns_[next_];
      const size_t at = output.find(turn.wait_for, search_from_);
      if (at == std::string::npos) return false;
      if (turn.wait_for_echo_off && EchoIsOn(terminal_)) return true;
      if (!turn.send.empty() && ::write(terminal_, turn.send.data(), turn.send.size()) !=
                                    static_cast<ssize_t>(turn.send.size())) {
        return false;
      }
      search_from_ = at + turn.wait_for.size();
      ++next_;
    }
    return false;
  }

 private:
  int terminal_;
  const std::vector<TerminalTurn>& turns_;
  size_t next_ = 0;
  size_t search_from_ = 0;
};

}  // namespace

RunResult RunProcess(const RunRequest& request) {
  IgnoreSigpipe();
  RunResult result;
  const ExecArgs exec(request);
  Pipes pipes;
  if (!pipes.Open()) {
    result.failure = std::string("pipe2: ") + std::strerror(errno);
    pipes.CloseAll();
    return result;
  }
  const auto deadline = SteadyClock::now() + request.timeout;
  const pid_t child = ::fork();
  if (child < 0) {
    result.failure = std::string("fork: ") + std::strerror(errno);
    pipes.CloseAll();
    return result;
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
  PumpPipes(child, pipes, request.stdin_text, deadline, result);
  pipes.CloseAll();
  Reap(child, deadline, result);
  return result;
}

RunResult RunOnTerminal(const RunRequest& request, const std::vector<TerminalTurn>& turns) {
  IgnoreSigpipe();
  RunResult result;
  const ExecArgs exec(request);
  const auto deadline = SteadyClock::now() + request.timeout;
  int terminal = -1;
  const pid_t child = ::forkpty(&terminal, nullptr, nullptr, nullptr);
  if (child < 0) {
    result.failure = std::string("forkpty: ") + std::strerror(errno);
    return result;
  }
  if (child == 0) exec.Exec();
  Conversation conversation(terminal, turns);
  for (;;) {
    if (SteadyClock::now() >= deadline) {
      result.timed_out = true;
      ::kill(child, SIGKILL);
      break;
    }
    const bool waiting_for_echo = conversation.Advance(result.out);
    pollfd fd = {terminal, POLLIN, 0};
    const int ready = ::poll(&fd, 1, waiting_for_echo ? 5 : MillisUntil(deadline));
    if (ready < 0 && errno != EINTR) break;
    // Linux reports EIO on the master once every holder of the slave side has closed it.
    if (ready > 0 && !ReadSome(terminal, result.out)) break;
  }
  CloseFd(terminal);
  Reap(child, deadline, result);
  return result;
}

}  // namespace attune::e2e
