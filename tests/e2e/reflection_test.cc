// The guided parts: statement, boundary restate, quiz, style, steps, step, themes.
#include <algorithm>

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
  // The id and the sentence, and no notes after them (their words: tests/cli).
  const nlohmann::json saved = ListJson({"--kind", "statement"});
  ASSERT_EQ(saved.size(), 1u);
  EXPECT_EQ(plain.out, saved[0]["id"].get<std::string>() + "\n" + sentence + "\n") << plain;
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
  const nlohmann::json saved = ListJson({"--kind", "statement"});
  EXPECT_EQ(saved.size(), 2u) << "saved as written";
  // The notes end with how to reword this statement, by its short id (tests/cli words it).
  const nlohmann::json& plain_entry =
      ParseJson(json.out)["id"] == saved[0]["id"] ? saved[1] : saved[0];
  const std::string id = plain_entry["id"].get<std::string>();
  const size_t first_line_end = plain.out.find('\n');
  EXPECT_NE(plain.out.find(id.substr(0, 8), first_line_end), std::string::npos) << plain;
}

// Issue 19: words of fear of the partner get no rewording; the support note comes in full.
TEST_F(ReflectionTest, AStatementOfFearGetsSupportNotRewording) {
  const RunResult said = Run({"statement", "--feel", "afraid of you", "--when", "you always shout",
                              "--need", "we speak softly", "--json"});
  ASSERT_EQ(said.exit_code, kExitOk) << said;
  const nlohmann::json statement = ParseJson(said.out);
  EXPECT_TRUE(statement["safety_concern"]) << statement;
  EXPECT_TRUE(statement["notes"].empty()) << "no rewording, not even of \"always\"";
  EXPECT_EQ(statement["visibility"], "private");
  const RunResult plain = Run({"statement", "--feel", "afraid of you", "--when", "you always shout",
                               "--need", "we speak softly"});
  EXPECT_NE(plain.out.find("emergency services"), std::string::npos) << plain;
}

TEST_F(ReflectionTest, StatementWithAnEmptyPartStoresNothing) {
  // Which part is empty is named in the steps' words (tests/steps/statement_check_test.cc).
  const RunResult result = Statement("I feel", "plans change", "we plan", true);
  EXPECT_EQ(result.exit_code, kExitUsage) << result;
  EXPECT_EQ(FailureCode(result), "invalid_argument") << result;
  EXPECT_EQ(Statement("sad", " ", "we plan", false).exit_code, kExitUsage);
  EXPECT_EQ(Statement("sad", "plans change", "when", false).exit_code, kExitUsage);
  EXPECT_EQ(Run({"statement", "--feel", "sad"}).exit_code, kExitUsage);
  EXPECT_TRUE(ListJson().empty());
}

TEST_F(ReflectionTest, BoundaryRestatementsAreCounted) {
  const std::string id = Add("boundary", "I step out for ten minutes when voices rise");
  const RunResult once = Run({"boundary", "restate", id.substr(0, 6)});
  ASSERT_EQ(once.exit_code, kExitOk) << once;
  EXPECT_FALSE(once.out.empty()) << once;
  EXPECT_EQ(ShowJson(id)["fields"]["restatements"].size(), 1u);
  const RunResult twice = Run({"boundary", "restate", id, "after dinner, calmly", "--json"});
  ASSERT_EQ(twice.exit_code, kExitOk) << twice;
  const std::string note = "after dinner, calmly";
  const RunResult thrice = Run({"boundary", "restate", id});
  ASSERT_EQ(thrice.exit_code, kExitOk) << thrice;
  EXPECT_NE(thrice.out, once.out) << "the count is said (tests/cli: RestatedText)";
  const nlohmann::json restated = ParseJson(twice.out)["fields"]["restatements"];
  ASSERT_EQ(restated.size(), 2u) << twice;
  EXPECT_FALSE(restated[0].contains("note"));
  EXPECT_EQ(restated[1]["note"], note);
  EXPECT_FALSE(restated[1]["at"].get<std::string>().empty());
  const RunResult shown = Run({"show", id});
  const nlohmann::json all_three = ShowJson(id)["fields"]["restatements"];
  ASSERT_EQ(all_three.size(), 3u);
  // Each restatement is shown with its time in the local format of every other time (the day,
  // then hours and minutes; not the RFC 3339 kept in JSON), and the note (tests/cli:
  // EntryDetail's words).
  for (const auto& restatement : all_three) {
    const std::string at = restatement["at"].get<std::string>();
    EXPECT_NE(shown.out.find(at.substr(0, 10) + " "), std::string::npos) << shown;
    EXPECT_EQ(shown.out.find(at), std::string::npos) << shown;
  }
  EXPECT_NE(shown.out.find(note), std::string::npos) << shown;
  EXPECT_EQ(ShowJson(id)["text"], "I step out for ten minutes when voices rise");
}

TEST_F(ReflectionTest, RestatingSomethingElseIsRefused) {
  const std::string id = Add("need", "to be heard");
  const RunResult result = Run({"boundary", "restate", id});
  EXPECT_EQ(result.exit_code, kExitUsage) << result;
  EXPECT_EQ(FailureReason(Run({"boundary", "restate", id, "--json"})), "not_a_boundary");
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
  // The blend in words (and the disclaimer: tests/cli, ScoreText).
  const nlohmann::json latest = ParseJson(Run({"style", "--json"}).out);
  ASSERT_EQ(ListJson({"--kind", "style"}).size(), 2u);
  EXPECT_NE(plain.out.find(latest["description"].get<std::string>()), std::string::npos) << plain;
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
  // Which answer is off the scale is said in words: tests/cli, ReadQuizAnswers.
  const RunResult nine = Run({"quiz"}, "4\n4\n9\n" + QuizAnswers(4).substr(6));
  EXPECT_EQ(nine.exit_code, kExitUsage) << nine;
  EXPECT_TRUE(ListJson({"--kind", "style"}).empty());
}

