#include "tests/e2e/run_attune.h"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "tests/e2e/child_process.h"

namespace attune::e2e {
namespace {

using child_process::CloseFd;
using child_process::MillisUntil;
using child_process::ReadSome;
using child_process::SteadyClock;

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
  child_process::IgnoreSigpipe();
  RunResult result;
  const child_process::ExecArgs exec(request);
  child_process::Pipes pipes;
  const auto deadline = SteadyClock::now() + request.timeout;
  const pid_t pid = child_process::StartWithPipes(exec, pipes, result.failure);
  if (pid < 0) return result;
  child_process::PumpPipes(pid, pipes, request.stdin_text, deadline, result);
  pipes.CloseAll();
  child_process::Reap(pid, deadline, result);
  return result;
}

RunResult RunOnTerminal(const RunRequest& request, const std::vector<TerminalTurn>& turns) {
  child_process::IgnoreSigpipe();
  RunResult result;
  const child_process::ExecArgs exec(request);
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
  child_process::Reap(child, deadline, result);
  return result;
}

}  // namespace attune::e2e
