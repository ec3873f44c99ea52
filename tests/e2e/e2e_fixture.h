// The fixture every end-to-end test uses: a private temporary directory per test holding the
// journal home, a user home, a TMPDIR, an XDG_RUNTIME_DIR (where the editor's drafts go) and
// any files a test writes, and an environment built from scratch around them. Commands run the real
// `attune` binary (ATTUNE_BINARY) through run_attune.h; nothing here links attune's own libraries.
#ifndef ATTUNE_TESTS_E2E_E2E_FIXTURE_H_
#define ATTUNE_TESTS_E2E_E2E_FIXTURE_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tests/e2e/run_attune.h"

namespace attune::e2e {

// Exit codes as documented in docs/guide.md and cli/exit_codes.h. Repeated here on purpose: they
// are part of attune's interface, and this suite checks the binary against the documentation.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotFound = 3;
inline constexpr int kExitAmbiguous = 4;
inline constexpr int kExitWrongPassphrase = 5;
inline constexpr int kExitNeedsPassphrase = 6;
inline constexpr int kExitNoJournal = 7;
inline constexpr int kExitDataProblem = 8;
inline constexpr int kExitIo = 10;
inline constexpr int kExitCancelled = 11;

// For editor scripts (shell): a function printing the pid of the attune that started the
// script, found up the chain of parent processes.
inline constexpr const char* kAttunePidFunction =
    "attune_pid() {\n"
    "  p=$PPID\n"
    "  while [ \"$p\" -gt 1 ] && [ \"$(cat /proc/$p/comm)\" != attune ]; do\n"
    "    p=$(cut -d' ' -f4 /proc/$p/stat)\n"
    "  done\n"
    "  echo $p\n"
    "}\n";

// Lets gtest show the command's output when an assertion on it fails.
void PrintTo(const RunResult& result, std::ostream* out);
std::ostream& operator<<(std::ostream& out, const RunResult& result);

// `ids` in ascending order, to compare sets of entry ids.
std::vector<std::string> Sorted(std::vector<std::string> ids);

// Parses a command's JSON output; on a parse error records a test failure and returns null.
nlohmann::json ParseJson(const std::string& text);
// A string field of the {"error": ...} line a failing command run with --json prints last;
// "" if there is none.
std::string FailureField(const RunResult& result, const char* field);
// The typed reason a command run with --json failed with: the "reason" of the {"error": ...}
// line it printed last on standard output (cli/messages.h, ErrorJson); "" if it gave none.
std::string FailureReason(const RunResult& result);
// Its "code", the kind of failure ("invalid_argument", "unsupported", ...); "" if none.
std::string FailureCode(const RunResult& result);

// Whole-file helpers; ReadFile returns "" for a missing file.
std::string ReadFile(const std::string& path);
// The whole number in the environment variable `name`, for a test's tunable size; nullopt when
// unset, and a test failure when it is not a whole number.
std::optional<uint64_t> EnvNumber(const char* name);
void WriteFile(const std::string& path, const std::string& content);
bool PathExists(const std::string& path);
std::string TrimmedLine(const std::string& text);

// Standard error without attune's notes ("attune: note: ..." lines, such as the one every command
// on a journal without a passphrase says), for tests about the rest of what it says.
std::string WithoutNotes(const std::string& err);
// How many of those notes standard error has: a note said once shows as one more than usual.
int NoteLines(const std::string& err);

// libfaketime's library, where Debian's `faketime` package puts it; "" if it is not installed.
std::string FaketimeLibrary();
// Runs the commands of `env` with the wall clock moved by `offset` ("+31d", "-400d"), through
// libfaketime at `library`; monotonic time, which timeouts use, stays real.
void MoveClock(Environment& env, const std::string& library, const std::string& offset);

// Eighteen quiz answers, one per line.
std::string QuizAnswers(int answer);

// A hand-made entry and document in the format of `export --format json`, for importing entries
// with chosen ids and dates. `created` is RFC 3339; `updated` equals it.
nlohmann::json ExportedEntry(const std::string& id, const std::string& kind,
                             const std::string& text, const std::string& created);
std::string ExportDocument(const std::vector<nlohmann::json>& entries);
// An export of `count` shared needs, the i-th with text `text(i)` and id `id_prefix` (two hex
// digits) followed by i, one a second from 2026-01-01: a journal filled with one `attune import`.
// The ids, in order, are appended to `ids`.
std::string SharedNeedsExport(int count, const std::string& id_prefix,
                              const std::function<std::string(int)>& text,
                              std::vector<std::string>& ids);

class AttuneTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // The per-test directory and paths inside it.
  const std::string& root() const { return root_; }
  std::string PathIn(const std::string& name) const { return root_ + "/" + name; }
  std::string home() const { return PathIn("home"); }
  std::string database() const { return home() + "/journal.db"; }
  std::string runtime_dir() const { return PathIn("run"); }
  // Where attune keeps the editor's drafts with XDG_RUNTIME_DIR set as above.
  std::string drafts_dir() const { return runtime_dir() + "/attune"; }

  // Runs attune with `args` and `env`, standard input a pipe fed `stdin_text`. Records a
  // failure if the run timed out or could not start.
  RunResult Run(const std::vector<std::string>& args, const std::string& stdin_text = "");
  // Runs attune on a pseudo-terminal, playing `turns`.
  RunResult RunOnTty(const std::vector<std::string>& args, const std::vector<TerminalTurn>& turns);

  // `init --name Sam --no-passphrase`, asserting success.
  void InitJournal();
  // `add KIND TEXT EXTRA...`; returns the new id, or "" after recording a failure.
  std::string Add(const std::string& kind, const std::string& text,
                  const std::vector<std::string>& extra = {});
  // `show ID --json` and `list ARGS... --json`, parsed; record a failure on a non-zero exit.
  nlohmann::json ShowJson(const std::string& id);
  nlohmann::json ListJson(const std::vector<std::string>& filters = {});

  // The child's whole environment. Tests may add or remove variables before running.
  Environment env;

 private:
  std::string root_;
};

}  // namespace attune::e2e

#endif  // ATTUNE_TESTS_E2E_E2E_FIXTURE_H_
