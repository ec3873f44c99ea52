// The process runner is the suite's eyes: if it lied, every other test could pass for nothing.
// These tests run /bin/sh, whose behaviour is known, to check the runner itself.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "tests/e2e/e2e_fixture.h"
#include "tests/e2e/run_attune.h"

namespace attune::e2e {
namespace {

RunRequest Shell(const std::string& script, Environment env = {{"PATH", "/usr/bin:/bin"}}) {
  return {"/bin/sh", {"-c", script}, std::move(env), "", kDefaultTimeout};
}

TEST(RunnerTest, CapturesStdoutStderrAndExitCode) {
  const RunResult result = RunProcess(Shell("echo out; echo err >&2; exit 3"));
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.out, "out\n");
  EXPECT_EQ(result.err, "err\n");
  EXPECT_FALSE(result.timed_out);
  EXPECT_TRUE(result.failure.empty());
}

TEST(RunnerTest, EnvironmentIsExactlyTheGivenOne) {
  ::setenv("ATTUNE_PASSPHRASE", "leaked-from-the-developer", 1);
  const RunResult result = RunProcess(Shell("env", {{"ONLY", "this"}}));
  ::unsetenv("ATTUNE_PASSPHRASE");
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_NE(result.out.find("ONLY=this"), std::string::npos) << result;
  EXPECT_EQ(result.out.find("ATTUNE_PASSPHRASE"), std::string::npos) << result;
  EXPECT_EQ(result.out.find("HOME="), std::string::npos) << result;
}

TEST(RunnerTest, FeedsStdinThroughAPipeAndClosesIt) {
  RunRequest request = Shell("if [ -t 0 ]; then echo tty; fi; cat");
  request.stdin_text = "line one\nline two\n";
  const RunResult result = RunProcess(request);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "line one\nline two\n");
}

TEST(RunnerTest, LargeInputAndOutputDoNotDeadlock) {
  RunRequest request = Shell("cat; cat >&2 </dev/null");
  request.stdin_text.assign(1 << 20, 'x');
  const RunResult result = RunProcess(request);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out.size(), size_t{1} << 20);
}

TEST(RunnerTest, ChildThatIgnoresStdinDoesNotKillTheRunner) {
  RunRequest request = Shell("exit 0");
  request.stdin_text.assign(1 << 20, 'x');
  const RunResult result = RunProcess(request);
  EXPECT_EQ(result.exit_code, 0);
}

TEST(RunnerTest, KillsAChildAtTheDeadline) {
  RunRequest request = Shell("sleep 30");
  request.timeout = std::chrono::milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  const RunResult result = RunProcess(request);
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.exit_code, -1);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(RunnerTest, MissingBinaryExits127) {
  const RunResult result = RunProcess({"/nonexistent/attune", {}, {}, "", kDefaultTimeout});
  EXPECT_EQ(result.exit_code, 127);
}

// The fault tests' full disk: a write past the limit fails (EFBIG) and the child carries on.
TEST(RunnerTest, FileSizeLimitFailsWritesWithoutKillingTheChild) {
  char path[] = "/tmp/attune-runner-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  RunRequest request = Shell(std::string("head -c 10000 /dev/zero > ") + path + "; echo $?");
  request.setup.file_size_limit = 4096;
  const RunResult result = RunProcess(request);
  struct stat info {};
  const bool found = ::stat(path, &info) == 0;
  ::unlink(path);
  EXPECT_EQ(result.signal, 0) << result;
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_NE(result.out, "0\n") << "head must have failed\n" << result;
  ASSERT_TRUE(found);
  EXPECT_EQ(info.st_size, 4096);
}

TEST(RunnerTest, RunAsChangesTheUser) {
  if (::geteuid() != 0) GTEST_SKIP() << "changing user needs root";
  RunRequest request = Shell("id -u; id -g; id -G");
  request.setup.run_as = ChildSetup::User{65534, 65534};
  const RunResult result = RunProcess(request);
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "65534\n65534\n65534\n") << result;
}

TEST(RunnerTest, TerminalIsATtyAndTurnsAreTyped) {
  const RunResult result = RunOnTerminal(
      Shell("[ -t 0 ] && [ -t 1 ] && echo on-a-tty; printf 'name? '; read name; echo \"hi $name\""),
      {{"name? ", "Robin\n"}});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_NE(result.out.find("on-a-tty"), std::string::npos) << result;
  EXPECT_NE(result.out.find("hi Robin"), std::string::npos) << result;
}

TEST(RunnerTest, TerminalTurnThatNeverComesTimesOut) {
  RunRequest request = Shell("read never");
  request.timeout = std::chrono::milliseconds(300);
  const RunResult result = RunOnTerminal(request, {{"a prompt that is never shown", "x\n"}});
  EXPECT_TRUE(result.timed_out);
}

}  // namespace
}  // namespace attune::e2e
