// `attune unlock` and `attune lock`: the agent that holds the key for a while (node/agent.h), as
// a person meets it, run as the real binary: it is used, it forgets (time, lock, logout, a
// re-key), a killed one leaves nothing behind, and another user gets nothing from it.
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>

#include "tests/e2e/e2e_fixture.h"

namespace attune::e2e {
namespace {

constexpr const char* kUnlockPassphrase = "unlock me gently";
constexpr uid_t kUnlockOtherUid = 65534;

// Waits, without polling, for process `pid` (not our child) to end: true once it has, false if
// it still runs after `bound`.
bool WaitForProcessEnd(int pid, std::chrono::seconds bound) {
  const int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return errno == ESRCH;
  pollfd wait{fd, POLLIN, 0};
  const int ready = ::poll(&wait, 1, static_cast<int>(bound.count() * 1000));
  ::close(fd);
  return ready == 1;
}

bool ProcessRuns(int pid) {
  return ::kill(pid, 0) == 0;
}

class UnlockTest : public AttuneTest {
 protected:
  void SetUp() override {
    AttuneTest::SetUp();
    env["ATTUNE_PASSPHRASE"] = kUnlockPassphrase;
    const RunResult init = Run({"init", "--name", "Sam", "--interactive-kdf"});
    ASSERT_EQ(init.exit_code, kExitOk) << init;
    entry_ = Add("note", "held for a while");
  }

  void TearDown() override {
    Run({"lock"});  // no agent outlives its test
    AttuneTest::TearDown();
  }

  // `unlock --for HOLD --json` with the passphrase; the agent's pid (0 after a failure).
  int Unlock(const std::string& hold = "10m") {
    env["ATTUNE_PASSPHRASE"] = kUnlockPassphrase;
    const RunResult unlocked = Run({"unlock", "--for", hold, "--json"});
    env.erase("ATTUNE_PASSPHRASE");
    EXPECT_EQ(unlocked.exit_code, kExitOk) << unlocked;
    if (unlocked.exit_code != kExitOk) return 0;
    const nlohmann::json said = ParseJson(unlocked.out);
    EXPECT_EQ(said["unlocked"], true) << unlocked;
    return said.value("pid", 0);
  }

  // `list --json` without any passphrase: 0 when the agent opened the journal, else the exit
  // code (kExitNeedsPassphrase: it asked, and there was nobody to answer).
  int ListWithoutPassphrase() {
    env.erase("ATTUNE_PASSPHRASE");
    const RunResult listed = Run({"list", "--json"});
    if (listed.exit_code == kExitOk) {
      EXPECT_EQ(ParseJson(listed.out).size(), 1u) << listed;
    }
    return listed.exit_code;
  }

  std::string AgentFolder() const { return runtime_dir() + "/attune"; }

  // The agent's files: name and size.
  std::map<std::string, uintmax_t> AgentFiles() const {
    std::map<std::string, uintmax_t> files;
    for (const auto& item : std::filesystem::directory_iterator(AgentFolder())) {
      if (item.path().filename().string().starts_with("home-")) {
        files[item.path().filename().string()] =
            item.is_regular_file() ? item.file_size() : uintmax_t{0};
      }
    }
    return files;
  }

  std::string AgentSocket() const {
    for (const auto& [name, size] : AgentFiles()) {
      if (name.ends_with(".sock")) return AgentFolder() + "/" + name;
    }
    return "";
  }

