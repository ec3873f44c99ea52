// Backups: export as Markdown or JSON, and import back, idempotently and all-or-nothing.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "tests/e2e/e2e_fixture.h"

namespace attune::e2e {
namespace {

// The texts FillJournal writes (the user's own words, read back from exports).
constexpr const char* kTriggerText = "I feel small when plans change";
constexpr const char* kUpsideText = "I notice moods early";
constexpr const char* kNoteText = "line one\nline two, with \"quotes\" and ünïcode";
constexpr const char* kNoteFirstLine = "line one";

class ExportImportTest : public AttuneTest {
 protected:
  void SetUp() override {
    AttuneTest::SetUp();
    InitJournal();
  }

  // A journal with a little of everything: kinds, tags, links, a statement, a restatement, a quiz.
  void FillJournal() {
    const std::string trigger = Add("trigger", kTriggerText, {"--tag", "plans"});
    Add("wound", "not mattering", {"--link", trigger});
    Add("upside", kUpsideText);
    Add("note", kNoteText);
    const std::string boundary = Add("boundary", "I take a walk when it gets loud");
    ASSERT_EQ(Run({"boundary", "restate", boundary, "Sunday"}).exit_code, kExitOk);
    ASSERT_EQ(Run({"statement", "--feel", "tense", "--when", "the bills arrive", "--need",
                   "we open them together"})
                  .exit_code,
              kExitOk);
    ASSERT_EQ(Run({"quiz"}, QuizAnswers(5)).exit_code, kExitOk);
  }

  // Runs with --home DIR prepended: a second journal next to the first.
  RunResult RunIn(const std::string& dir, std::vector<std::string> args,
                  const std::string& input = "") {
    args.insert(args.begin(), {"--home", dir});
    return Run(args, input);
  }

