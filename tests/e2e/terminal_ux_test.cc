// How attune looks on a terminal and stays out of the way on a pipe: the progress bar of long
// work, the layout of `steps` and `together` (columns, wrapping, colour), the gentle next-step
// hint, and the --json of the commands that gained it with them.
#include <cstdio>
#include <regex>
#include <set>
#include <sstream>

#include "tests/e2e/e2e_fixture.h"
#include "tests/e2e/progress_bar.h"

namespace attune::e2e {
namespace {

constexpr int kManyEntries = 2000;  // above the bar's threshold (cli/progress.h: 1000)
constexpr const char* kSecretWords = "PRIVATE-WORDS";

// The lines of `text` without the terminal's carriage returns.
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::erase(line, '\r');
    lines.push_back(line);
  }
  return lines;
}

// Characters as a terminal shows them (UTF-8 code points).
size_t Width(const std::string& line) {
  size_t width = 0;
  for (const char byte : line) width += (static_cast<unsigned char>(byte) & 0xC0) != 0x80;
  return width;
}

// What a command showed on a terminal (its output and errors share it), line by line, without
// attune's notes (such as the one every command on a journal without a passphrase gives).
std::vector<std::string> ShownLines(const RunResult& on_tty) {
  return Lines(WithoutNotes(on_tty.out));
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string ManyEntriesDocument(int count) {
  std::vector<nlohmann::json> entries;
  for (int i = 1; i <= count; ++i) {
    char id[33];
    std::snprintf(id, sizeof id, "%032x", i);
    entries.push_back(ExportedEntry(id, "note", std::string(kSecretWords) + " " + std::to_string(i),
                                    "2026-01-01T00:00:00.000+00:00"));
  }
  return ExportDocument(entries);
}

class TerminalUxTest : public AttuneTest {
 protected:
  std::string OtherHome() { return PathIn("other-home"); }
};

TEST_F(TerminalUxTest, ImportAndExportShowAProgressBarOnATerminalOnly) {
  InitJournal();
  WriteFile(PathIn("many.json"), ManyEntriesDocument(kManyEntries));

  const RunResult on_tty = RunOnTty({"import", PathIn("many.json")}, {});
  ASSERT_EQ(on_tty.exit_code, kExitOk) << on_tty;
  EXPECT_TRUE(HasProgressBarOf(on_tty.out, kManyEntries)) << on_tty;
  // The bar shows counts, never entry text.
  EXPECT_FALSE(Contains(on_tty.out, kSecretWords)) << on_tty;

  const RunResult exported =
      RunOnTty({"export", "--format", "json", "--out", PathIn("x.json")}, {});
  ASSERT_EQ(exported.exit_code, kExitOk) << exported;
  EXPECT_TRUE(HasProgressBarOf(exported.out, kManyEntries)) << exported;
  EXPECT_FALSE(Contains(exported.out, kSecretWords)) << exported;

  // On pipes: nothing but the output. The export on standard output is still pure JSON.
  ASSERT_EQ(Run({"--home", OtherHome(), "init", "--name", "Alex", "--no-passphrase"}).exit_code,
            kExitOk);
  const RunResult piped = Run({"--home", OtherHome(), "import", PathIn("many.json")});
  ASSERT_EQ(piped.exit_code, kExitOk) << piped;
  EXPECT_EQ(WithoutNotes(piped.err), "") << piped;
  // On the terminal the bar was erased at the end: right after it, the same summary as on the
  // pipe, then (on a terminal only) the hint.
  const std::vector<std::string> piped_lines = Lines(piped.out);
  const std::vector<std::string> after_bar = Lines(WithoutNotes(AfterProgressBar(on_tty.out)));
  ASSERT_EQ(piped_lines.size(), 1u) << piped;
  ASSERT_EQ(after_bar.size(), 2u) << on_tty;
  EXPECT_EQ(after_bar[0], piped_lines[0]) << on_tty;
  const RunResult piped_export = Run({"export", "--format", "json"});
  ASSERT_EQ(piped_export.exit_code, kExitOk);
  EXPECT_EQ(WithoutNotes(piped_export.err), "");
  EXPECT_EQ(ParseJson(piped_export.out)["entries"].size(), static_cast<size_t>(kManyEntries));
}

TEST_F(TerminalUxTest, NoBarForAFewEntries) {
  InitJournal();
  WriteFile(PathIn("few.json"), ManyEntriesDocument(10));
  const RunResult result = RunOnTty({"import", PathIn("few.json")}, {});
  ASSERT_EQ(result.exit_code, kExitOk) << result;
  EXPECT_FALSE(Contains(result.out, "Importing")) << result;
}

TEST_F(TerminalUxTest, StepsKeepToTheWidthAndAlignTheirColumns) {
  InitJournal();
  for (int i = 0; i < 3; ++i) Add("upside", "strength " + std::to_string(i));
  ASSERT_EQ(Run({"quiz"}, QuizAnswers(3)).exit_code, kExitOk);
  const std::regex summary(R"(\d+ of \d+ )");
  for (const int columns : {60, 100, 130}) {
    env["COLUMNS"] = std::to_string(columns);
    const RunResult result = Run({"steps"});
    ASSERT_EQ(result.exit_code, kExitOk) << result;
    std::set<long> summary_columns;
    int step_lines = 0;
    for (const std::string& line : Lines(result.out)) {
      EXPECT_LE(Width(line), static_cast<size_t>(columns)) << columns << ": " << line;
      std::smatch found;
      if (std::regex_search(line, found, summary) && found.position(0) > 0) {
        summary_columns.insert(found.position(0));
      }
      if (std::regex_search(line, std::regex(R"(^\[[x~ ]\] \d\. )"))) ++step_lines;
    }
    EXPECT_EQ(step_lines, 9) << result;
    EXPECT_EQ(summary_columns.size(), 1u) << columns << " columns, progress not aligned:\n"
                                          << result;
  }
  env.erase("COLUMNS");
  for (const std::string& line : Lines(Run({"steps"}).out)) {
    EXPECT_LE(Width(line), 80u) << "a pipe is 80 columns wide: " << line;
  }
}

TEST_F(TerminalUxTest, TogetherAlignsItsColumnsWithinTheWidth) {
  InitJournal();
  // The shared entries' texts start with a marker the rows are found by; the private one's never
  // shows.
  const std::string row = "ROW-";
  const std::string private_text = "PRIVATE-NOTE not in the timeline";
  Add("need", row + "one: to hear a word of welcome when I come home, even on the busiest of days",
      {"--share", "--tag", "evenings"});
  Add("statement", row + "two: I feel lonely when we eat apart.", {"--share"});
  Add("boundary", row + "three: I step out for ten minutes when voices rise.", {"--share"});
  Add("note", private_text);
  for (const int columns : {60, 100}) {
    env["COLUMNS"] = std::to_string(columns);
    const RunResult result = Run({"together"});
    ASSERT_EQ(result.exit_code, kExitOk) << result;
    std::set<size_t> text_columns;
    int rows = 0;
    for (const std::string& line : Lines(result.out)) {
      EXPECT_LE(Width(line), static_cast<size_t>(columns)) << columns << ": " << line;
      if (const size_t at = line.find(row); at != std::string::npos) {
        text_columns.insert(at);
        ++rows;
      }
      EXPECT_FALSE(Contains(line, "PRIVATE-NOTE")) << line;
    }
    EXPECT_EQ(rows, 3) << result;
    EXPECT_EQ(text_columns.size(), 1u) << columns << " columns, text not aligned:\n" << result;
  }
}

TEST_F(TerminalUxTest, ColourOnATerminalOnlyAndNeverWithNoColorOrADumbTerminal) {
  InitJournal();
  Add("need", "a shared need", {"--share"});
  for (const std::string command : {"steps", "together"}) {
    env.erase("NO_COLOR");
    const RunResult coloured = RunOnTty({command}, {});
    ASSERT_EQ(coloured.exit_code, kExitOk) << coloured;
    EXPECT_TRUE(Contains(coloured.out, "\033[")) << command << ": no colour on a terminal";
    EXPECT_FALSE(Contains(Run({command}).out, "\033")) << command << ": colour on a pipe";
    env["TERM"] = "dumb";
    EXPECT_FALSE(Contains(RunOnTty({command}, {}).out, "\033")) << command << ": TERM=dumb";
    env.erase("TERM");
    env["NO_COLOR"] = "1";
    EXPECT_FALSE(Contains(RunOnTty({command}, {}).out, "\033")) << command << ": NO_COLOR";
  }
}

TEST_F(TerminalUxTest, NewJsonOutputsParse) {
  const RunResult init = Run({"init", "--name", "Sam", "--no-passphrase", "--json"});
  ASSERT_EQ(init.exit_code, kExitOk) << init;
  const nlohmann::json made = ParseJson(init.out);
  EXPECT_EQ(made["home"], home());
  EXPECT_EQ(made["passphrase"], false);

  const RunResult step = Run({"step", "4", "--json"});
  ASSERT_EQ(step.exit_code, kExitOk) << step;
  const nlohmann::json guide = ParseJson(step.out);
  EXPECT_EQ(guide["step"], 4);
  EXPECT_EQ(guide["kinds"], nlohmann::json::array({"trigger"}));
  EXPECT_FALSE(guide["prompts"].empty());
  EXPECT_TRUE(guide["guidance"].is_string());

  WriteFile(PathIn("few.json"), ManyEntriesDocument(3));
  const RunResult imported = Run({"import", PathIn("few.json"), "--json"});
  ASSERT_EQ(imported.exit_code, kExitOk) << imported;
  EXPECT_EQ(ParseJson(imported.out),
            (nlohmann::json{{"added", 3}, {"updated", 0}, {"unchanged", 0}}));

  const std::string id = Add("need", "to be asked", {"--share"});
  const RunResult unshared = Run({"unshare", id, "--json"});
  ASSERT_EQ(unshared.exit_code, kExitOk) << unshared;
  EXPECT_EQ(ParseJson(unshared.out)["visibility"], "private");

  const RunResult removed = Run({"rm", id, "--yes", "--json"});
  ASSERT_EQ(removed.exit_code, kExitOk) << removed;
  const nlohmann::json trashed = ParseJson(removed.out);
  EXPECT_EQ(trashed["trashed"], id);
  EXPECT_EQ(trashed["withdrawn"], false);
}

TEST_F(TerminalUxTest, HintAfterInitAndAddOnATerminalOnly) {
  // The hint's words, and which step it names for which progress: tests/cli (hints_test). Here:
  // that it is one line more on a terminal, and that it follows the journal's progress.
  const RunResult init = RunOnTty({"init", "--name", "Sam", "--no-passphrase"}, {});
  ASSERT_EQ(init.exit_code, kExitOk) << init;
  const RunResult piped_init =
      Run({"--home", OtherHome(), "init", "--name", "Alex", "--no-passphrase"});
  ASSERT_EQ(piped_init.exit_code, kExitOk) << piped_init;
  EXPECT_EQ(ShownLines(init).size(), Lines(piped_init.out).size() + 1) << init << piped_init;

  const RunResult first = RunOnTty({"add", "trigger", "when plans change"}, {});
  ASSERT_EQ(first.exit_code, kExitOk) << first;
  const std::vector<std::string> first_lines = ShownLines(first);
  ASSERT_EQ(first_lines.size(), 2u) << "the id and the hint: " << first;
  // Step 4 (triggers) is under way: the hint says where it stands, as `steps --json` does.
  const nlohmann::json step4 = ParseJson(Run({"steps", "--json"}).out)["steps"][3];
  ASSERT_EQ(step4["step"], 4);
  EXPECT_TRUE(Contains(first_lines[1], step4["summary"].get<std::string>())) << first;
  const RunResult piped = Run({"add", "trigger", "when the phone stays silent"});
  EXPECT_EQ(WithoutNotes(piped.err), "") << piped;
  EXPECT_EQ(Lines(piped.out).size(), 1u) << "only the id on a pipe";
  const RunResult third = RunOnTty({"add", "trigger", "when I wait alone"}, {});
  const std::vector<std::string> third_lines = ShownLines(third);
  ASSERT_EQ(third_lines.size(), 2u) << "the id and the hint: " << third;
  // Step 4 is complete now: the hint moves on to step 5.
  ASSERT_EQ(ParseJson(Run({"steps", "--json"}).out)["steps"][3]["complete"], true);
  EXPECT_NE(third_lines[1], first_lines[1]) << third;
  EXPECT_TRUE(Contains(third_lines[1], "5")) << third;
  EXPECT_FALSE(Contains(third_lines[1], "4")) << third;
}

TEST_F(TerminalUxTest, NoHintWhenQuietWithJsonOrAfterAFailure) {
  // Each case prints what it prints without a hint: no line more than the same on a pipe.
  const RunResult piped_init = Run({"init", "--name", "Sam", "--no-passphrase"});
  ASSERT_EQ(piped_init.exit_code, kExitOk);
  const RunResult tty_init =
      RunOnTty({"--home", OtherHome(), "init", "--name", "Alex", "--no-passphrase"}, {});
  ASSERT_EQ(tty_init.exit_code, kExitOk) << tty_init;
  EXPECT_EQ(Lines(piped_init.out).size() + 1, ShownLines(tty_init).size())
      << "the control: a terminal's init hints\n"
      << piped_init << tty_init;
  env["ATTUNE_QUIET"] = "1";
  const RunResult quiet = RunOnTty({"add", "trigger", "quietly"}, {});
  ASSERT_EQ(quiet.exit_code, kExitOk) << quiet;
  EXPECT_EQ(ShownLines(quiet).size(), 1u) << "only the id: " << quiet;
  env.erase("ATTUNE_QUIET");
  const RunResult json = RunOnTty({"add", "trigger", "as data", "--json"}, {});
  ASSERT_EQ(json.exit_code, kExitOk) << json;
  EXPECT_EQ(ParseJson(WithoutNotes(json.out))["kind"], "trigger") << "only the JSON: " << json;
  const RunResult failed = RunOnTty({"add", "feelings", "not a kind"}, {});
  EXPECT_EQ(failed.exit_code, kExitUsage) << failed;
  const RunResult piped_failed = Run({"add", "feelings", "not a kind"});
  EXPECT_EQ(piped_failed.out, "") << piped_failed;
  EXPECT_EQ(ShownLines(failed).size(), Lines(WithoutNotes(piped_failed.err)).size())
      << "only the failure: " << failed << piped_failed;
  // The control: without ATTUNE_QUIET the same terminal does hint (the third trigger: step 5).
  const RunResult hinted = RunOnTty({"add", "trigger", "once more"}, {});
  ASSERT_EQ(hinted.exit_code, kExitOk) << hinted;
  EXPECT_EQ(ShownLines(hinted).size(), 2u) << "the id and the hint: " << hinted;
}

}  // namespace
}  // namespace attune::e2e