  std::string entry_;
};

TEST_F(UnlockTest, CommandsUseTheAgentUntilLock) {
  EXPECT_EQ(ListWithoutPassphrase(), kExitNeedsPassphrase);
  const int pid = Unlock();
  ASSERT_GT(pid, 0);
  EXPECT_TRUE(ProcessRuns(pid));
  EXPECT_EQ(ListWithoutPassphrase(), kExitOk);
  const RunResult added = Run({"add", "note", "written while unlocked"});
  EXPECT_EQ(added.exit_code, kExitOk) << added;

  const RunResult state = Run({"unlock", "--status", "--json"});
  ASSERT_EQ(state.exit_code, kExitOk) << state;
  EXPECT_EQ(ParseJson(state.out)["unlocked"], true);
  EXPECT_EQ(ParseJson(state.out)["pid"], pid);
  EXPECT_GT(ParseJson(state.out)["remaining_seconds"].get<int>(), 500);

  const RunResult locked = Run({"lock", "--json"});
  ASSERT_EQ(locked.exit_code, kExitOk) << locked;
  EXPECT_EQ(ParseJson(locked.out)["was_unlocked"], true);
  EXPECT_TRUE(WaitForProcessEnd(pid, std::chrono::seconds(20)));
  EXPECT_EQ(AgentSocket(), "") << "the agent takes its socket away";
  EXPECT_EQ(ListWithoutPassphrase(), kExitNeedsPassphrase);
  EXPECT_EQ(ParseJson(Run({"unlock", "--status", "--json"}).out)["unlocked"], false);
  EXPECT_EQ(ParseJson(Run({"lock", "--json"}).out)["was_unlocked"], false);
}

TEST_F(UnlockTest, TheAgentForgetsWhenItsTimeRunsOut) {
  const int pid = Unlock("1s");
  ASSERT_GT(pid, 0);
  EXPECT_TRUE(WaitForProcessEnd(pid, std::chrono::seconds(30)));
  EXPECT_EQ(ListWithoutPassphrase(), kExitNeedsPassphrase);
  EXPECT_EQ(AgentSocket(), "");
}

TEST_F(UnlockTest, AKilledAgentLeavesNoKeyBehind) {
  const int pid = Unlock();
  ASSERT_GT(pid, 0);
  // Nothing but an empty lock file and the socket, which holds no data: the key is only in the
  // agent's memory.
  for (const auto& [name, size] : AgentFiles()) EXPECT_EQ(size, 0u) << name;
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  ASSERT_TRUE(WaitForProcessEnd(pid, std::chrono::seconds(20)));
  EXPECT_NE(AgentSocket(), "") << "a killed agent cannot take its socket away";
  EXPECT_EQ(ListWithoutPassphrase(), kExitNeedsPassphrase);
  EXPECT_EQ(ParseJson(Run({"unlock", "--status", "--json"}).out)["unlocked"], false);
  // The socket left behind does not stop the next unlock.
  const int next = Unlock();
  ASSERT_GT(next, 0);
  EXPECT_EQ(ListWithoutPassphrase(), kExitOk);
}

TEST_F(UnlockTest, LoggingOutEndsTheAgent) {
  const int pid = Unlock();
  ASSERT_GT(pid, 0);
  // logind removes the user's runtime folder when the last session ends.
  std::filesystem::remove_all(runtime_dir());
  EXPECT_TRUE(WaitForProcessEnd(pid, std::chrono::seconds(20)));
  EXPECT_EQ(ListWithoutPassphrase(), kExitNeedsPassphrase);
}

TEST_F(UnlockTest, ASecondUnlockReplacesTheFirstAgent) {
  const int first = Unlock();
  ASSERT_GT(first, 0);
  const int second = Unlock("1h");
  ASSERT_GT(second, 0);
  EXPECT_NE(first, second);
  EXPECT_TRUE(WaitForProcessEnd(first, std::chrono::seconds(20)));
  const nlohmann::json state = ParseJson(Run({"unlock", "--status", "--json"}).out);
  EXPECT_EQ(state["pid"], second);
  EXPECT_GT(state["remaining_seconds"].get<int>(), 3000);
}

TEST_F(UnlockTest, UnlockAndTheKeyCommandsAskForThePassphraseItself) {
  ASSERT_GT(Unlock(), 0);
  env.erase("ATTUNE_PASSPHRASE");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"unlock"}, {"recovery-kit"}, {"passwd"}}) {
    const RunResult ran = Run(args);
    EXPECT_EQ(ran.exit_code, kExitNeedsPassphrase) << ran;
  }
}

TEST_F(UnlockTest, ARekeyMakesTheAgentForget) {
  const int pid = Unlock();
  ASSERT_GT(pid, 0);
  env["ATTUNE_PASSPHRASE"] = kUnlockPassphrase;
  env["ATTUNE_NEW_PASSPHRASE"] = "a whole new one";
  const RunResult rekeyed = Run({"passwd", "--rekey", "--interactive-kdf"});
  ASSERT_EQ(rekeyed.exit_code, kExitOk) << rekeyed;
  EXPECT_TRUE(WaitForProcessEnd(pid, std::chrono::seconds(20)));
  EXPECT_EQ(ListWithoutPassphrase(), kExitNeedsPassphrase);
}

