// The page's JSON API over a real journal (docs/ui.md, "Routes"): the journal's own rules and
// outcomes, as codes and JSON fields.
#include "node/ui/ui_api.h"

#include <gtest/gtest.h>

#include <string>

#include "node/exercises.h"
#include "node/journal/exercise_link.h"
#include "node/ui.h"
#include "steps/exercises.h"
#include "tests/node/node_test_util.h"

namespace attune::node::ui {
namespace {

using nlohmann::json;
using testing::JournalTest;

class UiApiTest : public JournalTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(InitJournal());
    api_.emplace(journal());
  }

  // Asks `method target` with `body`, as the server would once the guard let it through.
  Result<ApiAnswer> Ask(std::string_view method, std::string_view target,
                        const json& body = json::object()) {
    const RequestFacts facts{.method = method,
                             .target = target,
                             .host = "127.0.0.1:1",
                             .origin = "http://127.0.0.1:1",
                             .cookie = "attune_session_1=s"};
    decision_ = Check(facts, {.host = "127.0.0.1:1",
                              .origin = "http://127.0.0.1:1",
                              .token = "t",
                              .session = "s",
                              .cookie_name = "attune_session_1"});
    EXPECT_TRUE(decision_.refusal.ok()) << target << ": " << decision_.refusal.detail();
    if (!decision_.refusal.ok()) return decision_.refusal;
    return api_->Answer(decision_, body.empty() ? "" : body.dump(), link_, 15);
  }

  json Body(std::string_view method, std::string_view target, const json& body = json::object()) {
    Result<ApiAnswer> answer = Ask(method, target, body);
    EXPECT_OK(answer.status());
    return answer.ok() ? answer->body : json();
  }

  std::string AddAndGetId(std::string kind, std::string text, json tags = json::array()) {
    json entry = Body("POST", "/api/entries", {{"kind", kind}, {"text", text}, {"tags", tags}});
    return entry["entry"].value("id", "");
  }

  std::optional<Api> api_;
  Decision decision_;
  LinkView link_;
};

TEST_F(UiApiTest, AnEntryAddedIsListedPrivateWithItsShortId) {
  Result<ApiAnswer> added =
      Ask("POST", "/api/entries",
          {{"kind", "trigger"}, {"text", "Plans change late."}, {"tags", {"plans"}}});
  ASSERT_OK(added.status());
  EXPECT_EQ(added->status, 201);
  const json entry = added->body["entry"];
  EXPECT_EQ(entry["kind"], "trigger");
  EXPECT_EQ(entry["step"], 4);
  EXPECT_EQ(entry["visibility"], "private");
  EXPECT_TRUE(entry["delivery"].is_null());
  EXPECT_EQ(entry["id"].get<std::string>().substr(0, 6), entry["short_id"].get<std::string>());
  const json list = Body("GET", "/api/entries");
  ASSERT_EQ(list["entries"].size(), 1u);
  EXPECT_EQ(list["entries"][0]["text"], "Plans change late.");
}

TEST_F(UiApiTest, FiltersNarrowTheList) {
  AddAndGetId("trigger", "When plans change at the last minute.", {"plans"});
  AddAndGetId("need", "A quiet hour after work.", {"evening"});
  AddAndGetId("upside", "I notice when someone is hurting.");
  EXPECT_EQ(Body("GET", "/api/entries?kind=need")["entries"].size(), 1u);
  EXPECT_EQ(Body("GET", "/api/entries?step=4")["entries"].size(), 1u);
  EXPECT_EQ(Body("GET", "/api/entries?tag=evening")["entries"].size(), 1u);
  EXPECT_EQ(Body("GET", "/api/entries?q=PLANS+minute")["entries"].size(), 1u);
  EXPECT_EQ(Body("GET", "/api/entries?q=evening")["entries"].size(), 1u);  // a tag matches
  EXPECT_EQ(Body("GET", "/api/entries?q=nowhere")["entries"].size(), 0u);
  EXPECT_EQ(Body("GET", "/api/entries?since=2030-01-01T00:00:00Z")["entries"].size(), 0u);
  EXPECT_EQ(Body("GET", "/api/entries?author=partner")["entries"].size(), 0u);
  EXPECT_EQ(Body("GET", "/api/entries?author=all")["entries"].size(), 3u);
}

