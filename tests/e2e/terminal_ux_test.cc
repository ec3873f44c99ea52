// How attune looks on a terminal and stays out of the way on a pipe: the progress bar of long
// work, the layout of `steps` and `together` (columns, wrapping, colour), the gentle next-step
// hint, and the --json of the commands that gained it with them.
#include <cstdio>
#include <regex>
#include <set>
#include <sstream>

#include "tests/e2e/e2e_fixture.h"

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
  EXPECT_TRUE(Contains(on_tty.out, "Importing [")) << on_tty;
  EXPECT_TRUE(Contains(on_tty.out, "of 2000 entries")) << on_tty;
  EXPECT_FALSE(Contains(on_tty.out, kSecretWords)) << "the bar shows counts, never entry text";
  // Erased at the end: the summary starts on a line the bar's spaces and carriage return left.
  const size_t summary = on_tty.out.find("Imported: 2000 added");
  ASSERT_NE(summary, std::string::npos) << on_tty;
  EXPECT_EQ(on_tty.out.rfind('\r', summary), summary - 1) << on_tty;
  EXPECT_EQ(on_tty.out[summary - 2], ' ') << "the bar's line is blanked before the summary";

  const RunResult exported =
      RunOnTty({"export", "--format", "json", "--out", PathIn("x.json")}, {});
  ASSERT_EQ(exported.exit_code, kExitOk) << exported;
  EXPECT_TRUE(Contains(exported.out, "Exporting [")) << exported;
  EXPECT_FALSE(Contains(exported.out, kSecretWords)) << exported;

  // On pipes: nothing but the output. The export on standard output is still pure JSON.
  ASSERT_EQ(Run({"--home", OtherHome(), "init", "--name", "Alex", "--no-passphrase"}).exit_code,
            kExitOk);
  const RunResult piped = Run({"--home", OtherHome(), "import", PathIn("many.json")});
  ASSERT_EQ(piped.exit_code, kExitOk) << piped;
  EXPECT_EQ(WithoutNotes(piped.err), "") << piped;
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
  Add("need", "Row one: to hear a word of welcome when I come home, even on the busiest of days",
      {"--share", "--tag", "evenings"});
  Add("statement", "Row two: I feel lonely when we eat apart.", {"--share"});
  Add("boundary", "Row three: I step out for ten minutes when voices rise.", {"--share"});
  Add("note", "private, not in the timeline");
  for (const int columns : {60, 100}) {
    env["COLUMNS"] = std::to_string(columns);
    const RunResult result = Run({"together"});
    ASSERT_EQ(result.exit_code, kExitOk) << result;
    std::set<size_t> text_columns;
    int rows = 0;
    for (const std::string& line : Lines(result.out)) {
      EXPECT_LE(Width(line), static_cast<size_t>(columns)) << columns << ": " << line;
      if (const size_t at = line.find("Row "); at != std::string::npos) {
        text_columns.insert(at);
        ++rows;
      }
      EXPECT_FALSE(Contains(line, "private, not in")) << line;
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
  EXPECT_EQ(ParseJson(removed.out), (nlohmann::json{{"deleted", id}, {"withdrawn", false}}));
}

TEST_F(TerminalUxTest, HintAfterInitAndAddOnATerminalOnly) {
  const RunResult init = RunOnTty({"init", "--name", "Sam", "--no-passphrase"}, {});
  ASSERT_EQ(init.exit_code, kExitOk) << init;
  EXPECT_TRUE(Contains(init.out, "When you feel ready, step 1")) << init;
  EXPECT_TRUE(Contains(init.out, "attune quiz")) << init;

  const RunResult first = RunOnTty({"add", "trigger", "when plans change"}, {});
  ASSERT_EQ(first.exit_code, kExitOk) << first;
  EXPECT_TRUE(Contains(first.out, "Step 4 so far: 1 of 3 triggers")) << first;
  const RunResult piped = Run({"add", "trigger", "when the phone stays silent"});
  EXPECT_FALSE(Contains(piped.out, "Step 4")) << piped;
  EXPECT_FALSE(Contains(piped.err, "Step 4")) << piped;
  EXPECT_EQ(Lines(piped.out).size(), 1u) << "only the id on a pipe";
  const RunResult third = RunOnTty({"add", "trigger", "when I wait alone"}, {});
  EXPECT_TRUE(Contains(third.out, "When you feel ready, step 5")) << third;
  EXPECT_TRUE(Contains(third.out, "attune themes")) << third;
}

TEST_F(TerminalUxTest, NoHintWhenQuietWithJsonOrAfterAFailure) {
  const RunResult piped_init = Run({"init", "--name", "Sam", "--no-passphrase"});
  ASSERT_EQ(piped_init.exit_code, kExitOk);
  EXPECT_FALSE(Contains(piped_init.out, "When you feel ready")) << piped_init;
  env["ATTUNE_QUIET"] = "1";
  const RunResult quiet = RunOnTty({"add", "trigger", "quietly"}, {});
  ASSERT_EQ(quiet.exit_code, kExitOk) << quiet;
  EXPECT_FALSE(Contains(quiet.out, "Step 4")) << quiet;
  env.erase("ATTUNE_QUIET");
  const RunResult json = RunOnTty({"add", "trigger", "as data", "--json"}, {});
  ASSERT_EQ(json.exit_code, kExitOk) << json;
  EXPECT_FALSE(Contains(json.out, "Step 4")) << json;
  const RunResult failed = RunOnTty({"add", "feelings", "not a kind"}, {});
  EXPECT_EQ(failed.exit_code, kExitUsage) << failed;
  EXPECT_FALSE(Contains(failed.out, "Step ")) << failed;
  EXPECT_FALSE(Contains(failed.out, "When you feel ready")) << failed;
  // The control: without ATTUNE_QUIET the same terminal does hint (the third trigger: step 5).
  EXPECT_TRUE(Contains(RunOnTty({"add", "trigger", "once more"}, {}).out, "step 5"));
}

}  // namespace
}  // namespace attune::e2e
