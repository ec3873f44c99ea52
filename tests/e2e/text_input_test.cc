// Text never has to be a command argument (which the shell's history keeps, and other local
// users may see while the command runs): `statement` and `boundary restate` read standard input
// when it is piped and ask on a terminal, as `add`, `edit` and `respond` do (entries_test.cc,
// terminal_test.cc, sharing_test.cc). Standard input for a statement: one line per part not
// given as a flag, in the order feeling, situation, need.
#include <sstream>
#include <string>

#include "tests/e2e/e2e_fixture.h"
#include "tests/e2e/partners.h"  // Contains

namespace attune::e2e {
namespace {

class TextInputTest : public AttuneTest {
 protected:
  void SetUp() override {
    AttuneTest::SetUp();
    InitJournal();
  }

  nlohmann::json FieldsOf(const RunResult& result) { return ParseJson(result.out)["fields"]; }
};

TEST_F(TextInputTest, StatementReadsItsThreePartsFromStandardInput) {
  const RunResult piped = Run({"statement", "--json"},
                              "I feel lonely\n\nwhen we go a day without talking\n"
                              "we share ten minutes each evening\n");
  ASSERT_EQ(piped.exit_code, kExitOk) << piped;
  const nlohmann::json fields = FieldsOf(piped);
  EXPECT_EQ(fields["feel"], "lonely");
  EXPECT_EQ(fields["when"], "we go a day without talking");
  EXPECT_EQ(fields["need"], "we share ten minutes each evening");
  EXPECT_EQ(ParseJson(piped.out)["text"],
            "I feel lonely when we go a day without talking. I feel loved and connected when we "
            "share ten minutes each evening.");

  // Flags given, the rest from standard input in order.
  const RunResult mixed =
      Run({"statement", "--when", "the house is loud", "--json"}, "tired\nwe take turns\n");
  ASSERT_EQ(mixed.exit_code, kExitOk) << mixed;
  EXPECT_EQ(FieldsOf(mixed)["feel"], "tired");
  EXPECT_EQ(FieldsOf(mixed)["when"], "the house is loud");
  EXPECT_EQ(FieldsOf(mixed)["need"], "we take turns");

  // All three as flags: standard input is not read (nor waited for).
  const RunResult flags =
      Run({"statement", "--feel", "calm", "--when", "we walk", "--need", "we walk more", "--json"},
          "this is not read\n");
  ASSERT_EQ(flags.exit_code, kExitOk) << flags;
  EXPECT_EQ(FieldsOf(flags)["feel"], "calm");
  EXPECT_EQ(ListJson({"--kind", "statement"}).size(), 3u);
}

TEST_F(TextInputTest, AStatementWithTheWrongNumberOfLinesStoresNothing) {
  for (const std::string& input :
       {std::string(""), std::string("lonely\nwe go a day\n"), std::string("a\nb\nc\nd\n")}) {
    const RunResult refused = Run({"statement"}, input);
    EXPECT_EQ(refused.exit_code, kExitUsage) << refused;
    EXPECT_EQ(FailureReason(Run({"statement", "--json"}, input)), "statement_lines") << input;
  }
  const RunResult two_wanted = Run({"statement", "--feel", "tired", "--json"}, "one line only\n");
  EXPECT_EQ(two_wanted.exit_code, kExitUsage) << two_wanted;
  EXPECT_EQ(FailureReason(two_wanted), "statement_lines") << two_wanted;
  EXPECT_TRUE(ListJson().empty());
}

TEST_F(TextInputTest, StatementAsksForEachPartOnATerminal) {
  const RunResult asked =
      RunOnTty({"statement"}, {{"I feel … (the feeling, e.g. \"lonely\"): ", "lonely\n"},
                               {"when … (the situation", "we go a day without talking\n"},
                               {"I feel loved and connected when … (what helps", "\n"},
                               {"This part is needed", ""},
                               {"I feel loved and connected when … (what helps", "we talk\n"}});
  ASSERT_EQ(asked.exit_code, kExitOk) << asked;
  EXPECT_TRUE(Contains(asked.out,
                       "I feel lonely when we go a day without talking. I feel loved "
                       "and connected when we talk."))
      << asked;
  const nlohmann::json statements = ListJson({"--kind", "statement"});
  ASSERT_EQ(statements.size(), 1u);
  EXPECT_EQ(statements[0]["fields"]["need"], "we talk");

  // A flag given is not asked for; Ctrl-D at a prompt saves nothing.
  const std::string when_prompt = "when … (the situation";
  const RunResult stopped = RunOnTty({"statement", "--feel", "scared"}, {{when_prompt, "\x04"}});
  EXPECT_EQ(stopped.exit_code, kExitCancelled) << stopped;
  // The first part asked is the situation: the shape's line, then its prompt.
  std::istringstream shown(WithoutNotes(stopped.out));
  std::string shape, first_prompt;
  std::getline(shown, shape);
  std::getline(shown, first_prompt);
  EXPECT_EQ(first_prompt.rfind(when_prompt, 0), 0u) << stopped;
  EXPECT_EQ(ListJson({"--kind", "statement"}).size(), 1u);
}

TEST_F(TextInputTest, BoundaryRestateTakesItsOptionalNoteFromStandardInputOrAPrompt) {
  const std::string id = Add("boundary", "I step out for ten minutes when voices rise");
  ASSERT_EQ(Run({"boundary", "restate", id}, "after dinner,\ncalmly\n").exit_code, kExitOk);
  ASSERT_EQ(Run({"boundary", "restate", id}, "").exit_code, kExitOk);
  const RunResult asked =
      RunOnTty({"boundary", "restate", id},
               {{"A note on what happened (optional; Enter for none): ", "at the station\n"}});
  ASSERT_EQ(asked.exit_code, kExitOk) << asked;
  const RunResult skipped =
      RunOnTty({"boundary", "restate", id},
               {{"A note on what happened (optional; Enter for none): ", "\n"}});
  ASSERT_EQ(skipped.exit_code, kExitOk) << skipped;

  const nlohmann::json restated = ShowJson(id)["fields"]["restatements"];
  ASSERT_EQ(restated.size(), 4u) << restated;
  EXPECT_EQ(restated[0]["note"], "after dinner,\ncalmly");
  EXPECT_FALSE(restated[1].contains("note")) << "empty standard input: no note";
  EXPECT_EQ(restated[2]["note"], "at the station");
  EXPECT_FALSE(restated[3].contains("note")) << "Enter at the prompt: no note";

  // An id that is not there fails before anything is asked (a prompt would wait in vain).
  const RunResult missing = RunOnTty({"boundary", "restate", "ffffffff"}, {});
  EXPECT_EQ(missing.exit_code, kExitNotFound) << missing;
  // The terminal shows the failure, as a pipe does, and nothing else.
  const RunResult piped_missing = Run({"boundary", "restate", "ffffffff"});
  std::string shown = WithoutNotes(missing.out);
  std::erase(shown, '\r');
  EXPECT_EQ(shown, WithoutNotes(piped_missing.err)) << missing << piped_missing;
}

}  // namespace
}  // namespace attune::e2e