TEST_F(UiApiTest, ALimitGivesTheNewestOfTheMatchesAndTheirTotal) {
  const std::string first = AddAndGetId("trigger", "One.");
  clock_.Advance(60'000);
  const std::string second = AddAndGetId("trigger", "Two.");
  clock_.Advance(60'000);
  const std::string third = AddAndGetId("need", "Three.");
  const json newest_two = Body("GET", "/api/entries?limit=2");
  ASSERT_EQ(newest_two["entries"].size(), 2u);
  EXPECT_EQ(newest_two["entries"][0]["id"], second);  // still oldest first
  EXPECT_EQ(newest_two["entries"][1]["id"], third);
  EXPECT_EQ(newest_two["total"], 3);
  const json triggers = Body("GET", "/api/entries?kind=trigger&limit=1");
  ASSERT_EQ(triggers["entries"].size(), 1u);
  EXPECT_EQ(triggers["entries"][0]["id"], second);
  EXPECT_EQ(triggers["total"], 2);
  const json all = Body("GET", "/api/entries?limit=50");
  ASSERT_EQ(all["entries"].size(), 3u);
  EXPECT_EQ(all["entries"][0]["id"], first);
  EXPECT_EQ(Body("GET", "/api/entries")["total"], 3);
}

TEST_F(UiApiTest, BadFiltersAreRefusedAsBadRequests) {
  for (std::string_view target :
       {"/api/entries?author=someone", "/api/entries?step=10", "/api/entries?since=yesterday",
        "/api/entries?limit=0", "/api/entries?limit=-1", "/api/entries?limit=ten",
        "/api/entries?limit=5x", "/api/entries?limit=99999999999999999999999"}) {
    Result<ApiAnswer> answer = Ask("GET", target);
    EXPECT_TRUE(answer.status().Is(UiReason::kBadRequest)) << target;
  }
}

TEST_F(UiApiTest, ABodyThatIsNotTheObjectExpectedIsRefused) {
  const RequestFacts facts{.method = "POST",
                           .target = "/api/entries",
                           .host = "127.0.0.1:1",
                           .origin = "http://127.0.0.1:1",
                           .cookie = "attune_session_1=s"};
  Decision decision = Check(facts, {.host = "127.0.0.1:1",
                                    .origin = "http://127.0.0.1:1",
                                    .token = "t",
                                    .session = "s",
                                    .cookie_name = "attune_session_1"});
  for (std::string_view body : {"[1,2]", "not json", "\"text\"", "{\"kind\": 4}",
                                "{\"kind\": \"note\", \"text\": \"x\", \"tags\": \"a\"}"}) {
    Result<ApiAnswer> answer = api_->Answer(decision, body, link_, 15);
    EXPECT_TRUE(answer.status().Is(UiReason::kBadRequest)) << body;
  }
  // The journal's own checks still apply to a well-formed body.
  Result<ApiAnswer> unknown_kind =
      api_->Answer(decision, R"({"kind": "wish", "text": "x"})", link_, 15);
  EXPECT_CODE(unknown_kind.status(), kInvalidArgument);
  EXPECT_EQ(Body("GET", "/api/entries")["entries"].size(), 0u);
}

TEST_F(UiApiTest, AStatementIsComposedAsTheCommandLineComposesIt) {
  const json checked = Body("POST", "/api/statement/check",
                            {{"feel", "lonely"}, {"when", "you never call"}, {"need", ""}});
  EXPECT_FALSE(checked["complete"].get<bool>());
  ASSERT_FALSE(checked["notes"].empty());
  EXPECT_EQ(checked["notes"][0]["found"], "never");
  EXPECT_FALSE(checked["safety_concern"].get<bool>());
  const json afraid = Body("POST", "/api/statement/check",
                           {{"feel", "afraid of you"}, {"when", "you never call"}, {"need", ""}});
  EXPECT_TRUE(afraid["safety_concern"].get<bool>());
  EXPECT_TRUE(afraid["notes"].empty()) << "no rewording for fear of the partner";
  const json entry = Body("POST", "/api/entries",
                          {{"kind", "statement"},
                           {"parts",
                            {{"feel", "I feel lonely"},
                             {"when", "we go a whole day without talking"},
                             {"need", "we share ten minutes each evening."}}}})["entry"];
  EXPECT_EQ(entry["text"],
            "I feel lonely when we go a whole day without talking. I feel loved and connected "
            "when we share ten minutes each evening.");
  EXPECT_EQ(entry["fields"]["feel"], "lonely");
}

TEST_F(UiApiTest, SharingSharesOnlyWhatThePreviewShowed) {
  const std::string id = AddAndGetId("need", "A quiet hour after work.");
  const json preview = Body("POST", "/api/entries/" + id.substr(0, 8) + "/preview")["preview"];
  EXPECT_EQ(preview["view"]["text"], "A quiet hour after work.");
  EXPECT_FALSE(preview["view"].contains("author"));
  EXPECT_FALSE(preview["partner_has_it"].get<bool>());
  // The entry changes after the page showed its preview: the old preview shares nothing.
  Body("PATCH", "/api/entries/" + id, {{"text", "A quiet hour after work, then a walk."}});
  Result<ApiAnswer> stale =
      Ask("POST", "/api/entries/" + id + "/share", {{"digest", preview["digest"]}});
  EXPECT_REASON(stale.status(), kBusy, JournalReason::kChangedSincePreview);
  EXPECT_EQ(Body("GET", "/api/entries/" + id)["entry"]["visibility"], "private");

  const json fresh = Body("POST", "/api/entries/" + id + "/preview")["preview"];
  const json shared =
      Body("POST", "/api/entries/" + id + "/share", {{"digest", fresh["digest"]}})["entry"];
  EXPECT_EQ(shared["visibility"], "shared");
  EXPECT_EQ(shared["delivery"], "waiting");
  const json items = Body("GET", "/api/shared")["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["state"], "waiting");
  EXPECT_EQ(items[0]["entry"]["text"], "A quiet hour after work, then a walk.");

  // Changed after sharing: the list says the partner keeps the confirmed version for now.
  Body("PATCH", "/api/entries/" + id, {{"text", "A quiet hour, then a walk together."}});
  const json listed = Body("GET", "/api/entries")["entries"][0];
  EXPECT_EQ(listed["delivery"], "waiting");
  EXPECT_TRUE(listed["awaiting_confirmation"].get<bool>());
  EXPECT_TRUE(Body("GET", "/api/shared")["items"][0]["awaiting_confirmation"].get<bool>());

  const json unshared = Body("POST", "/api/entries/" + id + "/unshare")["entry"];
  EXPECT_EQ(unshared["visibility"], "private");
  EXPECT_EQ(Body("GET", "/api/shared")["items"][0]["state"], "withdrawing");
}

TEST_F(UiApiTest, DeletingAnEntryMovesItToTheTrashAndUndoBringsItBack) {
  const std::string id = AddAndGetId("note", "Just a note.");
  EXPECT_EQ(Body("DELETE", "/api/entries/" + id)["trashed"], id);
  EXPECT_REASON(Ask("GET", "/api/entries/" + id).status(), kNotFound, JournalReason::kInTrash);
  EXPECT_TRUE(Body("GET", "/api/entries")["entries"].empty());

  const json restored = Body("POST", "/api/entries/" + id + "/restore")["entry"];
  EXPECT_EQ(restored["id"], id);
  EXPECT_EQ(restored["visibility"], "private");
  EXPECT_EQ(Body("GET", "/api/entries")["entries"].size(), 1u);
  EXPECT_REASON(Ask("POST", "/api/entries/" + id + "/restore").status(), kInvalidArgument,
                JournalReason::kNotInTrash);
}

TEST_F(UiApiTest, TheOverviewSaysWhoAndWhereTheStepsStand) {
  AddAndGetId("upside", "I notice when someone is hurting.");
  const json overview = Body("GET", "/api/overview");
  EXPECT_EQ(overview["name"], "Robin");
  EXPECT_FALSE(overview["paired"].get<bool>());
  EXPECT_TRUE(overview["partner"].is_null());
  EXPECT_EQ(overview["link"]["state"], "not_paired");
  EXPECT_EQ(overview["steps"].size(), 9u);
  EXPECT_TRUE(overview["steps"][2]["started"].get<bool>());
  EXPECT_EQ(overview["suggested_step"], 1);
  EXPECT_EQ(overview["idle_lock_minutes"], 15);
  EXPECT_TRUE(overview["partner_steps"].is_null());
  const json step = Body("GET", "/api/steps/4");
  EXPECT_EQ(step["step"], 4);
  EXPECT_FALSE(step["prompts"].empty());
  EXPECT_EQ(step["kinds"][0]["name"], "trigger");
}

TEST_F(UiApiTest, ResponsesAnswerOnlyThePartner) {
  const std::string id = AddAndGetId("need", "A quiet hour after work.");
  Result<ApiAnswer> answer =
      Ask("POST", "/api/entries/" + id + "/respond", {{"text", "Heard."}, {"ack", "heard"}});
  EXPECT_REASON(answer.status(), kInvalidArgument, JournalReason::kRespondToOwnEntry);
}

TEST_F(UiApiTest, TheQuizIsAnsweredItemByItemAndDrawnFromItsScores) {
  const json quiz = Body("GET", "/api/quiz");
  ASSERT_EQ(quiz["items"].size(), 18u);
  EXPECT_EQ(quiz["scale"].size(), 7u);
  EXPECT_EQ(quiz["styles"].size(), 4u);
  EXPECT_FALSE(quiz["disclaimer"].get<std::string>().empty());
  EXPECT_TRUE(Body("GET", "/api/style")["history"].empty());

  Result<ApiAnswer> short_answers = Ask("POST", "/api/quiz", {{"answers", {4, 4, 4}}});
  EXPECT_CODE(short_answers.status(), kInvalidArgument);
  Result<ApiAnswer> not_numbers = Ask("POST", "/api/quiz", {{"answers", {"a"}}});
  EXPECT_TRUE(not_numbers.status().Is(UiReason::kBadRequest));

  const std::vector<int> answers(18, 4);
  Result<ApiAnswer> recorded = Ask("POST", "/api/quiz", {{"answers", answers}});
  ASSERT_OK(recorded.status());
  EXPECT_EQ(recorded->status, 201);
  EXPECT_EQ(recorded->body["entry"]["kind"], "style");
  const json result = recorded->body["result"];
  EXPECT_DOUBLE_EQ(result["anxiety"].get<double>(), 4.0);
  EXPECT_DOUBLE_EQ(result["avoidance"].get<double>(), 4.0);
  int total = 0;
  for (const auto& [style, percent] : result["blend"].items()) total += percent.get<int>();
  EXPECT_EQ(total, 100);
  // A style entry is made by the quiz only: one written as text is refused.
  Result<ApiAnswer> as_text =
      Ask("POST", "/api/entries", {{"kind", "style"}, {"text", "I think I am mostly secure."}});
  EXPECT_TRUE(as_text.status().Is(JournalReason::kStyleComesFromQuiz));
  const json styles = Body("GET", "/api/style");
  ASSERT_EQ(styles["history"].size(), 1u);
  EXPECT_EQ(styles["history"][0]["entry_id"], recorded->body["entry"]["id"]);
  EXPECT_TRUE(styles["partner"].is_null());
}

TEST_F(UiApiTest, BoundariesAreRestatedStatementsRecomposedAndTriggersShowTheirThemes) {
  const std::string boundary = AddAndGetId("boundary", "I pause a hard talk when I shut down.");
  const json restated =
      Body("POST", "/api/entries/" + boundary + "/restate", {{"note", "We paused on Sunday."}});
  ASSERT_EQ(restated["entry"]["fields"]["restatements"].size(), 1u);
  EXPECT_EQ(restated["entry"]["fields"]["restatements"][0]["note"], "We paused on Sunday.");

  const json statement = Body("POST", "/api/entries",
                              {{"kind", "statement"},
                               {"parts",
                                {{"feel", "lonely"},
                                 {"when", "we eat in silence"},
                                 {"need", "we talk about our day"}}}})["entry"];
  const json recomposed =
      Body("PATCH", "/api/entries/" + statement["id"].get<std::string>(),
           {{"parts", {{"feel", "sad"}, {"when", "we eat in silence"}, {"need", "we talk"}}}});
  EXPECT_EQ(recomposed["entry"]["text"],
            "I feel sad when we eat in silence. I feel loved and connected when we talk.");
  EXPECT_EQ(recomposed["entry"]["fields"]["feel"], "sad");
  Result<ApiAnswer> not_a_statement =
      Ask("PATCH", "/api/entries/" + boundary,
          {{"parts", {{"feel", "sad"}, {"when", "now"}, {"need", "quiet"}}}});
  EXPECT_REASON(not_a_statement.status(), kInvalidArgument, JournalReason::kNotAStatement);

  const json gentle = Body("POST", "/api/boundary/check",
                           {{"text", "When a talk gets loud, I will step away and come back."}});
  EXPECT_TRUE(gentle["notes"].empty());
  const json demand = Body("POST", "/api/boundary/check", {{"text", "You must stop, or else."}});
  ASSERT_EQ(demand["notes"].size(), 2u);
  EXPECT_EQ(demand["notes"][0]["found"], "you must");

  AddAndGetId("trigger", "When plans change at the last minute.", {"plans"});
  AddAndGetId("trigger", "When plans are left open.", {"plans"});
  const json themes = Body("GET", "/api/themes");
  ASSERT_FALSE(themes["tags"].empty());
  EXPECT_EQ(themes["tags"][0]["term"], "plans");
  EXPECT_EQ(themes["tags"][0]["count"], 2);
}

// ---- Doing a step together: exercises through the page's API ----

// Robin's journal (the page's, through the API) paired with Sam's, a second journal in a home of
// its own; what their links would carry passes between them in memory (ExerciseLink).
class UiExerciseApiTest : public UiApiTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(UiApiTest::SetUp());
    Result<Journal> sam = Journal::Init(Home(temp_.File("sam")), testing::FastOptions(true, "Sam"),
                                        testing::MustNotAsk(), clock_);
    ASSERT_OK(sam.status());
    sam_.emplace(std::move(sam).value());
    ASSERT_NO_FATAL_FAILURE(PairWith(journal(), *sam_, "Sam"));
    ASSERT_NO_FATAL_FAILURE(PairWith(*sam_, journal(), "Robin"));
  }

  static void PairWith(Journal& own, Journal& other, const std::string& name) {
    ASSERT_OK_AND_ASSIGN(crypto::X25519PublicKey key, other.LinkPublicKey());
    Partner partner;
    partner.public_key = key;
    partner.display_name = name;
    partner.last_address = "127.0.0.1:1";
    ASSERT_OK(own.SavePartner(partner, /*replace=*/false));
  }

  // Both links say what the other may lack, and answer it, until neither has news.
  void Exchange() {
    for (int round = 0; round < 4; ++round) {
      Deliver(journal(), *sam_);
      Deliver(*sam_, journal());
    }
  }

  static void Deliver(Journal& from, Journal& to) {
    ASSERT_OK_AND_ASSIGN(std::vector<protocol::ExerciseMessage> due, ExerciseLink(from).Due());
    for (const protocol::ExerciseMessage& message : due) {
      ASSERT_OK_AND_ASSIGN(ExerciseLink::Receipt receipt, ExerciseLink(to).Receive(message));
      for (const protocol::ExerciseMessage& reply : receipt.reply) {
        ASSERT_OK(ExerciseLink(from).Receive(reply).status());
      }
    }
  }

  json OnlyExercise() {
    const json listed = Body("GET", "/api/exercises")["exercises"];
    EXPECT_EQ(listed.size(), 1u) << listed.dump();
    return listed.empty() ? json() : listed[0];
  }

  std::optional<Journal> sam_;
};

TEST_F(UiExerciseApiTest, TheExerciseCatalogueGivesEachStepAndItsQuestions) {
  const json answer = Body("GET", "/api/exercises");
  ASSERT_EQ(answer["catalogue"].size(), steps::AllExercises().size());
  EXPECT_TRUE(answer["paired"].get<bool>());
  EXPECT_TRUE(answer["exercises"].empty());
  EXPECT_FALSE(answer["partner_software"]["lacks_exercises"].get<bool>());
  for (const json& exercise : answer["catalogue"]) {
    const steps::ExerciseGuide* guide = steps::FindExercise(exercise["name"].get<std::string>());
    ASSERT_NE(guide, nullptr) << exercise.dump();
    EXPECT_EQ(exercise["step"], guide->step);
    EXPECT_EQ(exercise["title"], guide->title);
    EXPECT_EQ(exercise["questions"].size(), guide->questions.size());
  }
}

TEST_F(UiExerciseApiTest, AnExerciseAskedAndCommittedHidesThePartnersAnswerUntilTheReveal) {
  Result<ApiAnswer> asked = Ask("POST", "/api/exercises", {{"name", "check-in"}});
  ASSERT_OK(asked.status());
  EXPECT_EQ(asked->status, 201);
  const std::string id = asked->body["exercise"]["id"];
  EXPECT_EQ(asked->body["exercise"], OnlyExercise()) << "the page lists what it started";
  EXPECT_EQ(OnlyExercise()["stage"], "waiting_for_both");
  EXPECT_EQ(OnlyExercise()["started_by"], "me");
  EXPECT_EQ(OnlyExercise()["step"], 9);
  Exchange();

  // Sam answers first: Robin's page learns that, and not a word of it.
  ASSERT_OK(Exercises(*sam_).Answer(id, "Sam's words: the walk on Sunday.").status());
  Exchange();
  json before = OnlyExercise();
  EXPECT_EQ(before["stage"], "waiting_for_you");
  EXPECT_TRUE(before["partner_answer"].is_null());
  EXPECT_EQ(Body("GET", "/api/exercises").dump().find("Sam's words"), std::string::npos);

  const json answered = Body("POST", "/api/exercises/" + id.substr(0, 8) + "/answer",
                             {{"answer", "Robin's words: dinner together."}})["exercise"];
  EXPECT_EQ(answered["stage"], "revealing");
  EXPECT_EQ(answered["my_answer"], "Robin's words: dinner together.");
  EXPECT_TRUE(answered["partner_answer"].is_null()) << "committed, not yet revealed";
  Exchange();
  const json revealed = OnlyExercise();
  EXPECT_EQ(revealed["stage"], "revealed");
  EXPECT_EQ(revealed["my_answer"], "Robin's words: dinner together.");
  EXPECT_EQ(revealed["partner_answer"], "Sam's words: the walk on Sunday.");
}

TEST_F(UiExerciseApiTest, AnExerciseRefusedSaysWhyByItsReasonCode) {
  EXPECT_REASON(Ask("POST", "/api/exercises", {{"name", "guess-mood"}}).status(), kInvalidArgument,
                ExerciseReason::kUnknownExercise);
  EXPECT_TRUE(Ask("POST", "/api/exercises", {{"name", 7}}).status().Is(UiReason::kBadRequest));
  EXPECT_REASON(Ask("POST", "/api/exercises/0123abcd/answer", {{"answer", "x"}}).status(),
                kNotFound, ExerciseReason::kNoSuchExercise);

  const std::string id = Body("POST", "/api/exercises", {{"name", "one-upside"}})["exercise"]["id"];
  Body("POST", "/api/exercises/" + id + "/answer", {{"answer", "Your steadiness."}});
  // An answer given is kept: a second one is refused, and the first stays.
  EXPECT_REASON(
      Ask("POST", "/api/exercises/" + id + "/answer", {{"answer", "Something else."}}).status(),
      kInvalidArgument, ExerciseReason::kAlreadyAnswered);
  EXPECT_EQ(OnlyExercise()["my_answer"], "Your steadiness.");
  EXPECT_TRUE(Ask("POST", "/api/exercises/" + id + "/answer").status().Is(UiReason::kBadRequest));
}

TEST_F(UiExerciseApiTest, OnlyTheStarterWithdrawsAnExerciseAndNotOnceBothCommitted) {
  // Sam starts one: Robin's page may answer it, not withdraw it.
  ASSERT_OK_AND_ASSIGN(ExerciseView sams, Exercises(*sam_).Ask("repair-noticed"));
  Exchange();
  EXPECT_EQ(OnlyExercise()["started_by"], "partner");
  EXPECT_REASON(Ask("POST", "/api/exercises/" + sams.id + "/withdraw").status(), kInvalidArgument,
                ExerciseReason::kNotYours);
  ASSERT_OK(Exercises(*sam_).Withdraw(sams.id).status());
  Exchange();
  EXPECT_EQ(OnlyExercise()["stage"], "withdrawn");

  // Robin's own: withdrawn from the page while open; after both committed, refused.
  const std::string mine =
      Body("POST", "/api/exercises", {{"name", "guess-style"}})["exercise"]["id"];
  EXPECT_EQ(Body("POST", "/api/exercises/" + mine + "/withdraw")["exercise"]["stage"], "withdrawn");
  EXPECT_REASON(Ask("POST", "/api/exercises/" + mine + "/answer", {{"answer", "x"}}).status(),
                kInvalidArgument, ExerciseReason::kOver);
  const std::string both =
      Body("POST", "/api/exercises", {{"name", "same-moment"}})["exercise"]["id"];
  Exchange();
  ASSERT_OK(Exercises(*sam_).Answer(both, "I feel unsure when plans drift.").status());
  Exchange();
  Body("POST", "/api/exercises/" + both + "/answer", {{"answer", "I feel alone when we rush."}});
  EXPECT_REASON(Ask("POST", "/api/exercises/" + both + "/withdraw").status(), kInvalidArgument,
                ExerciseReason::kBothAnswered);
}

TEST_F(UiApiTest, ExercisesBeforePairingShowTheCatalogueAndStartNothing) {
  const json answer = Body("GET", "/api/exercises");
  EXPECT_FALSE(answer["paired"].get<bool>());
  EXPECT_EQ(answer["catalogue"].size(), steps::AllExercises().size());
  EXPECT_TRUE(answer["exercises"].empty());
  EXPECT_TRUE(
      Ask("POST", "/api/exercises", {{"name", "check-in"}}).status().Is(JournalReason::kNotPaired));
}

}  // namespace
}  // namespace attune::node::ui
