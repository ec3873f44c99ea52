// BackgroundProcess checked against /bin/sh, whose behaviour is known, as runner_test.cc checks
// RunProcess: if the helper lied, the link tests could pass for nothing.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>

#include "tests/e2e/background_process.h"
#include "tests/e2e/e2e_fixture.h"

namespace attune::e2e {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

RunRequest Shell(const std::string& script) {
  return {"/bin/sh", {"-c", script}, {{"PATH", "/usr/bin:/bin"}, {"ONLY", "this"}}, "", {}};
}

TEST(BackgroundProcessTest, ReadsLinesAsTheyComeAndKeepsThemInTheResult) {
  BackgroundProcess child(Shell("echo first; echo \"$ONLY\"; read nothing; echo err >&2; exit 4"));
  ASSERT_TRUE(child.failure().empty()) << child.failure();
  EXPECT_EQ(child.ReadLine(seconds(10)), "first");
  EXPECT_EQ(child.ReadLine(seconds(10)), "this");
  const RunResult result = child.Wait(seconds(10));
  EXPECT_EQ(result.exit_code, 4) << result;  // standard input was at end of file
  EXPECT_EQ(result.out, "first\nthis\n");
  EXPECT_EQ(result.err, "err\n");
  EXPECT_FALSE(child.Running());
}

TEST(BackgroundProcessTest, ReadLineGivesUpAtItsDeadlineAndAtTheEnd) {
  BackgroundProcess child(Shell("printf partial; sleep 30"));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(child.ReadLine(milliseconds(200)), std::nullopt);
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(5));
  EXPECT_TRUE(child.Running());

  BackgroundProcess done(Shell("printf 'a\\nno newline'"));
  EXPECT_EQ(done.ReadLine(seconds(10)), "a");
  EXPECT_EQ(done.ReadLine(seconds(10)), std::nullopt);
  EXPECT_EQ(done.Wait(seconds(10)).out, "a\nno newline");
}

TEST(BackgroundProcessTest, FindsALineAndRemembersWhatItSkipped) {
  BackgroundProcess child(Shell("echo one; echo two; echo the target; echo after"));
  EXPECT_EQ(child.ReadLineContaining("target", seconds(10)), "the target");
  EXPECT_EQ(child.skipped(), "one\ntwo\n");
  EXPECT_EQ(child.ReadLine(seconds(10)), "after");
}

TEST(BackgroundProcessTest, SignalsReachTheChild) {
  BackgroundProcess child(
      Shell("trap 'echo got-term; exit 0' TERM; echo ready; "
            "while :; do sleep 0.05; done"));
  ASSERT_EQ(child.ReadLine(seconds(10)), "ready");
  EXPECT_TRUE(child.Signal(SIGTERM));
  const RunResult result = child.Wait(seconds(10));
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_NE(result.out.find("got-term"), std::string::npos) << result;
  EXPECT_FALSE(child.Signal(SIGTERM)) << "a reaped child cannot be signalled";
}

TEST(BackgroundProcessTest, WaitKillsAtTheDeadlineAndDestructionKillsToo) {
  BackgroundProcess stubborn(Shell("trap '' TERM; sleep 30"));
  const RunResult result = stubborn.Wait(milliseconds(200));
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.exit_code, -1);

  pid_t pid = -1;
  {
    BackgroundProcess forgotten(Shell("sleep 30"));
    pid = forgotten.pid();
    ASSERT_GT(pid, 0);
  }
  EXPECT_NE(::kill(pid, 0), 0) << "the child outlived its owner";
}

TEST(BackgroundProcessTest, MissingBinaryExits127) {
  BackgroundProcess child({"/nonexistent/attune", {}, {}, "", {}});
  EXPECT_EQ(child.Wait(seconds(10)).exit_code, 127);
}

}  // namespace
}  // namespace attune::e2e