TEST_F(ReflectionTest, StyleShowsTheLatestAndHistoryShowsAll) {
  const RunResult none = Run({"style"});
  EXPECT_EQ(none.exit_code, kExitOk) << none;
  const RunResult none_json = Run({"style", "--json"});
  EXPECT_EQ(none_json.exit_code, kExitOk) << none_json;
  const nlohmann::json nothing = ParseJson(none_json.out);
  ASSERT_TRUE(nothing.is_object()) << none_json;
  EXPECT_TRUE(nothing.contains("id") && nothing["id"].is_null())
      << "a script tells \"no result\" by the null id\n"
      << none_json;
  EXPECT_FALSE(nothing.value("message", "").empty()) << none_json;
  EXPECT_EQ(none.out, nothing.value("message", "") + "\n") << "the same words, on their own";
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
  // The last line points to the suggested step's guidance (tests/cli: PrintNextStep).
  const std::string last_line = plain.out.substr(plain.out.rfind('\n', plain.out.size() - 2) + 1);
  EXPECT_NE(last_line.find(std::to_string(steps["suggested_step"].get<int>()) + "`"),
            std::string::npos)
      << plain;
}

TEST_F(ReflectionTest, StepGivesGuidanceForOneToNineOnly) {
  const RunResult three = Run({"step", "3"});
  ASSERT_EQ(three.exit_code, kExitOk) << three;
  // What --json gives is all shown (the layout and its words: tests/cli, PrintStep).
  const RunResult three_json = Run({"step", "3", "--json"});
  ASSERT_EQ(three_json.exit_code, kExitOk) << three_json;
  const nlohmann::json guide = ParseJson(three_json.out);
  EXPECT_EQ(guide["step"], 3);
  EXPECT_NE(three.out.find(guide["title"].get<std::string>()), std::string::npos) << three;
  ASSERT_FALSE(guide["prompts"].empty());
  const std::string first_prompt = guide["prompts"][0];
  const size_t prompts_at = three.out.find(first_prompt.substr(0, first_prompt.find(' ', 20)));
  EXPECT_NE(prompts_at, std::string::npos) << three;
  // After the prompts, the kinds to add for this step.
  ASSERT_EQ(guide["kinds"], (nlohmann::json{"upside", "downside"}));
  for (const auto& kind : guide["kinds"]) {
    EXPECT_NE(three.out.find(kind.get<std::string>() + "`", prompts_at), std::string::npos)
        << three;
  }
  for (const std::string bad : {"0", "10", "-1", "three"}) {
    const RunResult result = Run({"step", bad});
    EXPECT_EQ(result.exit_code, kExitUsage) << bad << "\n" << result;
    EXPECT_TRUE(result.out.empty()) << result;
  }
}

TEST_F(ReflectionTest, ThemesCountTagsAndWordsAcrossTriggersOnly) {
  // No triggers: one line saying so (tests/cli: ThemesText), and nothing to count.
  const RunResult empty = Run({"themes"});
  EXPECT_EQ(empty.exit_code, kExitOk) << empty;
  EXPECT_EQ(std::count(empty.out.begin(), empty.out.end(), '\n'), 1) << empty;
  EXPECT_EQ(ParseJson(Run({"themes", "--json"}).out),
            (nlohmann::json{{"feelings", nlohmann::json::array()},
                            {"tags", nlohmann::json::array()},
                            {"words", nlohmann::json::array()}}));
  const std::string first = Add("trigger", "lonely: the dishes pile up again", {"--tag", "work"});
  const std::string second =
      Add("trigger", "dishes left in the sink, dishes everywhere, lonely", {"--tag", "Work"});
  Add("trigger", "a cancelled call", {"--tag", "calls"});
  Add("note", "dishes dishes dishes", {"--tag", "work"});
  const RunResult json = Run({"themes", "--json"});
  ASSERT_EQ(json.exit_code, kExitOk) << json;
  const nlohmann::json themes = ParseJson(json.out);
  ASSERT_FALSE(themes["tags"].empty()) << themes;
  const nlohmann::json both = nlohmann::json::array({first, second});
  EXPECT_EQ(themes["tags"][0], (nlohmann::json{{"term", "work"}, {"count", 2}, {"ids", both}}));
  EXPECT_EQ(themes["feelings"][0],
            (nlohmann::json{{"term", "lonely"}, {"count", 2}, {"ids", both}}));
  // Issue 19: only words two triggers share ("dishes"); one-off words are no theme.
  EXPECT_EQ(themes["words"],
            nlohmann::json::array({{{"term", "dishes"}, {"count", 2}, {"ids", both}}}));
  const RunResult plain = Run({"themes"});
  // Each term with its count and the triggers' short ids, for --link (tests/cli: ThemesText).
  EXPECT_NE(plain.out.find("#work  2    " + first.substr(0, 6)), std::string::npos) << plain;
  EXPECT_NE(plain.out.find("  dishes  2"), std::string::npos) << plain;
}

}  // namespace
}  // namespace attune::e2e
