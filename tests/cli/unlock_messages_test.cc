// What unlock and lock say, how a hold time is read, and the agent's failures in words.
// tests/e2e/unlock_test.cc checks the same outcomes by exit code, reason and JSON.
#include "cli/unlock_messages.h"

#include <gtest/gtest.h>

#include "cli/exit_codes.h"
#include "cli/messages.h"
#include "node/agent.h"
#include "tests/cli/says.h"

namespace attune::cli {
namespace {

using std::chrono::seconds;
using testing::Says;

TEST(UnlockMessagesTest, AHoldTimeIsANumberAndAUnit) {
  EXPECT_EQ(ParseHoldTime("90s").value(), seconds(90));
  EXPECT_EQ(ParseHoldTime("15m").value(), seconds(900));
  EXPECT_EQ(ParseHoldTime("24h").value(), seconds(86'400));
  for (const char* bad : {"", "m", "15", "15x", "0m", "-5m", "1.5h", "25h", "1441m", " 5m", "5 m",
                          "99999999999999999999s"}) {
    Result<seconds> parsed = ParseHoldTime(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(ExitCodeFor(parsed.status()), kExitUsage) << bad;
    EXPECT_TRUE(Says(Explain(parsed.status()), "such as 90s, 15m or 2h")) << bad;
  }
}

TEST(UnlockMessagesTest, HoldTimesReadAsPeopleSayThem) {
  EXPECT_EQ(HoldTimeText(seconds(900)), "15 minutes");
  EXPECT_EQ(HoldTimeText(seconds(5400)), "1 hour 30 minutes");
  EXPECT_EQ(HoldTimeText(seconds(1)), "1 second");
  EXPECT_EQ(HoldTimeText(seconds(0)), "0 seconds");
}

TEST(UnlockMessagesTest, UnlockSaysUntilWhenAndWhatItDoesNotProtect) {
  const std::string said = UnlockedText("11:07", seconds(900));
  EXPECT_TRUE(Says(said, "until 11:07")) << said;
  EXPECT_TRUE(Says(said, "`attune lock`")) << said;
  EXPECT_TRUE(Says(said, "Anyone who can use this computer as you")) << said;
  EXPECT_TRUE(Says(NothingToUnlockText(), "no passphrase"));
  EXPECT_TRUE(Says(LockedText(true), "asks for your passphrase again"));
  EXPECT_TRUE(Says(LockedText(false), "Nothing to lock"));
  EXPECT_TRUE(Says(UnlockStatusText(std::nullopt), "Locked"));
  EXPECT_TRUE(Says(UnlockStatusText(std::chrono::milliseconds(61'500)), "1 minute 2 seconds"));
}

TEST(UnlockMessagesTest, TheAgentsFailuresSayWhatToDo) {
  const Status unsafe =
      Status::IoError("/tmp/attune-1000").WithReason(node::AgentReason::kUnsafeFolder);
  EXPECT_TRUE(Says(Explain(unsafe), "/tmp/attune-1000")) << Explain(unsafe);
  EXPECT_TRUE(Says(Explain(unsafe), "XDG_RUNTIME_DIR")) << Explain(unsafe);
  EXPECT_EQ(ExitCodeFor(unsafe), kExitIo);
  const Status failed = Status::IoError("bind").WithReason(node::AgentReason::kStartFailed);
  EXPECT_TRUE(Says(Explain(failed), "ask for the passphrase as before")) << Explain(failed);
  EXPECT_EQ(ReasonName(failed), "agent_start_failed");
}

}  // namespace
}  // namespace attune::cli
