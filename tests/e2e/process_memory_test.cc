// What the running attune process does to keep its memory (keys, passphrases, journal text) off
// the disk and away from other programs: core dumps are off (a core file size limit of 0, soft
// and hard) and the process is not dumpable, so even another process of the same user cannot
// read its memory; and when the system will not let it lock its keys into RAM (RLIMIT_MEMLOCK
// of 0, without CAP_IPC_LOCK), it says so once, gently, after the command, and not otherwise.
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/common/sanitizers.h"
#include "tests/e2e/other_user.h"
#include "tests/e2e/partners.h"

namespace attune::e2e {
namespace {

using attune::test_common::kMlockIsIntercepted;

constexpr const char* kLockNote = "the system did not let attune lock its keys in memory";

// The soft and hard "Max core file size" of process `pid`, as /proc/PID/limits shows them.
std::string CoreLimits(pid_t pid) {
  std::ifstream limits("/proc/" + std::to_string(pid) + "/limits");
  std::string line;
  while (std::getline(limits, line)) {
    if (line.rfind("Max core file size", 0) != 0) continue;
    std::istringstream fields(line.substr(std::string("Max core file size").size()));
    std::string soft, hard;
    fields >> soft >> hard;
    return soft + " " + hard;
  }
  return "(no such line)";
}

enum class Access { kRead, kRefused, kOther };

// Run as root, the check uses this user for attune and for the prober alike: root may read any
// process's memory whatever its settings, and the case that matters is another program running
// as the same ordinary user.
constexpr uid_t kNobody = 65534;
constexpr const char* kSetpriv = "/usr/bin/setpriv";

bool RunningAsRoot() {
  return ::geteuid() == 0;
}

// Whether a process of the probing user (this one, or nobody when running as root) may read
// /proc/PID/environ, which the kernel guards like /proc/PID/mem: allowed for a dumpable process
// of the same user, refused for one that is not dumpable. Checked from a forked child.
Access ReadsProcessMemory(pid_t pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/environ";
  const pid_t child = ::fork();
  if (child < 0) return Access::kOther;
  if (child == 0) {
    if (RunningAsRoot() &&
        (::setgroups(0, nullptr) != 0 || ::setresgid(kNobody, kNobody, kNobody) != 0 ||
         ::setresuid(kNobody, kNobody, kNobody) != 0)) {
      ::_exit(3);
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    char byte;
    if (fd >= 0 && ::read(fd, &byte, 1) >= 0) ::_exit(0);
    ::_exit(errno == EACCES || errno == EPERM ? 1 : 2);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status)) return Access::kOther;
  switch (WEXITSTATUS(status)) {
    case 0:
      return Access::kRead;
    case 1:
      return Access::kRefused;
    default:
      return Access::kOther;
  }
}

class ProcessMemoryTest : public PartnersTest {
 protected:
  // `binary ARGS` as the probing user (through setpriv when running as root).
  RunRequest AsProbingUser(const std::string& binary, const std::vector<std::string>& args) {
    if (!RunningAsRoot()) return {binary, args, env, "", kDefaultTimeout};
    std::vector<std::string> wrapped = {"--reuid=" + std::to_string(kNobody),
                                        "--regid=" + std::to_string(kNobody), "--clear-groups",
                                        "--", binary};
    wrapped.insert(wrapped.end(), args.begin(), args.end());
    return {kSetpriv, wrapped, env, "", kDefaultTimeout};
  }