TEST_F(UnlockTest, HoldTimesOutsideTheRangeAreRefused) {
  for (const std::string hold : {"15", "15x", "0m", "25h", "-1m", "m"}) {
    env["ATTUNE_PASSPHRASE"] = kUnlockPassphrase;
    const RunResult refused = Run({"unlock", "--for", hold});
    EXPECT_EQ(refused.exit_code, kExitUsage) << hold << "\n" << refused;
  }
  EXPECT_EQ(ParseJson(Run({"unlock", "--status", "--json"}).out)["unlocked"], false);
}

TEST_F(UnlockTest, AFolderOthersCanUseIsRefused) {
  ASSERT_EQ(::mkdir(AgentFolder().c_str(), 0755), 0);
  const RunResult refused = Run({"unlock", "--json"});
  EXPECT_EQ(refused.exit_code, kExitIo) << refused;
  EXPECT_EQ(FailureReason(refused), "agent_unsafe_folder") << refused;
  EXPECT_EQ(ListWithoutPassphrase(), kExitNeedsPassphrase);
}

TEST_F(UnlockTest, AJournalWithoutPassphraseHasNothingToUnlock) {
  env["ATTUNE_HOME"] = PathIn("open-home");
  ASSERT_EQ(Run({"init", "--name", "Ari", "--no-passphrase"}).exit_code, kExitOk);
  const RunResult unlocked = Run({"unlock", "--json"});
  ASSERT_EQ(unlocked.exit_code, kExitOk) << unlocked;
  EXPECT_EQ(ParseJson(unlocked.out)["unlocked"], false);
  EXPECT_EQ(ParseJson(unlocked.out)["needs_passphrase"], false);
}

// What another user's process gets from the socket: the reply's first byte, or "" when it
// cannot connect at all.
std::string AskAsOtherUser(const std::string& socket_path) {
  int reply_pipe[2];
  if (::pipe(reply_pipe) != 0) return "pipe failed";
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(reply_pipe[0]);
    if (::setgroups(0, nullptr) != 0 ||
        ::setresgid(kUnlockOtherUid, kUnlockOtherUid, kUnlockOtherUid) != 0 ||
        ::setresuid(kUnlockOtherUid, kUnlockOtherUid, kUnlockOtherUid) != 0) {
      ::_exit(2);
    }
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socket_path.c_str(), sizeof(address.sun_path) - 1);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
      ::_exit(0);
    }
    const char ask_key = 'k';
    char reply[64];
    ssize_t got = 0;
    if (::write(fd, &ask_key, 1) == 1) got = ::read(fd, reply, sizeof(reply));
    if (got > 0) (void)!::write(reply_pipe[1], reply, static_cast<size_t>(got));
    ::_exit(0);
  }
  ::close(reply_pipe[1]);
  std::string said;
  char buffer[64];
  ssize_t n = 0;
  while ((n = ::read(reply_pipe[0], buffer, sizeof(buffer))) > 0) said.append(buffer, n);
  ::close(reply_pipe[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the child could not change user";
  return said;
}

TEST_F(UnlockTest, AnotherUserGetsNothingFromTheAgent) {
  if (::geteuid() != 0) GTEST_SKIP() << "changing user needs root";
  ASSERT_GT(Unlock(), 0);
  const std::string socket = AgentSocket();
  ASSERT_NE(socket, "");
  // As made: the folder is the user's alone, so another user cannot even connect.
  EXPECT_EQ(AskAsOtherUser(socket), "");
  // Even with the folder and the socket opened to everyone, the agent asks who is calling.
  for (const std::string& dir : {root(), runtime_dir(), AgentFolder()}) {
    ASSERT_EQ(::chmod(dir.c_str(), 0711), 0) << dir;
  }
  ASSERT_EQ(::chmod(socket.c_str(), 0666), 0);
  EXPECT_EQ(AskAsOtherUser(socket), "R") << "refused, and not one byte of the key";
  EXPECT_EQ(ListWithoutPassphrase(), kExitOk) << "the owner still gets it";
}

}  // namespace
}  // namespace attune::e2e
