// The guided parts: statement, boundary restate, quiz, style, steps, step, themes.
#include "tests/e2e/e2e_fixture.h"

namespace attune::e2e {
namespace {

class ReflectionTest : public AttuneTest {
 protected:
  void SetUp() override {
    AttuneTest::SetUp();
    InitJournal();
  }

  RunResult Statement(const std::string& feel, const std::string& when, const std::string& need,
                      bool json) {
    std::vector<std::string> args = {"statement", "--feel", feel, "--when", when, "--need", need};
    if (json) args.push_back("--json");
    return Run(args);
  }

  nlohmann::json StepsJson() {
    const RunResult result = Run({"steps", "--json"});
    EXPECT_EQ(result.exit_code, kExitOk) << result;
    return ParseJson(result.out);
  }
};

TEST_F(ReflectionTest, CleanStatementIsComposedWithoutNotes) {
  const RunResult plain = Statement("lonely", "we go a day without talking",
                                    "we share ten minutes each evening", false);
  ASSERT_EQ(plain.exit_code, kExitOk) << plain;
  const std::string sentence =
      "I feel lonely when we go a day without talking. I feel loved and connected when we share "
      "ten minutes each evening.";
  EXPECT_NE(plain.out.find(sentence), std::string::npos) << plain;
  EXPECT_EQ(plain.out.find("gentle thoughts"), std::string::npos) << plain;
  const RunResult json = Statement("I feel hurt.", "when plans change.",
                                   "I feel loved and connected when we plan together.", true);
  ASSERT_EQ(json.exit_code, kExitOk) << json;
  const nlohmann::json entry = ParseJson(json.out);
  EXPECT_EQ(entry["text"],
            "I feel hurt when plans change. I feel loved and connected when we plan together.");
  EXPECT_EQ(entry["kind"], "statement");
  EXPECT_EQ(entry["step"], 7);
  EXPECT_EQ(entry["notes"], nlohmann::json::array());
  EXPECT_EQ(entry["fields"]["feel"], "hurt") << "parts are stored as they appear in the text";
  EXPECT_EQ(entry["fields"]["need"], "we plan together");
  EXPECT_EQ(ShowJson(entry["id"])["text"], entry["text"]);
}

TEST_F(ReflectionTest, StatementNotesAbsolutesAndPartnerActionWords) {
  const RunResult json = Statement("ignored", "you always leave early", "we talk first", true);
  ASSERT_EQ(json.exit_code, kExitOk) << json;
  const nlohmann::json notes = ParseJson(json.out)["notes"];
  ASSERT_EQ(notes.size(), 2u) << notes;
  EXPECT_EQ(notes[0]["part"], "feel");
  EXPECT_EQ(notes[0]["found"], "ignored");
  EXPECT_EQ(notes[1]["part"], "when");
  EXPECT_EQ(notes[1]["found"], "always");
  for (const auto& note : notes) {
    EXPECT_FALSE(note["why"].get<std::string>().empty());
    EXPECT_FALSE(note["suggestion"].get<std::string>().empty());
  }
  const RunResult plain = Statement("ignored", "you always leave early", "we talk first", false);
  ASSERT_EQ(plain.exit_code, kExitOk) << plain;
  EXPECT_NE(plain.out.find("\"always\""), std::string::npos) << plain;
  EXPECT_NE(plain.out.find("\"ignored\""), std::string::npos) << plain;
  EXPECT_NE(plain.out.find("attune statement --edit"), std::string::npos) << plain;
  EXPECT_EQ(ListJson({"--kind", "statement"}).size(), 2u) << "saved as written";
}

TEST_F(ReflectionTest, StatementWithAnEmptyPartStoresNothing) {
  const RunResult result = Statement("I feel", "plans change", "we plan", false);
  EXPECT_EQ(result.exit_code, kExitUsage) << result;
  EXPECT_NE(result.err.find("feeling"), std::string::npos) << result;
  EXPECT_EQ(Statement("sad", " ", "we plan", false).exit_code, kExitUsage);
  EXPECT_EQ(Statement("sad", "plans change", "when", false).exit_code, kExitUsage);
  EXPECT_EQ(Run({"statement", "--feel", "sad"}).exit_code, kExitUsage);
  EXPECT_TRUE(ListJson().empty());
}

TEST_F(ReflectionTest, BoundaryRestatementsAreCounted) {
  const std::string id = Add("boundary", "I step out for ten minutes when voices rise");
  const RunResult once = Run({"boundary", "restate", id.substr(0, 6)});
  ASSERT_EQ(once.exit_code, kExitOk) << once;
  EXPECT_NE(once.out.find("restated once."), std::string::npos) << once;
  const RunResult twice = Run({"boundary", "restate", id, "after dinner, calmly", "--json"});
  ASSERT_EQ(twice.exit_code, kExitOk) << twice;
  const RunResult thrice = Run({"boundary", "restate", id});
  EXPECT_NE(thrice.out.find("restated 3 times."), std::string::npos) << thrice;
  const nlohmann::json restated = ParseJson(twice.out)["fields"]["restatements"];
  ASSERT_EQ(restated.size(), 2u) << twice;
  EXPECT_FALSE(restated[0].contains("note"));
  EXPECT_EQ(restated[1]["note"], "after dinner, calmly");
  EXPECT_FALSE(restated[1]["at"].get<std::string>().empty());
  const RunResult shown = Run({"show", id});
  EXPECT_NE(shown.out.find("restated 3 times"), std::string::npos) << shown;
  EXPECT_NE(shown.out.find("after dinner, calmly"), std::string::npos) << shown;
  EXPECT_EQ(ShowJson(id)["text"], "I step out for ten minutes when voices rise");
}

TEST_F(ReflectionTest, RestatingSomethingElseIsRefused) {
  const std::string id = Add("need", "to be heard");
  const RunResult result = Run({"boundary", "restate", id});
  EXPECT_EQ(result.exit_code, kExitUsage) << result;
  EXPECT_NE(result.err.find("not a boundary"), std::string::npos) << result;
  EXPECT_FALSE(ShowJson(id)["fields"].contains("restatements"));
}

TEST_F(ReflectionTest, QuizStoresAStyleWhoseBlendSumsToAHundred) {
  const RunResult result = Run({"quiz", "--json"}, QuizAnswers(4));
  ASSERT_EQ(result.exit_code, kExitOk) << result;
  const nlohmann::json score = ParseJson(result.out);
  int total = 0;
  for (const auto& [style, percent] : score["blend"].items()) total += percent.get<int>();
  EXPECT_EQ(total, 100) << score;
  EXPECT_EQ(score["blend"].size(), 4u);
  EXPECT_DOUBLE_EQ(score["anxiety"].get<double>(), 4.0);
  EXPECT_DOUBLE_EQ(score["avoidance"].get<double>(), 4.0);
  EXPECT_FALSE(score["description"].get<std::string>().empty());
  const nlohmann::json styles = ListJson({"--kind", "style"});
  ASSERT_EQ(styles.size(), 1u);
  EXPECT_EQ(styles[0]["id"], score["id"]);
  EXPECT_EQ(styles[0]["fields"]["answers"].size(), 18u);
  const RunResult plain = Run({"quiz"}, "\n" + QuizAnswers(2) + "\n");
  ASSERT_EQ(plain.exit_code, kExitOk) << plain;
  EXPECT_NE(plain.out.find("Your blend"), std::string::npos) << plain;
  EXPECT_NE(plain.out.find("not a diagnosis"), std::string::npos) << plain;
}

TEST_F(ReflectionTest, QuizWithBadAnswersStoresNothing) {
  const std::vector<std::string> bad_inputs = {
      "4\n4\n9\n" + QuizAnswers(4).substr(6),  // 9 is off the scale
      "x\n" + QuizAnswers(4).substr(2),        // not a number
      "0\n" + QuizAnswers(4).substr(2),        // 0 is off the scale
      "4.5\n" + QuizAnswers(4).substr(2),      // not a whole number
      QuizAnswers(4).substr(2),                // 17 answers
      QuizAnswers(4) + "4\n",                  // 19 answers
      "",                                      // none
  };
  for (const std::string& input : bad_inputs) {
    const RunResult result = Run({"quiz", "--json"}, input);
    EXPECT_EQ(result.exit_code, kExitUsage) << input << "\n" << result;
    // No result: the only output is the failure.
    EXPECT_TRUE(ParseJson(result.out).contains("error")) << result;
    EXPECT_EQ(ParseJson(result.out).size(), 1u) << result;
    EXPECT_NE(result.err.find("1"), std::string::npos) << result;
  }
  const RunResult nine = Run({"quiz"}, "4\n4\n9\n" + QuizAnswers(4).substr(6));
  EXPECT_NE(nine.err.find("answer 3"), std::string::npos) << nine;
  EXPECT_TRUE(ListJson({"--kind", "style"}).empty());
}

TEST_F(ReflectionTest, StyleShowsTheLatestAndHistoryShowsAll) {
  const RunResult none = Run({"style"});
  EXPECT_EQ(none.exit_code, kExitOk) << none;
  EXPECT_NE(none.out.find("No style result yet"), std::string::npos) << none;
  const RunResult none_json = Run({"style", "--json"});
  EXPECT_EQ(none_json.exit_code, kExitOk) << none_json;
  const nlohmann::json nothing = ParseJson(none_json.out);
  ASSERT_TRUE(nothing.is_object()) << none_json;
  EXPECT_TRUE(nothing.contains("id") && nothing["id"].is_null())
      << "a script tells \"no result\" by the null id\n"
      << none_json;
  EXPECT_NE(nothing.value("message", "").find("No style result yet"), std::string::npos)
      << none_json;
  EXPECT_EQ(ParseJson(Run({"style", "--history", "--json"}).out), nlohmann::json::array());

  const nlohmann::json first = ParseJson(Run({"quiz", "--json"}, QuizAnswers(4)).out);
  const nlohmann::json second = ParseJson(Run({"quiz", "--json"}, QuizAnswers(7)).out);
  ASSERT_NE(first["id"], second["id"]);
  const nlohmann::json latest = ParseJson(Run({"style", "--json"}).out);
  EXPECT_EQ(latest["id"], second["id"]);
  EXPECT_EQ(latest["blend"], second["blend"]);
  const nlohmann::json history = ParseJson(Run({"style", "--history", "--json"}).out);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0]["id"], first["id"]);
  EXPECT_EQ(history[1]["id"], second["id"]);
  EXPECT_EQ(history[0]["description"], first["description"]);