  // A home the probing user owns.
  std::string ProbingUsersHome() {
    const std::string dir = PathIn("probing-home");
    EXPECT_EQ(::mkdir(dir.c_str(), 0700), 0);
    if (RunningAsRoot()) {
      EXPECT_EQ(::chown(dir.c_str(), kNobody, kNobody), 0);
      EXPECT_EQ(::chmod(root().c_str(), 0711), 0);  // nobody may pass through, not look
    }
    return dir;
  }
};

TEST_F(ProcessMemoryTest, ServeCannotDumpCore) {
  ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  BackgroundProcess serve = Serve(alex_);
  ASSERT_TRUE(serve.Running());
  EXPECT_EQ(CoreLimits(serve.pid()), "0 0") << "soft and hard limits";
  Stop(serve);
}

TEST_F(ProcessMemoryTest, AnotherProcessOfTheSameUserCannotReadItsMemory) {
  if (RunningAsRoot() && !PathExists(kSetpriv)) {
    GTEST_SKIP() << "running as root, the check needs util-linux setpriv to run as nobody";
  }
  std::string binary = ATTUNE_BINARY;
  if (RunningAsRoot()) {
    const BinaryCopy copy = CopyForUser(ATTUNE_BINARY, root(), {kNobody, kNobody});
    if (copy.path.empty()) GTEST_SKIP() << copy.why_not;
    binary = copy.path;
  }
  const std::string home = ProbingUsersHome();
  const RunResult init = RunProcess(
      AsProbingUser(binary, {"--home", home, "init", "--name", "Robin", "--no-passphrase"}));
  ASSERT_EQ(init.exit_code, kExitOk) << init;
  // `pair` keeps running, with the journal open, until it is stopped.
  BackgroundProcess attune(
      AsProbingUser(binary, {"--home", home, "pair", "--listen", "127.0.0.1:0", "--json"}));
  // Its first line, the code to give, says it is listening.
  ASSERT_TRUE(attune.ReadLineContaining("\"code\":", kStep).has_value()) << attune.Wait(kStep);

  // An ordinary (dumpable) process of the same user shows that the probe can read one. It says
  // so once it runs as that user (setpriv has dropped root and executed the shell).
  BackgroundProcess control(AsProbingUser("/bin/sh", {"-c", "echo ready; exec sleep 60"}));
  ASSERT_TRUE(control.ReadLineContaining("ready", kStep).has_value()) << control.Wait(kStep);
  if (ReadsProcessMemory(control.pid()) != Access::kRead) {
    GTEST_SKIP() << "this system refuses to read even a dumpable process's /proc/PID/environ "
                    "(a security module?), so whether attune is dumpable cannot be seen here";
  }
  EXPECT_EQ(ReadsProcessMemory(attune.pid()), Access::kRefused);
}

class MemoryLockNoteTest : public AttuneTest {
 protected:
  // attune ARGS with RLIMIT_MEMLOCK 0 and, when running as root, without CAP_IPC_LOCK (which
  // lets root lock memory whatever the limit): util-linux's prlimit and setpriv. nullopt if
  // they are missing.
  std::optional<RunResult> RunWithoutMemoryLocking(const std::vector<std::string>& args) {
    const std::string prlimit = "/usr/bin/prlimit";
    const std::string setpriv = "/usr/bin/setpriv";
    if (!PathExists(prlimit) || (::geteuid() == 0 && !PathExists(setpriv))) return std::nullopt;
    std::vector<std::string> wrapped = {"--memlock=0:0", "--"};
    if (::geteuid() == 0) {
      wrapped.insert(wrapped.end(),
                     {setpriv, "--inh-caps=-ipc_lock", "--bounding-set=-ipc_lock", "--"});
    }
    wrapped.push_back(ATTUNE_BINARY);
    wrapped.insert(wrapped.end(), args.begin(), args.end());
    return RunProcess({prlimit, wrapped, env, "", kDefaultTimeout});
  }

  static size_t Count(const std::string& text, const std::string& part) {
    size_t count = 0;
    for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
      ++count;
    }
    return count;
  }
};

TEST_F(MemoryLockNoteTest, NoNoteWhenKeysAreLocked) {
  const RunResult init = Run({"init", "--name", "Sam", "--no-passphrase"});
  ASSERT_EQ(init.exit_code, kExitOk) << init;
  const RunResult added = Run({"add", "note", "locked away"});
  const RunResult listed = Run({"list", "--json"});
  for (const RunResult* result : {&init, &added, &listed}) {
    EXPECT_EQ(result->exit_code, kExitOk) << *result;
    EXPECT_FALSE(Contains(result->err, kLockNote)) << *result;
  }
}

TEST_F(MemoryLockNoteTest, OneGentleNoteAfterTheCommandWhenLockingIsRefused) {
  if (kMlockIsIntercepted) {
    GTEST_SKIP() << "AddressSanitizer replaces mlock with a no-op that always succeeds, so a "
                    "refusal cannot happen in this build";
  }
  InitJournal();
  Add("note", "kept in swappable memory");
  const std::optional<RunResult> listed = RunWithoutMemoryLocking({"list", "--json"});
  if (!listed) GTEST_SKIP() << "util-linux prlimit (and setpriv as root) are needed";
  ASSERT_TRUE(listed->failure.empty()) << listed->failure;
  EXPECT_EQ(listed->exit_code, kExitOk) << *listed;
  EXPECT_EQ(ParseJson(listed->out).size(), 1u) << "the command itself is unaffected";
  EXPECT_EQ(Count(listed->err, kLockNote), 1u) << *listed;
  // What it advises (`ulimit -l`): tests/cli, SwapNote.
  EXPECT_EQ(listed->err.rfind("attune: note: ", 0), 0u) << "the note is all that is said";

  // A command that fails still ends with the note, after its own message.
  const std::optional<RunResult> missing = RunWithoutMemoryLocking({"show", "abcdef"});
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->exit_code, kExitNotFound) << *missing;
  EXPECT_EQ(Count(missing->err, kLockNote), 1u) << *missing;
  EXPECT_NE(missing->err.rfind("attune: note: ", 0), 0u) << "the command's own message first";
}

}  // namespace
}  // namespace attune::e2e
