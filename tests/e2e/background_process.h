// A child that keeps running while the test goes on: `attune pair` waiting for its partner, or
// `attune serve`. Started like RunProcess (run_attune.h): its own environment and nothing
// inherited, standard output and error as pipes; standard input is at end of file. The test
// reads its output line by line as it comes, signals it, and finally waits for it; every wait
// has a deadline.
//
// Owns the child: one still running when the object is destroyed is killed (SIGKILL) and
// reaped, so a failed assertion never leaves a process behind. Move-only; thread-compatible.
#ifndef ATTUNE_TESTS_E2E_BACKGROUND_PROCESS_H_
#define ATTUNE_TESTS_E2E_BACKGROUND_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "tests/e2e/child_process.h"
#include "tests/e2e/run_attune.h"

namespace attune::e2e {

class BackgroundProcess {
 public:
  // Starts request.binary with request.args and request.env (stdin_text and timeout are
  // unused). If it cannot start, failure() says why and every other call is a no-op.
  explicit BackgroundProcess(const RunRequest& request);
  ~BackgroundProcess();
  BackgroundProcess(BackgroundProcess&& other) noexcept;
  BackgroundProcess& operator=(BackgroundProcess&&) = delete;
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  const std::string& failure() const { return result_.failure; }
  pid_t pid() const { return pid_; }

  // The next line of standard output, without its newline. nullopt if none is complete within
  // `timeout` or the output ended first (the partial line stays for Wait()).
  std::optional<std::string> ReadLine(std::chrono::milliseconds timeout);
  // Reads lines until one contains `text` and returns it; the lines passed over are kept in
  // skipped(). nullopt as ReadLine.
  std::optional<std::string> ReadLineContaining(std::string_view text,
                                                std::chrono::milliseconds timeout);
  // The lines ReadLineContaining passed over, for failure messages.
  const std::string& skipped() const { return skipped_; }

  // True while the child has not exited. Does not reap it: Wait() still reports its status.
  bool Running() const;

  // Sends `signal` to the child; false if it has already been reaped or kill() failed.
  bool Signal(int signal);

  // Drains the output until the child closes it, then reaps the child; at the deadline kills
  // it (SIGKILL). `out` holds all of standard output, including the lines already read.
  // Later calls return the same result.
  RunResult Wait(std::chrono::milliseconds timeout);

 private:
  void KillAndReap();

  pid_t pid_ = -1;
  bool reaped_ = false;
  child_process::Pipes pipes_;
  RunResult result_;
  size_t next_line_ = 0;  // where the next unread line of result_.out starts
  std::string skipped_;
};

}  // namespace attune::e2e

#endif  // ATTUNE_TESTS_E2E_BACKGROUND_PROCESS_H_
