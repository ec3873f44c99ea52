// Runs the real `attune` binary the way a person or a script would: as a child process with its
// own environment, fed standard input through a pipe (or, for the interactive paths, driven
// through a pseudo-terminal), its output and exit status captured.
//
// The child's environment is exactly the map given: nothing is inherited from the test process,
// so a developer's ATTUNE_* variables can never leak into a test. Every run has a deadline; a
// child still running at the deadline is killed (SIGKILL) and the result says so.
//
// Thread-compatible: each call owns its child and file descriptors. Calls block until the child
// has exited or been killed.
#ifndef ATTUNE_TESTS_E2E_RUN_ATTUNE_H_
#define ATTUNE_TESTS_E2E_RUN_ATTUNE_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace attune::e2e {

using Environment = std::map<std::string, std::string>;

inline constexpr std::chrono::seconds kDefaultTimeout{60};

struct RunResult {
  int exit_code = -1;        // the child's exit status; -1 if it died from a signal or timed out
  int signal = 0;            // the signal that ended the child, if one did
  bool timed_out = false;    // killed at the deadline
  std::string out;           // standard output (on a terminal: everything the terminal showed)
  std::string err;           // standard error (empty on a terminal: it shares the output)
  std::string failure;       // why the child could not be started or watched; empty when fine
  long peak_memory_kib = 0;  // the child's peak resident memory (getrusage ru_maxrss)
};

// What the child changes about itself between fork and exec, to run under a fault the test
// arranges. The default changes nothing.
struct ChildSetup {
  // RLIMIT_FSIZE in bytes: no file may be written past this offset. SIGXFSZ is ignored in the
  // child (an ignored signal stays ignored across exec), so such a write fails with EFBIG
  // instead of killing it: a full disk, as the program sees it.
  std::optional<uint64_t> file_size_limit = std::nullopt;
  // Run as this user and group, without supplementary groups (the test must be root), so that
  // permission bits apply to the child as they would to an ordinary user.
  struct User {
    uid_t uid = 0;
    gid_t gid = 0;
  };
  std::optional<User> run_as = std::nullopt;
};

struct RunRequest {
  std::string binary;
  std::vector<std::string> args;  // without argv[0]
  Environment env;
  std::string stdin_text;  // written to a pipe, which is then closed
  std::chrono::milliseconds timeout = kDefaultTimeout;
  ChildSetup setup = {};
};

// Runs with standard input, output and error as pipes, so attune takes its non-interactive paths.
RunResult RunProcess(const RunRequest& request);

// One turn of a conversation with a program on a terminal: wait until `wait_for` appears in the
// output (after the previous turn's match), optionally until the terminal's echo is switched
// off, then type `send`.
struct TerminalTurn {
  std::string wait_for;
  std::string send;
  bool wait_for_echo_off = false;  // for passphrase prompts: type only once echo is off
};

// Runs on a fresh pseudo-terminal (standard input, output and error are its slave side, and it
// is the child's controlling terminal), playing `turns` in order. request.stdin_text is ignored.
// If a turn's text never appears, the run ends at the deadline with timed_out set.
RunResult RunOnTerminal(const RunRequest& request, const std::vector<TerminalTurn>& turns);

}  // namespace attune::e2e

#endif  // ATTUNE_TESTS_E2E_RUN_ATTUNE_H_