  const RunResult plain = Run({"style", "--history"});
  EXPECT_EQ(plain.exit_code, kExitOk) << plain;
  EXPECT_NE(plain.out.find(first["description"].get<std::string>()), std::string::npos) << plain;
  EXPECT_NE(plain.out.find(second["description"].get<std::string>()), std::string::npos) << plain;
}

TEST_F(ReflectionTest, StepsShowProgress) {
  nlohmann::json steps = StepsJson();
  ASSERT_EQ(steps["steps"].size(), 9u);
  EXPECT_EQ(steps["suggested_step"], 1);
  for (int i = 0; i < 3; ++i) Add("upside", "strength " + std::to_string(i));
  ASSERT_EQ(Run({"quiz"}, QuizAnswers(3)).exit_code, kExitOk);
  steps = StepsJson();
  const nlohmann::json& step3 = steps["steps"][2];
  EXPECT_EQ(step3["step"], 3);
  EXPECT_EQ(step3["summary"], "3 of 10 upsides, 0 of 10 downsides");
  EXPECT_EQ(step3["started"], true);
  EXPECT_EQ(step3["complete"], false);
  EXPECT_FALSE(step3["title"].get<std::string>().empty());
  EXPECT_EQ(steps["steps"][0]["complete"], true);
  EXPECT_EQ(steps["suggested_step"], 2);
  const RunResult plain = Run({"steps"});
  EXPECT_EQ(plain.exit_code, kExitOk) << plain;
  EXPECT_NE(plain.out.find("[x] 1."), std::string::npos) << plain;
  EXPECT_NE(plain.out.find("[~] 3."), std::string::npos) << plain;
  EXPECT_NE(plain.out.find("[ ] 9."), std::string::npos) << plain;
  EXPECT_NE(plain.out.find("attune step 2"), std::string::npos) << plain;
}

