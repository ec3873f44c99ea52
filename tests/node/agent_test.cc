// The unlock agent without its process (node/agent.h): the core's answers in virtual time, the
// replies and start reports as the client parses them, where the socket goes, and a journal
// opened with a key held elsewhere. The agent as a process: tests/e2e/unlock_test.cc.
#include <gtest/gtest.h>

#include "crypto/random.h"
#include "node/agent.h"
#include "node/agent/agent_core.h"
#include "node/agent/agent_process.h"
#include "node/journal.h"
#include "tests/common/status_assertions.h"
#include "tests/node/node_test_util.h"

namespace attune::node::testing {
namespace {

using agent::AgentCore;

constexpr uint32_t kOwner = 1000;
constexpr int kPid = 4242;
constexpr int64_t kDeadline = 900'000;

Bytes Request(uint8_t byte) {
  return Bytes{byte};
}

class AgentCoreTest : public ::testing::Test {
 protected:
  AgentCoreTest() : key_(crypto::RandomSecret(agent::kKeyBytes)) {}
  AgentCore MakeCore() { return AgentCore(Secret::CopyOf(key_.span()), kDeadline, kOwner, kPid); }
  Secret key_;
};

TEST_F(AgentCoreTest, TheOwnerGetsTheKey) {
  AgentCore core = MakeCore();
  agent::Answer answer = core.Handle(Request(agent::kAskKey), 0, kOwner);
  EXPECT_FALSE(answer.end);
  ASSERT_OK_AND_ASSIGN(agent::AgentReply reply, agent::ParseAgentReply(answer.reply.span()));
  EXPECT_EQ(reply.kind, agent::kReplyKey);
  EXPECT_TRUE(reply.key.ConstantTimeEquals(key_));
}

TEST_F(AgentCoreTest, AnotherUserIsRefusedAndTheKeyKept) {
  AgentCore core = MakeCore();
  for (uint8_t ask : {agent::kAskKey, agent::kAskState, agent::kAskForget}) {
    agent::Answer answer = core.Handle(Request(ask), 0, kOwner + 1);
    ASSERT_EQ(answer.reply.size(), 1u);
    EXPECT_EQ(answer.reply.data()[0], agent::kReplyRefused);
    EXPECT_FALSE(answer.end);
  }
  EXPECT_TRUE(core.holds_key()) << "another user cannot make it forget either";
}

TEST_F(AgentCoreTest, TheDeadlineHoldsAtEveryRequestWhateverTheTimer) {
  AgentCore core = MakeCore();
  EXPECT_EQ(core.Handle(Request(agent::kAskKey), kDeadline - 1, kOwner).reply.data()[0],
            agent::kReplyKey);
  agent::Answer late = core.Handle(Request(agent::kAskKey), kDeadline, kOwner);
  EXPECT_EQ(late.reply.data()[0], agent::kReplyNoKey);
  EXPECT_TRUE(late.end);
  EXPECT_FALSE(core.holds_key());
  // Not even a clock set back brings it back.
  EXPECT_EQ(core.Handle(Request(agent::kAskKey), 0, kOwner).reply.data()[0], agent::kReplyNoKey);
}

TEST_F(AgentCoreTest, ForgetEndsTheAgent) {
  AgentCore core = MakeCore();
  agent::Answer answer = core.Handle(Request(agent::kAskForget), 10, kOwner);
  EXPECT_EQ(answer.reply.data()[0], agent::kReplyForgotten);
  EXPECT_TRUE(answer.end);
  EXPECT_FALSE(core.holds_key());
  EXPECT_EQ(core.Handle(Request(agent::kAskKey), 11, kOwner).reply.data()[0], agent::kReplyNoKey);
}

TEST_F(AgentCoreTest, StateSaysTheRemainingTimeAndThePid) {
  AgentCore core = MakeCore();
  agent::Answer answer = core.Handle(Request(agent::kAskState), kDeadline - 60'000, kOwner);
  ASSERT_OK_AND_ASSIGN(agent::AgentReply reply, agent::ParseAgentReply(answer.reply.span()));
  EXPECT_EQ(reply.kind, agent::kReplyState);
  EXPECT_EQ(reply.remaining_ms, 60'000);
  EXPECT_EQ(reply.pid, kPid);
}

TEST_F(AgentCoreTest, UnknownRequestsAreAnsweredWithoutTheKey) {
  AgentCore core = MakeCore();
  for (const Bytes& request : {Bytes{}, Bytes{'x'}, Bytes{agent::kAskKey, agent::kAskKey}}) {
    agent::Answer answer = core.Handle(request, 0, kOwner);
    ASSERT_EQ(answer.reply.size(), 1u);
    EXPECT_EQ(answer.reply.data()[0], agent::kReplyUnknown);
    EXPECT_FALSE(answer.end);
  }
  EXPECT_TRUE(core.holds_key());
}

TEST(AgentReplyTest, OnlyWholeRepliesOfKnownKindsParse) {
  Bytes key_reply(1 + agent::kKeyBytes, 7);
  key_reply[0] = agent::kReplyKey;
  EXPECT_OK(agent::ParseAgentReply(key_reply).status());
  key_reply.pop_back();
  EXPECT_CODE(agent::ParseAgentReply(key_reply), kCorruption);
  EXPECT_CODE(agent::ParseAgentReply(Bytes{}), kCorruption);
  EXPECT_CODE(agent::ParseAgentReply(Bytes{'Z'}), kCorruption);
  EXPECT_CODE(agent::ParseAgentReply(Bytes{agent::kReplyNoKey, 0}), kCorruption);
  EXPECT_CODE(agent::ParseAgentReply(Bytes{agent::kReplyState, 0, 0}), kCorruption);
  Bytes zero_pid(13, 0);
  zero_pid[0] = agent::kReplyState;
  EXPECT_CODE(agent::ParseAgentReply(zero_pid), kCorruption);
}

TEST(AgentStartReportTest, ReadyGivesThePidAndAnythingElseIsAFailedStart) {
  ASSERT_OK_AND_ASSIGN(int pid, agent::ParseStartReport("ready 321\n"));
  EXPECT_EQ(pid, 321);
  EXPECT_REASON(agent::ParseStartReport("failed bind: Permission denied\n"), kIoError,
                AgentReason::kStartFailed);
  for (std::string_view odd :
       {"", "ready", "ready -1", "ready 12x", "ready 99999999999", "hello"}) {
    SCOPED_TRACE(odd);
    EXPECT_REASON(agent::ParseStartReport(odd), kIoError, AgentReason::kStartFailed);
  }
}

TEST(AgentPlaceTest, OneSocketPerHomeInTheRuntimeFolderElseTmp) {
  ASSERT_OK_AND_ASSIGN(AgentPlace place, AgentPlaceFor(Home("/home/sam/j"), "/run/user/1000"));
  EXPECT_EQ(place.folder, "/run/user/1000/attune");
  EXPECT_TRUE(place.socket.starts_with("/run/user/1000/attune/home-")) << place.socket;
  EXPECT_TRUE(place.socket.ends_with(".sock"));
  EXPECT_EQ(place.lock.substr(0, place.lock.size() - 5),
            place.socket.substr(0, place.socket.size() - 5));

  ASSERT_OK_AND_ASSIGN(AgentPlace same, AgentPlaceFor(Home("/home/sam/x/../j/"), "/run/user/1000"));
  EXPECT_EQ(same.socket, place.socket) << "the same home, spelled another way";
  ASSERT_OK_AND_ASSIGN(AgentPlace other, AgentPlaceFor(Home("/home/sam/k"), "/run/user/1000"));
  EXPECT_NE(other.socket, place.socket);

  for (const std::optional<std::string>& none :
       {std::optional<std::string>(), std::optional<std::string>("")}) {
    ASSERT_OK_AND_ASSIGN(AgentPlace fallback, AgentPlaceFor(Home("/home/sam/j"), none));
    EXPECT_EQ(fallback.folder, "/tmp/attune-" + std::to_string(::geteuid()));
  }
  EXPECT_CODE(AgentPlaceFor(Home("/j"), std::string(120, 'r')), kIoError);
}

using HeldKeyTest = JournalTest;

TEST_F(HeldKeyTest, TheJournalOpensWithItsOwnKeyOnly) {
  ASSERT_NO_FATAL_FAILURE(InitJournal());
  ASSERT_OK(AddEntry("note", "kept").status());
  Secret key = journal().CopyDataKey();
  CloseJournal();
  ASSERT_OK_AND_ASSIGN(Journal opened, Journal::OpenWithDataKey(home_, std::move(key), clock_));
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> entries, opened.List({}));
  EXPECT_EQ(entries.size(), 1u);

  EXPECT_REASON(Journal::OpenWithDataKey(home_, crypto::RandomSecret(agent::kKeyBytes), clock_),
                kCorruption, JournalReason::kKeyCheckFailed);
}

}  // namespace
}  // namespace attune::node::testing
