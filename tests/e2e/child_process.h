// The pieces every way of running a child shares (run_attune.cc runs one to completion,
// background_process.cc keeps one running): building argv and envp before fork, the three pipes,
// moving bytes through them, and reaping the child against a deadline. Internal to the e2e
// harness; tests use run_attune.h and background_process.h.
//
// Thread-compatible: every function works on the descriptors and results it is given.
#ifndef ATTUNE_TESTS_E2E_CHILD_PROCESS_H_
#define ATTUNE_TESTS_E2E_CHILD_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "tests/e2e/run_attune.h"

namespace attune::e2e::child_process {

using SteadyClock = std::chrono::steady_clock;

// Everything execve needs, built before fork: the child may only make async-signal-safe calls.
class ExecArgs {
 public:
  explicit ExecArgs(const RunRequest& request);

  // In the child: undo the parent's SIGPIPE setting (ignored signals survive exec), apply the
  // request's ChildSetup and exec. If the setup fails, says so on standard error and exits 126.
  [[noreturn]] void Exec() const;

 private:
  ChildSetup setup_;
  std::vector<std::string> strings_;
  std::vector<char*> argv_;
  std::vector<char*> envp_;
};

// A write to a child that has already exited must fail with EPIPE, not kill the test.
void IgnoreSigpipe();

// Milliseconds left until `deadline`, never negative: a poll timeout.
int MillisUntil(SteadyClock::time_point deadline);

// Closes `fd` if open and marks it closed (-1).
void CloseFd(int& fd);

// Reads what is available; false at end of file or on an error that ends the stream.
bool ReadSome(int fd, std::string& into);

// Waits for the child to exit, killing it (SIGKILL) at the deadline; fills the exit fields of
// `result`. A child already killed by the caller has result.timed_out set.
void Reap(pid_t child, SteadyClock::time_point deadline, RunResult& result);

// The child's standard input, output and error. The parent keeps in[1], out[0] and err[0];
// -1 marks a closed end.
struct Pipes {
  int in[2] = {-1, -1};
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};

  bool outputs_open() const { return out[0] >= 0 || err[0] >= 0; }
  void CloseAll();
};

// Opens the pipes, forks and execs `exec` with them as standard input, output and error, and
// closes the child's ends in the parent. Returns the child's pid, or -1 with `failure` set (and
// every pipe closed).
pid_t StartWithPipes(const ExecArgs& exec, Pipes& pipes, std::string& failure);

// One round of moving bytes: waits up to `wait_ms` until output can be read or input written,
// then appends output to result.out and result.err and writes from `input` (dropping what was
// written). Closes each end that reaches its end. False if poll itself failed.
bool PumpOnce(Pipes& pipes, std::string_view& input, RunResult& result, int wait_ms);

// Feeds `input` to standard input (then closes it) and drains standard output and error until
// both end; at the deadline kills the child (SIGKILL) and sets result.timed_out.
void PumpPipes(pid_t child, Pipes& pipes, std::string_view input, SteadyClock::time_point deadline,
               RunResult& result);

}  // namespace attune::e2e::child_process

#endif  // ATTUNE_TESTS_E2E_CHILD_PROCESS_H_
