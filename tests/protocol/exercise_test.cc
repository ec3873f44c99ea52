// The commit and reveal exchange of a shared exercise (protocol/exercise.h), without I/O: every
// order of arrival of two partners' answers, duplicates, a reveal that does not open its
// commitment, copied and changed commitments, withdrawal at every point, and a connection cut at
// every message boundary. Throughout, the one promise: no answer reaches the partner before both
// commitments are held, and none changes after.
#include "protocol/exercise.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <set>
#include <string>

#include "crypto/commitment.h"
#include "tests/common/status_assertions.h"

namespace attune::protocol {
namespace {

using Kind = ExerciseMessage::Kind;
using Messages = std::vector<ExerciseMessage>;

const Bytes kJoKey(32, 0x11);
const Bytes kKaiKey(32, 0x22);
constexpr const char* kId = "3f2a9c0e5b7d41a8b6c2d9e0f1a2b3c4";

Bytes Opening(uint8_t fill) {
  return Bytes(crypto::kOpeningBytes, fill);
}

// Two partners and the two directions of their stream (in order, as a session delivers).
struct Couple {
  ExerciseExchange jo{ExerciseState{}, kJoKey, kKaiKey};
  ExerciseExchange kai{ExerciseState{}, kKaiKey, kJoKey};
  std::deque<ExerciseMessage> to_kai;
  std::deque<ExerciseMessage> to_jo;
  bool kai_knows = false;  // Kai has received the ask

  Couple() {
    auto [state, ask] = ExerciseExchange::Ask(kId, "guess-style");
    jo = ExerciseExchange(std::move(state), kJoKey, kKaiKey);
    to_kai.push_back(ask);
  }

  static void Queue(std::deque<ExerciseMessage>& queue, const Messages& out) {
    for (const ExerciseMessage& message : out) queue.push_back(message);
  }

  // The promise, checked at each message as it arrives: a reveal reaches a side only once that
  // side has answered (bound its own) and the sender held both commitments.
  static void CheckArrival(const ExerciseMessage& message, const ExerciseExchange& receiver) {
    if (message.kind != Kind::kReveal) return;
    EXPECT_TRUE(receiver.state().my_answer.has_value()) << "an answer arrived before ours";
    EXPECT_FALSE(receiver.state().my_commitment.empty());
  }

  void DeliverToKai() {
    const ExerciseMessage message = to_kai.front();
    to_kai.pop_front();
    if (!kai_knows) {
      ASSERT_EQ(message.kind, Kind::kAsk);
      kai = ExerciseExchange(ExerciseExchange::Asked(message), kKaiKey, kJoKey);
      kai_knows = true;
      return;
    }
    CheckArrival(message, kai);
    ASSERT_OK_AND_ASSIGN(Messages out, kai.Receive(message));
    Queue(to_jo, out);
  }

  void DeliverToJo() {
    const ExerciseMessage message = to_jo.front();
    to_jo.pop_front();
    CheckArrival(message, jo);
    ASSERT_OK_AND_ASSIGN(Messages out, jo.Receive(message));
    Queue(to_kai, out);
  }

  void JoAnswers(const std::string& answer = "anxious") {
    ASSERT_OK_AND_ASSIGN(Messages out, jo.Answer(answer, Opening(1)));
    Queue(to_kai, out);
  }

  void KaiAnswers(const std::string& answer = "secure") {
    ASSERT_OK_AND_ASSIGN(Messages out, kai.Answer(answer, Opening(2)));
    Queue(to_jo, out);
  }

  void DeliverAll() {
    while (!to_kai.empty() || !to_jo.empty()) {
      if (!to_kai.empty()) DeliverToKai();
      if (!to_jo.empty()) DeliverToJo();
    }
  }

  // A cut connection: whatever was in flight is lost; both sides send again what the other may
  // lack.
  void CutAndReconnect() {
    to_kai.clear();
    to_jo.clear();
    Queue(to_kai, jo.Resend());
    if (kai_knows) Queue(to_jo, kai.Resend());
  }

