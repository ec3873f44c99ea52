// Exercises and a partner whose attune predates them (issue 20): a node as it stood after
// issue 8, speaking only the message set of then (sync/1 and ping/1), emulated in-process with
// that Hello. The real node (A, serving) holds an exercise asked and answered, and an ordinary
// shared entry. The older node syncs the entry and receives no Exercise message, ever; an
// Exercise message it sends anyway is skipped, and the session goes on.
#include <gtest/gtest.h>

#include "node/exercises.h"
#include "tests/common/status_assertions.h"
#include "tests/link/hostile_peer.h"

namespace attune::link_testing {
namespace {

// The message set a node spoke after issue 8: sync and pings.
const std::vector<std::string> kIssue8Features = {std::string(protocol::kFeatureSync),
                                                  std::string(protocol::kFeaturePing)};

using ExerciseFeaturesTest = HostilePeerTest;

TEST_F(ExerciseFeaturesTest, AnOlderNodeSyncsEntriesAndNeverReceivesAnExercise) {
  node::Exercises exercises(*a_.journal);
  ASSERT_OK_AND_ASSIGN(node::ExerciseView asked, exercises.Ask("check-in"));
  ASSERT_OK(exercises.Answer(asked.id, "good: the walk").status());
  Serve();

  std::unique_ptr<HostilePeer> older = ConnectAsPartner({.features = kIssue8Features});
  ASSERT_NE(older, nullptr);
  EXPECT_EQ(older->server_hello().features, protocol::SupportedFeatures());
  ASSERT_TRUE(OpenSync(*older).has_value());
  // Everything A sends until the peer has seen its whole log: batches, and no exercise.
  bool caught_up = false;
  while (!caught_up) {
    std::optional<protocol::Message> message = older->Receive();
    ASSERT_TRUE(message.has_value()) << "A stopped sending before its log was through";
    ASSERT_FALSE(std::holds_alternative<protocol::ExerciseMessage>(*message))
        << "an exercise went to a node that never said it speaks exercise/1";
    if (const auto* batch = std::get_if<protocol::SyncBatchMessage>(&*message)) {
      caught_up = batch->caught_up;
      older->Send(protocol::SyncAckMessage{batch->epoch, batch->batch_number,
                                           batch->records.empty() ? 0 : batch->records.back().seq});
    }
  }
  // An exercise message anyway, not agreed: skipped, and the link goes on.
  older->Send(protocol::ExerciseMessage{.kind = protocol::ExerciseMessage::Kind::kAsk,
                                        .exercise_id = NewEntryId(),
                                        .exercise = "guess-style"});
  ExpectAnswersPings(*older);
  ASSERT_OK_AND_ASSIGN(std::vector<node::ExerciseView> listed, exercises.List());
  ASSERT_EQ(listed.size(), 1u) << "the unagreed ask started nothing";
  EXPECT_EQ(listed[0].stage, node::ExerciseStage::kWaitingForPartner);
  older->Send(protocol::GoodbyeMessage{});
  // A remembers, for its person, that the partner's attune does not do exercises yet, and that
  // it sent something A could not take (the unagreed ask).
  EXPECT_TRUE(serve_->WaitForEvents(
      [](const node::ServeEvent& event) {
        return event.kind == node::ServeEventKind::kSessionEnded;
      },
      1));
  ASSERT_OK_AND_ASSIGN(node::PartnerSoftware seen, exercises.Partner());
  EXPECT_TRUE(seen.lacks_exercises);
  EXPECT_TRUE(seen.sent_unknown);
  ExpectOwnEntriesUnchanged();
}

TEST_F(ExerciseFeaturesTest, ANodeThatSpeaksExercisesGetsTheAskAndTheCommitmentOnly) {
  node::Exercises exercises(*a_.journal);
  ASSERT_OK_AND_ASSIGN(node::ExerciseView asked, exercises.Ask("same-moment"));
  ASSERT_OK(exercises.Answer(asked.id, "I feel unsure when plans drift").status());
  Serve();
  std::unique_ptr<HostilePeer> newer = ConnectAsPartner();
  ASSERT_NE(newer, nullptr);
  std::optional<protocol::ExerciseMessage> ask = newer->ReceiveA<protocol::ExerciseMessage>();
  ASSERT_TRUE(ask.has_value());
  EXPECT_EQ(ask->kind, protocol::ExerciseMessage::Kind::kAsk);
  std::optional<protocol::ExerciseMessage> commit = newer->ReceiveA<protocol::ExerciseMessage>();
  ASSERT_TRUE(commit.has_value());
  EXPECT_EQ(commit->kind, protocol::ExerciseMessage::Kind::kCommit);
  EXPECT_EQ(commit->commitment.size(), 32u);
  EXPECT_TRUE(commit->answer.empty());
  // Nothing more about it: no reveal before this side committed. A ping marks the end of what A
  // had to say (it answers in order).
  newer->Send(protocol::PingMessage{0x99});
  for (;;) {
    std::optional<protocol::Message> next = newer->Receive();
    ASSERT_TRUE(next.has_value());
    if (std::holds_alternative<protocol::PongMessage>(*next)) break;
    if (const auto* more = std::get_if<protocol::ExerciseMessage>(&*next)) {
      EXPECT_NE(more->kind, protocol::ExerciseMessage::Kind::kReveal) << "an answer left early";
    }
  }
}

}  // namespace
}  // namespace attune::link_testing
