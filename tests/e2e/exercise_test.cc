// Shared exercises between two real attune processes (issue 20): an exercise asked, answered by
// both in either order, revealed to both; one answer given, the link dropped, the other given,
// and the reveal completing on reconnect; and what a person can and cannot do with them.
#include <csignal>
#include <map>
#include <optional>

#include "tests/e2e/partners.h"

namespace attune::e2e {
namespace {

class ExerciseTest : public PartnersTest {
 protected:
  void SetUp() override {
    PartnersTest::SetUp();
    ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  }

  // `together exercises --json` in `home`: the exercise `id` ({} if absent).
  nlohmann::json ExerciseAt(const std::string& home, const std::string& id) {
    for (const nlohmann::json& exercise : JsonAt(home, {"together", "exercises"})) {
      if (exercise["id"] == id) return exercise;
    }
    return nlohmann::json::object();
  }

  std::string AskAt(const std::string& home, const std::string& exercise) {
    const nlohmann::json asked = JsonAt(home, {"together", "ask", exercise});
    return asked.value("id", "");
  }

  nlohmann::json AnswerAt(const std::string& home, const std::string& id,
                          const std::string& answer) {
    return JsonAt(home, {"together", "answer", id.substr(0, 8), answer});
  }

  bool StageIs(const std::string& home, const std::string& id, const std::string& stage) {
    return ExerciseAt(home, id).value("stage", "") == stage;
  }
};

TEST_F(ExerciseTest, BothAnswerInEitherOrderAndEachSeesBothOnlyThen) {
  for (const bool alex_first : {true, false}) {
    SCOPED_TRACE(alex_first ? "Alex answers first" : "Sam answers first");
    const std::string id = AskAt(alex_, "guess-style");
    ASSERT_EQ(id.size(), 32u);
    ASSERT_EQ(SyncThroughServe(sam_, alex_).exit_code, kExitOk);
    ASSERT_EQ(ExerciseAt(sam_, id).value("exercise", ""), "guess-style");
    EXPECT_EQ(ExerciseAt(sam_, id)["started_by"], "partner");

    const std::string& first = alex_first ? alex_ : sam_;
    const std::string& second = alex_first ? sam_ : alex_;
    const std::string first_answer = alex_first ? "Alex thinks: anxious" : "Sam thinks: secure";
    EXPECT_EQ(AnswerAt(first, id, first_answer)["stage"], "waiting_for_partner");
    ASSERT_EQ(SyncThroughServe(sam_, alex_).exit_code, kExitOk);
    // The other side knows an answer exists, and nothing of it.
    const nlohmann::json waiting = ExerciseAt(second, id);
    EXPECT_EQ(waiting["stage"], "waiting_for_you");
    EXPECT_TRUE(waiting["partner_answer"].is_null());
    EXPECT_FALSE(Contains(RunAt(second, {"together", "exercises"}).out, first_answer));

    AnswerAt(second, id, alex_first ? "Sam thinks: avoidant" : "Alex thinks: fearful");
    // The commitments cross, then the reveals: a sync or two.
    for (int round = 0;
         round < 3 && !(StageIs(alex_, id, "revealed") && StageIs(sam_, id, "revealed")); ++round) {
      ASSERT_EQ(SyncThroughServe(sam_, alex_).exit_code, kExitOk);
    }
    const nlohmann::json alex = ExerciseAt(alex_, id), sam = ExerciseAt(sam_, id);
    ASSERT_EQ(alex["stage"], "revealed") << alex;
    ASSERT_EQ(sam["stage"], "revealed") << sam;
    EXPECT_EQ(alex["partner_answer"], sam["my_answer"]);
    EXPECT_EQ(sam["partner_answer"], alex["my_answer"]);
    EXPECT_TRUE(Contains(RunAt(sam_, {"together"}).out, alex["my_answer"].get<std::string>()));
  }
}

TEST_F(ExerciseTest, TheRevealCompletesWhenTheDroppedLinkComesBack) {
  BackgroundProcess sam_serve = Serve(sam_);
  std::optional<BackgroundProcess> alex_serve(Serve(alex_));
  const std::string id = AskAt(alex_, "check-in");
  ASSERT_TRUE(Eventually([&] { return StageIs(sam_, id, "waiting_for_both"); }, kArrival));
  AnswerAt(sam_, id, "good: the walk; hard: Tuesday; ahead: one quiet evening");
  ASSERT_TRUE(Eventually([&] { return StageIs(alex_, id, "waiting_for_you"); }, kArrival));

  // The link drops, as when a laptop's lid closes; Alex answers meanwhile.
  alex_serve->Signal(SIGKILL);
  alex_serve->Wait(kStep);
  alex_serve.reset();
  AnswerAt(alex_, id, "good: Sunday; hard: work; ahead: more walks");
  EXPECT_TRUE(StageIs(alex_, id, "revealing"));
  EXPECT_TRUE(ExerciseAt(sam_, id)["partner_answer"].is_null());

  alex_serve.emplace(Serve(alex_));
  EXPECT_TRUE(Eventually(
      [&] { return StageIs(alex_, id, "revealed") && StageIs(sam_, id, "revealed"); }, kArrival));
  EXPECT_EQ(ExerciseAt(sam_, id)["partner_answer"], "good: Sunday; hard: work; ahead: more walks");
  EXPECT_EQ(ExerciseAt(alex_, id)["partner_answer"],
            "good: the walk; hard: Tuesday; ahead: one quiet evening");
  Stop(*alex_serve);
  Stop(sam_serve);
}

TEST_F(ExerciseTest, AnAnswerIsGivenOnceAndOnlyTheStarterWithdraws) {
  const std::string id = AskAt(alex_, "one-upside");
  AnswerAt(alex_, id, "you notice when I am tired");
  const RunResult again =
      RunAt(alex_, {"together", "answer", id.substr(0, 8), "changed", "--json"});
  EXPECT_EQ(again.exit_code, kExitUsage) << again;
  EXPECT_EQ(FailureReason(again), "exercise_already_answered");

  ASSERT_EQ(SyncThroughServe(sam_, alex_).exit_code, kExitOk);
  const RunResult not_theirs = RunAt(sam_, {"together", "withdraw", id.substr(0, 8), "--json"});
  EXPECT_EQ(not_theirs.exit_code, kExitUsage) << not_theirs;
  EXPECT_EQ(FailureReason(not_theirs), "exercise_not_yours");

  EXPECT_EQ(JsonAt(alex_, {"together", "withdraw", id.substr(0, 8)})["stage"], "withdrawn");
  ASSERT_EQ(SyncThroughServe(sam_, alex_).exit_code, kExitOk);
  EXPECT_TRUE(StageIs(sam_, id, "withdrawn"));
  const RunResult late = RunAt(sam_, {"together", "answer", id.substr(0, 8), "late", "--json"});
  EXPECT_EQ(FailureReason(late), "exercise_over") << late;
  EXPECT_TRUE(ExerciseAt(sam_, id)["partner_answer"].is_null());

  const RunResult unknown = RunAt(alex_, {"together", "ask", "nonsense", "--json"});
  EXPECT_EQ(FailureReason(unknown), "unknown_exercise") << unknown;
  EXPECT_TRUE(Contains(RunAt(alex_, {"together", "ask"}).out, "check-in"));
}

// `together answer` resolves the id once, before it reads the answer: an id that names no
// exercise, or several, fails at once (here with nothing on standard input, which would
// otherwise be an empty answer), and the full id answers that very exercise.
TEST_F(ExerciseTest, AnAnswersIdIsResolvedBeforeItsTextIsRead) {
  const RunResult unknown = RunAt(alex_, {"together", "answer", "ffff", "--json"});
  EXPECT_EQ(unknown.exit_code, kExitNotFound) << unknown;
  EXPECT_EQ(FailureReason(unknown), "no_such_exercise") << unknown;

  std::map<char, std::string> by_first_digit;
  char shared = 0;
  for (int asked = 0; asked < 17 && shared == 0; ++asked) {  // 16 digits: two share one by then
    const std::string id = AskAt(alex_, "check-in");
    ASSERT_EQ(id.size(), 32u);
    if (by_first_digit.contains(id[0])) shared = id[0];
    by_first_digit[id[0]] = id;
  }
  ASSERT_NE(shared, 0);
  const RunResult ambiguous =
      RunAt(alex_, {"together", "answer", std::string(1, shared), "--json"});
  EXPECT_EQ(ambiguous.exit_code, kExitAmbiguous) << ambiguous;
  EXPECT_EQ(FailureReason(ambiguous), "ambiguous_id") << ambiguous;

  const std::string& id = by_first_digit[shared];
  const RunResult answered = RunAt(alex_, {"together", "answer", id, "--json"}, "good: the walk\n");
  ASSERT_EQ(answered.exit_code, kExitOk) << answered;
  EXPECT_EQ(ExerciseAt(alex_, id)["my_answer"], "good: the walk");
  EXPECT_EQ(ExerciseAt(alex_, id)["stage"], "waiting_for_partner");
}

}  // namespace
}  // namespace attune::e2e