  void ExpectRevealed() const {
    EXPECT_EQ(jo.state().phase, ExercisePhase::kRevealed);
    EXPECT_EQ(kai.state().phase, ExercisePhase::kRevealed);
    EXPECT_EQ(jo.state().partner_answer, "secure");
    EXPECT_EQ(kai.state().partner_answer, "anxious");
  }
};

// The steps of one run, in some order: J = Jo answers, K = Kai answers (once Kai knows of it),
// j = deliver the next message to Jo, k = to Kai.
using Step = char;

bool Enabled(const Couple& couple, Step step, bool jo_answered, bool kai_answered) {
  switch (step) {
    case 'J':
      return !jo_answered;
    case 'K':
      return !kai_answered && couple.kai_knows;
    case 'j':
      return !couple.to_jo.empty();
    default:
      return !couple.to_kai.empty();
  }
}

void Apply(Couple& couple, Step step) {
  switch (step) {
    case 'J':
      return couple.JoAnswers();
    case 'K':
      return couple.KaiAnswers();
    case 'j':
      return couple.DeliverToJo();
    default:
      return couple.DeliverToKai();
  }
}

// Every interleaving of answers and deliveries; `at_end` sees each finished run.
void EveryOrder(Couple couple, bool jo_answered, bool kai_answered, std::string path,
                const std::function<void(Couple&, const std::string&)>& at_end) {
  bool any = false;
  for (Step step : {'J', 'K', 'j', 'k'}) {
    if (!Enabled(couple, step, jo_answered, kai_answered)) continue;
    any = true;
    Couple next = couple;
    Apply(next, step);
    if (::testing::Test::HasFatalFailure()) return;
    EveryOrder(std::move(next), jo_answered || step == 'J', kai_answered || step == 'K',
               path + step, at_end);
  }
  if (!any) at_end(couple, path);
}

TEST(ExerciseRevealTest, EveryOrderOfArrivalRevealsBothAndNeverEarly) {
  std::set<std::string> runs;
  EveryOrder(Couple(), false, false, "", [&runs](Couple& couple, const std::string& path) {
    SCOPED_TRACE(path);
    couple.ExpectRevealed();
    runs.insert(path);
  });
  // The search covers both orders of answering, before and after the ask arrives.
  auto any = [&runs](auto predicate) { return std::any_of(runs.begin(), runs.end(), predicate); };
  EXPECT_TRUE(any([](const std::string& p) { return p.find('J') < p.find('K'); }));
  EXPECT_TRUE(any([](const std::string& p) { return p.find('K') < p.find('J'); }));
  EXPECT_TRUE(any([](const std::string& p) { return p.find('J') < p.find('k'); }));
  EXPECT_EQ(runs.size(), 18u) << "every interleaving of this exchange";
}

TEST(ExerciseRevealTest, EveryMessageTwiceChangesNothing) {
  Couple couple;
  couple.DeliverToKai();
  couple.JoAnswers();
  couple.KaiAnswers();
  // Each message is delivered, then delivered again.
  while (!couple.to_kai.empty() || !couple.to_jo.empty()) {
    if (!couple.to_kai.empty()) {
      couple.to_kai.insert(couple.to_kai.begin() + 1, couple.to_kai.front());
      couple.DeliverToKai();
      couple.DeliverToKai();
    }
    if (!couple.to_jo.empty()) {
      couple.to_jo.insert(couple.to_jo.begin() + 1, couple.to_jo.front());
      couple.DeliverToJo();
      couple.DeliverToJo();
    }
  }
  couple.ExpectRevealed();
}

TEST(ExerciseRevealTest, AConnectionCutAtEveryMessageBoundaryStillReveals) {
  // Count the deliveries of one plain run, then cut after each of them in turn.
  for (int cut_after = 0; cut_after < 8; ++cut_after) {
    SCOPED_TRACE("cut after " + std::to_string(cut_after) + " deliveries");
    Couple couple;
    couple.DeliverToKai();
    couple.JoAnswers();
    couple.KaiAnswers();
    int delivered = 0;
    while ((!couple.to_kai.empty() || !couple.to_jo.empty()) && delivered < cut_after) {
      if (!couple.to_jo.empty()) {
        couple.DeliverToJo();
      } else {
        couple.DeliverToKai();
      }
      ++delivered;
    }
    couple.CutAndReconnect();
    couple.DeliverAll();
    couple.ExpectRevealed();
  }
}

TEST(ExerciseRevealTest, ARevealThatDoesNotOpenItsCommitmentIsAMismatch) {
  Couple couple;
  couple.DeliverToKai();
  couple.JoAnswers();
  couple.KaiAnswers();
  couple.DeliverToKai();  // Jo's commitment: Kai reveals
  couple.DeliverToJo();   // Kai's commitment: Jo reveals
  ASSERT_EQ(couple.to_jo.front().kind, Kind::kReveal);
  for (auto change :
       {std::function<void(ExerciseMessage&)>([](ExerciseMessage& m) { m.answer = "avoidant"; }),
        std::function<void(ExerciseMessage&)>([](ExerciseMessage& m) { m.opening[0] ^= 1; })}) {
    Couple changed = couple;
    change(changed.to_jo.front());
    changed.DeliverAll();
    EXPECT_EQ(changed.jo.state().phase, ExercisePhase::kMismatch);
    EXPECT_FALSE(changed.jo.state().partner_answer.has_value());
    // And the true reveal, arriving after, does not undo the verdict.
    ASSERT_OK(changed.jo.Receive(couple.to_jo.front()).status());
    EXPECT_EQ(changed.jo.state().phase, ExercisePhase::kMismatch);
  }
}

TEST(ExerciseCommitTest, ACopyOfOurOwnCommitmentIsRefused) {
  Couple couple;
  couple.DeliverToKai();
  couple.JoAnswers();
  const ExerciseState before = couple.jo.state();
  ExerciseMessage copied{
      .kind = Kind::kCommit, .exercise_id = kId, .commitment = before.my_commitment};
  EXPECT_CODE(couple.jo.Receive(copied), kProtocolError);
  EXPECT_EQ(couple.jo.state(), before);
}

TEST(ExerciseCommitTest, ASecondDifferentCommitmentIsRefused) {
  Couple couple;
  couple.DeliverToKai();
  couple.KaiAnswers();
  couple.DeliverToJo();
  const ExerciseState before = couple.jo.state();
  ExerciseMessage changed{.kind = Kind::kCommit,
                          .exercise_id = kId,
                          .commitment = crypto::Commit(kId, kKaiKey, Opening(9),
                                                       AsBytes(std::string_view("avoidant")))};
  EXPECT_CODE(couple.jo.Receive(changed), kProtocolError);
  EXPECT_EQ(couple.jo.state(), before);
}

TEST(ExerciseCommitTest, ARevealOutOfTurnIsAProtocolError) {
  Couple couple;
  couple.DeliverToKai();
  const ExerciseMessage reveal{
      .kind = Kind::kReveal, .exercise_id = kId, .opening = Opening(2), .answer = "secure"};
  EXPECT_CODE(couple.jo.Receive(reveal), kProtocolError);  // no commitment yet
  couple.KaiAnswers();
  couple.DeliverToJo();
  EXPECT_CODE(couple.jo.Receive(reveal), kProtocolError);  // Jo has not answered
  EXPECT_FALSE(couple.jo.state().partner_answer.has_value());
  ExerciseMessage elsewhere = reveal;
  elsewhere.exercise_id = "another";
  EXPECT_CODE(couple.jo.Receive(elsewhere), kProtocolError);
}

TEST(ExerciseCommitTest, AnAnswerIsGivenOnce) {
  Couple couple;
  couple.JoAnswers();
  EXPECT_CODE(couple.jo.Answer("secure", Opening(3)), kInvalidArgument);
  EXPECT_EQ(couple.jo.state().my_answer, "anxious");
  EXPECT_CODE(couple.kai.Answer("x", Bytes(5)), kInvalidArgument);
}

// The starter withdraws after each prefix of a run; from then on no reveal of Jo's leaves, Kai's
// side ends withdrawn, and Kai's answer reaches Jo only if Jo had bound its own first.
TEST(ExerciseWithdrawTest, TheStarterWithdrawsAtEveryPointBeforeBothHaveAnswered) {
  const std::string run = "kJKkjjkk";  // deliver ask, both answer, then the exchange
  for (size_t prefix = 0; prefix <= run.size(); ++prefix) {
    SCOPED_TRACE("withdrawn after " + run.substr(0, prefix));
    Couple couple;
    bool jo_answered = false, kai_answered = false;
    for (size_t i = 0; i < prefix; ++i) {
      if (!Enabled(couple, run[i], jo_answered, kai_answered)) continue;
      Apply(couple, run[i]);
      jo_answered = jo_answered || run[i] == 'J';
      kai_answered = kai_answered || run[i] == 'K';
    }
    const bool both_held =
        couple.jo.state().my_answer.has_value() && !couple.jo.state().partner_commitment.empty();
    Result<Messages> withdrawn = couple.jo.Withdraw();
    if (both_held) {
      EXPECT_CODE(withdrawn, kInvalidArgument);
      continue;
    }
    ASSERT_OK(withdrawn.status());
    Couple::Queue(couple.to_kai, *withdrawn);
    couple.DeliverAll();
    EXPECT_EQ(couple.jo.state().phase, ExercisePhase::kWithdrawn);
    EXPECT_EQ(couple.kai.state().phase, ExercisePhase::kWithdrawn);
    EXPECT_FALSE(couple.kai.state().partner_answer.has_value()) << "Jo's answer reached Kai";
    EXPECT_CODE(couple.jo.Answer("late", Opening(4)), kInvalidArgument);
    for (const ExerciseMessage& again : couple.jo.Resend()) {
      EXPECT_NE(again.kind, Kind::kReveal);
    }
  }
}

TEST(ExerciseWithdrawTest, OnlyTheStarterWithdraws) {
  Couple couple;
  couple.DeliverToKai();
  EXPECT_CODE(couple.kai.Withdraw(), kInvalidArgument);
  const ExerciseMessage forged{.kind = Kind::kWithdraw, .exercise_id = kId};
  EXPECT_CODE(couple.jo.Receive(forged), kProtocolError);
  EXPECT_EQ(couple.jo.state().phase, ExercisePhase::kOpen);
}

}  // namespace
}  // namespace attune::protocol