  std::string ExportJsonTo(const std::string& name) {
    const RunResult result = Run({"export", "--format", "json", "--out", PathIn(name)});
    EXPECT_EQ(result.exit_code, kExitOk) << result;
    return PathIn(name);
  }
};

TEST_F(ExportImportTest, MarkdownHasTheNameStepsEntriesAndTags) {
  FillJournal();
  const RunResult result = Run({"export", "--format", "md"});
  ASSERT_EQ(result.exit_code, kExitOk) << result;
  const std::string& md = result.out;
  // The title, its warning and the layout are cli's (tests/cli/markdown_export_test.cc).
  EXPECT_EQ(md.rfind("# ", 0), 0u) << md;
  EXPECT_NE(md.substr(0, md.find('\n')).find("Sam"), std::string::npos) << "the owner's name";
  for (int step = 1; step <= 9; ++step) {
    EXPECT_NE(md.find("## Step " + std::to_string(step) + ":"), std::string::npos) << step;
  }
  EXPECT_NE(md.find(kTriggerText), std::string::npos);
  EXPECT_NE(md.find("#plans"), std::string::npos);
  EXPECT_NE(md.find(kNoteText), std::string::npos);
  const nlohmann::json statements = ListJson({"--kind", "statement"});
  ASSERT_EQ(statements.size(), 1u) << statements;
  EXPECT_NE(md.find(statements[0]["text"].get<std::string>()), std::string::npos)
      << "the statement as composed from its parts";
  EXPECT_LT(md.find(kUpsideText), md.find(kTriggerText)) << "step 3 comes before step 4";
  EXPECT_LT(md.find("## Notes"), md.find(kNoteFirstLine)) << "notes come last";
}

TEST_F(ExportImportTest, ExportToAFileIsPrivateAndWarns) {
  const std::string text = "to a file";
  Add("note", text);
  const std::string path = PathIn("backup.md");
  const RunResult result = Run({"export", "--out", path});
  ASSERT_EQ(result.exit_code, kExitOk) << result;
  EXPECT_TRUE(result.out.empty()) << result;
  // A note naming the file (its warning, ExportedNote, is checked in tests/cli).
  EXPECT_NE(WithoutNotes(result.err).find(path), std::string::npos) << result;
  EXPECT_NE(ReadFile(path).find(text), std::string::npos);
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  for (const auto& item : std::filesystem::directory_iterator(root())) {
    EXPECT_EQ(item.path().filename().string().find("attune-tmp"), std::string::npos)
        << item.path() << " was left behind";
  }
}

// Exports are plaintext. A file someone planted at the name earlier versions wrote through
// (FILE.attune-tmp), with a second name for it kept elsewhere, must never receive the export,
// nor a link there be followed.
TEST_F(ExportImportTest, ExportNeverWritesThroughAFilePlantedAtAPredictableName) {
  Add("note", "Marigold is private");
  const std::string path = PathIn("backup.md");
  WriteFile(PathIn("planted"), "");
  ASSERT_EQ(::link(PathIn("planted").c_str(), (path + ".attune-tmp").c_str()), 0);
  WriteFile(PathIn("victim"), "someone else's file");
  ASSERT_EQ(::symlink(PathIn("victim").c_str(), (path + ".attune-tmp-XXXXXX").c_str()), 0);

  const RunResult result = Run({"export", "--out", path});
  ASSERT_EQ(result.exit_code, kExitOk) << result;
  EXPECT_NE(ReadFile(path).find("Marigold"), std::string::npos);
  EXPECT_EQ(ReadFile(PathIn("planted")), "") << "the export went into the planted file";
  EXPECT_EQ(ReadFile(PathIn("victim")), "someone else's file");
}

TEST_F(ExportImportTest, ExportRejectsUnknownFormatsAndUnwritablePaths) {
  EXPECT_EQ(Run({"export", "--format", "xml"}).exit_code, kExitUsage);
  const RunResult missing = Run({"export", "--out", PathIn("no/such/dir/x.md")});
  EXPECT_EQ(missing.exit_code, kExitNotFound) << missing;  // the folder is named (issue 19)
  EXPECT_FALSE(missing.err.empty());
  WriteFile(PathIn("a-file"), "");
  const RunResult unwritable = Run({"export", "--out", PathIn("a-file/x.md")});  // not a folder
  EXPECT_EQ(unwritable.exit_code, kExitIo) << unwritable;
  EXPECT_FALSE(unwritable.err.empty());
}

// Issue 19: export replaced an existing file without a word.
TEST_F(ExportImportTest, AnExistingFileIsReplacedOnlyWhenAskedTo) {
  Add("note", "new words");
  const std::string out = PathIn("journal.md");
  WriteFile(out, "an earlier export");
  const RunResult refused = Run({"export", "--out", out});
  EXPECT_EQ(refused.exit_code, kExitUsage) << refused;
  EXPECT_NE(refused.err.find("--force"), std::string::npos) << "says how: " << refused;
  EXPECT_EQ(ReadFile(out), "an earlier export");

  const RunResult declined = RunOnTty({"export", "--out", out}, {{"[y/N] ", "n\n"}});
  EXPECT_EQ(declined.exit_code, kExitCancelled) << declined;
  EXPECT_EQ(ReadFile(out), "an earlier export");
  const RunResult accepted = RunOnTty({"export", "--out", out}, {{"[y/N] ", "y\n"}});
  EXPECT_EQ(accepted.exit_code, kExitOk) << accepted;
  EXPECT_NE(ReadFile(out).find("new words"), std::string::npos);

  WriteFile(out, "an earlier export");
  EXPECT_EQ(Run({"export", "--out", out, "--force"}).exit_code, kExitOk);
  EXPECT_NE(ReadFile(out).find("new words"), std::string::npos);
  EXPECT_EQ(Run({"export", "--force"}).exit_code, kExitUsage) << "--force goes with --out";
}

TEST_F(ExportImportTest, JsonExportHasTheDocumentShape) {
  FillJournal();
  const RunResult result = Run({"export", "--format", "json"});
  ASSERT_EQ(result.exit_code, kExitOk) << result;
  const nlohmann::json document = ParseJson(result.out);
  EXPECT_EQ(document["format"], "attune-export");
  EXPECT_EQ(document["version"], 1);
  EXPECT_EQ(document["name"], "Sam");
  EXPECT_TRUE(document["exported"].is_string());
  EXPECT_EQ(document["entries"], ListJson());
}

TEST_F(ExportImportTest, ImportIntoAFreshHomeReproducesTheJournal) {
  FillJournal();
  const std::string backup = ExportJsonTo("backup.json");
  const std::string fresh = PathIn("fresh");
  ASSERT_EQ(RunIn(fresh, {"init", "--name", "Sam", "--no-passphrase"}).exit_code, kExitOk);
  const RunResult imported = RunIn(fresh, {"import", backup});
  ASSERT_EQ(imported.exit_code, kExitOk) << imported;
  const size_t count = ListJson().size();
  EXPECT_NE(imported.out.find(std::to_string(count) + " added, 0 updated, 0 already here"),
            std::string::npos)
      << imported;
  const RunResult listed = RunIn(fresh, {"list", "--json"});
  ASSERT_EQ(listed.exit_code, kExitOk);
  EXPECT_EQ(ParseJson(listed.out), ListJson()) << "ids, texts, fields, links and times survive";
  const RunResult style = RunIn(fresh, {"style", "--json"});
  EXPECT_EQ(ParseJson(style.out)["id"], ParseJson(Run({"style", "--json"}).out)["id"]);
}

TEST_F(ExportImportTest, ImportIsIdempotentAndTakesNewerEdits) {
  const std::string id = Add("need", "version one");
  Add("note", "unchanged");
  const std::string backup = ExportJsonTo("v1.json");
  const RunResult again = Run({"import", backup});
  ASSERT_EQ(again.exit_code, kExitOk) << again;
  EXPECT_NE(again.out.find("0 added, 0 updated, 2 already here"), std::string::npos) << again;
  EXPECT_EQ(ListJson().size(), 2u);

  const std::string fresh = PathIn("fresh");
  ASSERT_EQ(RunIn(fresh, {"init", "--name", "Sam", "--no-passphrase"}).exit_code, kExitOk);
  ASSERT_EQ(RunIn(fresh, {"import", backup}).exit_code, kExitOk);
  ASSERT_EQ(Run({"edit", id, "version two"}).exit_code, kExitOk);
  const RunResult newer = RunIn(fresh, {"import", ExportJsonTo("v2.json")});
  ASSERT_EQ(newer.exit_code, kExitOk) << newer;
  EXPECT_NE(newer.out.find("0 added, 1 updated, 1 already here"), std::string::npos) << newer;
  EXPECT_EQ(ParseJson(RunIn(fresh, {"show", id, "--json"}).out)["text"], "version two");
  // An older export does not undo the newer edit.
  const RunResult older = RunIn(fresh, {"import", backup});
  EXPECT_NE(older.out.find("0 added, 0 updated, 2 already here"), std::string::npos) << older;
  EXPECT_EQ(ParseJson(RunIn(fresh, {"show", id, "--json"}).out)["text"], "version two");
}

TEST_F(ExportImportTest, GarbageImportsAreRefusedAndAddNothing) {
  Add("note", "already here");
  const std::string before = ReadFile(database());
  const std::vector<std::pair<std::string, int>> cases = {
      {"this is not json at all", kExitUsage},
      {"[1, 2, 3]", kExitUsage},
      {R"({"format":"something-else","version":1,"entries":[]})", kExitUsage},
      {R"({"format":"attune-export","version":1,"entries":"nope"})", kExitUsage},
      {R"({"format":"attune-export","version":2,"entries":[]})", kExitDataProblem},
  };
  for (const auto& [content, expected] : cases) {
    WriteFile(PathIn("bad.json"), content);
    const RunResult result = Run({"import", PathIn("bad.json")});
    EXPECT_EQ(result.exit_code, expected) << content << "\n" << result;
    EXPECT_FALSE(result.err.empty());
  }
  const RunResult missing = Run({"import", PathIn("missing.json"), "--json"});
  EXPECT_EQ(missing.exit_code, kExitNotFound) << missing;
  // About the file, not about entry ids (its sentence: tests/cli/reason_messages_test.cc).
  EXPECT_EQ(FailureReason(missing), "cannot_open_file") << missing;
  EXPECT_NE(missing.err.find(PathIn("missing.json")), std::string::npos) << missing;
  EXPECT_EQ(ListJson().size(), 1u);
  EXPECT_EQ(ReadFile(database()), before);
}

TEST_F(ExportImportTest, OneBadEntryMeansNothingIsImported) {
  const nlohmann::json good =
      ExportedEntry(std::string(32, 'c'), "note", "good one", "2026-01-01T00:00:00.000+00:00");
  std::vector<nlohmann::json> bad_entries = {
      ExportedEntry("c0ffee", "note", "short id", "2026-01-01T00:00:00.000+00:00"),
      ExportedEntry(std::string(32, 'd'), "feelings", "unknown kind", "2026-01-01T00:00:00Z"),
      ExportedEntry(std::string(32, 'e'), "note", "bad time", "yesterday"),
      ExportedEntry(std::string(32, 'f'), "note", "bad link", "2026-01-01T00:00:00Z"),
      ExportedEntry(std::string(32, '1'), "note", "odd visibility", "2026-01-01T00:00:00Z"),
      ExportedEntry(std::string(32, '2'), "note", "odd author", "2026-01-01T00:00:00Z"),
  };
  bad_entries[3]["links"] = nlohmann::json::array({"abcd"});
  bad_entries[4]["visibility"] = "public";
  bad_entries[5]["author"] = "mallory";
  for (const nlohmann::json& bad : bad_entries) {
    WriteFile(PathIn("mixed.json"), ExportDocument({good, bad}));
    const RunResult result = Run({"import", PathIn("mixed.json")});
    EXPECT_EQ(result.exit_code, kExitUsage) << bad << "\n" << result;
  }
  EXPECT_TRUE(ListJson().empty()) << "an import lands whole or not at all";
}

// What `add` refuses, `import` must refuse too: an export can be edited by hand or come from
// elsewhere, and an entry with empty text or an empty tag is one attune could never have made.
TEST_F(ExportImportTest, ImportAppliesTheSameRulesAsAdd) {
  nlohmann::json empty_text =
      ExportedEntry(std::string(32, 'a'), "note", "", "2026-01-01T00:00:00.000+00:00");
  nlohmann::json empty_tag =
      ExportedEntry(std::string(32, 'b'), "note", "fine text", "2026-01-01T00:00:00.000+00:00");
  empty_tag["tags"] = nlohmann::json::array({""});
  for (const nlohmann::json& entry : {empty_text, empty_tag}) {
    WriteFile(PathIn("odd.json"), ExportDocument({entry}));
    const RunResult result = Run({"import", PathIn("odd.json")});
    EXPECT_EQ(result.exit_code, kExitUsage) << entry << "\n" << result;
  }
  EXPECT_TRUE(ListJson().empty());
}

}  // namespace
}  // namespace attune::e2e
