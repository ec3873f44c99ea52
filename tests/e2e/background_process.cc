#include "tests/e2e/background_process.h"

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <utility>

namespace attune::e2e {

using child_process::SteadyClock;

BackgroundProcess::BackgroundProcess(const RunRequest& request) {
  child_process::IgnoreSigpipe();
  const child_process::ExecArgs exec(request);
  pid_ = child_process::StartWithPipes(exec, pipes_, result_.failure);
  // Nothing is ever typed to it: its standard input is at end of file from the start.
  child_process::CloseFd(pipes_.in[1]);
}

BackgroundProcess::BackgroundProcess(BackgroundProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      reaped_(other.reaped_),
      pipes_(std::exchange(other.pipes_, child_process::Pipes{})),
      result_(std::move(other.result_)),
      next_line_(other.next_line_),
      skipped_(std::move(other.skipped_)) {}

BackgroundProcess::~BackgroundProcess() {
  KillAndReap();
  pipes_.CloseAll();
}

void BackgroundProcess::KillAndReap() {
  if (pid_ < 0 || reaped_) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
}

std::optional<std::string> BackgroundProcess::ReadLine(std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    const size_t end = result_.out.find('\n', next_line_);
    if (end != std::string::npos) {
      std::string line = result_.out.substr(next_line_, end - next_line_);
      next_line_ = end + 1;
      return line;
    }
    if (pipes_.out[0] < 0 || SteadyClock::now() >= deadline) return std::nullopt;
    std::string_view no_input;
    if (!child_process::PumpOnce(pipes_, no_input, result_, child_process::MillisUntil(deadline))) {
      return std::nullopt;
    }
  }
}

std::optional<std::string> BackgroundProcess::ReadLineContaining(
    std::string_view text, std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    std::optional<std::string> line = ReadLine(std::max(left, std::chrono::milliseconds(0)));
    if (!line || line->find(text) != std::string::npos) return line;
    skipped_ += *line + "\n";
  }
}

bool BackgroundProcess::Running() const {
  if (pid_ < 0 || reaped_) return false;
  siginfo_t info{};
  // WNOWAIT: only look, so that Wait() can still collect the exit status.
  if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    return false;
  }
  return info.si_pid == 0;
}

bool BackgroundProcess::Signal(int signal) {
  return pid_ >= 0 && !reaped_ && ::kill(pid_, signal) == 0;
}

RunResult BackgroundProcess::Wait(std::chrono::milliseconds timeout) {
  if (pid_ < 0 || reaped_) return result_;
  const auto deadline = SteadyClock::now() + timeout;
  child_process::PumpPipes(pid_, pipes_, "", deadline, result_);
  pipes_.CloseAll();
  child_process::Reap(pid_, deadline, result_);
  reaped_ = true;
  return result_;
}

}  // namespace attune::e2e