TEST_F(ReflectionTest, StepGivesGuidanceForOneToNineOnly) {
  const RunResult three = Run({"step", "3"});
  ASSERT_EQ(three.exit_code, kExitOk) << three;
  EXPECT_NE(three.out.find("Step 3:"), std::string::npos) << three;
  EXPECT_NE(three.out.find("Prompts to write from:"), std::string::npos) << three;
  EXPECT_NE(three.out.find("attune add upside"), std::string::npos) << three;
  EXPECT_NE(three.out.find("attune add downside"), std::string::npos) << three;
  for (const std::string bad : {"0", "10", "-1", "three"}) {
    const RunResult result = Run({"step", bad});
    EXPECT_EQ(result.exit_code, kExitUsage) << bad << "\n" << result;
    EXPECT_TRUE(result.out.empty()) << result;
  }
}

TEST_F(ReflectionTest, ThemesCountTagsAndWordsAcrossTriggersOnly) {
  const RunResult empty = Run({"themes"});
  EXPECT_NE(empty.out.find("No triggers yet"), std::string::npos) << empty;
  Add("trigger", "the dishes pile up again", {"--tag", "work"});
  Add("trigger", "dishes left in the sink, dishes everywhere", {"--tag", "Work"});
  Add("trigger", "a cancelled call", {"--tag", "calls"});
  Add("note", "dishes dishes dishes", {"--tag", "work"});
  const RunResult json = Run({"themes", "--json"});
  ASSERT_EQ(json.exit_code, kExitOk) << json;
  const nlohmann::json themes = ParseJson(json.out);
  ASSERT_FALSE(themes["tags"].empty()) << themes;
  EXPECT_EQ(themes["tags"][0], (nlohmann::json{{"term", "work"}, {"count", 2}})) << themes;
  EXPECT_EQ(themes["words"][0], (nlohmann::json{{"term", "dishes"}, {"count", 2}})) << themes;
  const RunResult plain = Run({"themes"});
  EXPECT_NE(plain.out.find("#work  2"), std::string::npos) << plain;
  EXPECT_NE(plain.out.find("dishes  2"), std::string::npos) << plain;
}

}  // namespace
}  // namespace attune::e2e
