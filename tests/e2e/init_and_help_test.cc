// Starting out: help, argument errors, init, and where the home is.
#include <sys/stat.h>

#include <regex>
#include <string>

#include "tests/e2e/e2e_fixture.h"

namespace attune::e2e {
namespace {

using InitTest = AttuneTest;

constexpr const char* kAllCommands[] = {"init",   "add",    "statement",    "boundary", "list",
                                        "show",   "edit",   "rm",           "search",   "quiz",
                                        "style",  "steps",  "step",         "themes",   "export",
                                        "import", "passwd", "recovery-kit", "restore",  "trash"};

TEST_F(InitTest, HelpListsEveryCommand) {
  const RunResult result = Run({"--help"});
  ASSERT_EQ(result.exit_code, kExitOk) << result;
  for (const char* command : kAllCommands) {
    EXPECT_NE(result.out.find(std::string("  ") + command), std::string::npos) << command;
  }
  EXPECT_NE(result.out.find("--home"), std::string::npos);
  EXPECT_NE(result.out.find("--passphrase-file"), std::string::npos);
}

TEST_F(InitTest, SubcommandHelpExitsZeroAndNamesTheKinds) {
  const RunResult result = Run({"add", "--help"});
  EXPECT_EQ(result.exit_code, kExitOk) << result;
  EXPECT_NE(result.out.find("--tag"), std::string::npos) << result;
  EXPECT_NE(result.out.find("trigger"), std::string::npos) << result;
  EXPECT_FALSE(PathExists(home())) << "help must not create the home";
}

TEST_F(InitTest, VersionFlagPrintsTheVersion) {
  const RunResult result = Run({"--version"});
  EXPECT_EQ(result.exit_code, kExitOk) << result;
  EXPECT_EQ(result.out.rfind("attune ", 0), 0u) << result;
  EXPECT_NE(result.out.find("\nprotocol attune/2 (Noise_KK_25519_ChaChaPoly_BLAKE2b)\n"),
            std::string::npos)
      << result;
  EXPECT_TRUE(std::regex_search(
      result.out, std::regex("\nlibsodium [0-9]+\\.[0-9]+\\.[0-9]+, SQLite 3\\.[0-9]+\\.[0-9]+, "
                             "protobuf [0-9]+\\.[0-9]+\\.[0-9]+\n$")))
      << result;
}

TEST_F(InitTest, UnknownOrMissingSubcommandIsAUsageError) {
  const RunResult unknown = Run({"frobnicate"});
  EXPECT_EQ(unknown.exit_code, kExitUsage) << unknown;
  EXPECT_FALSE(unknown.err.empty());
  EXPECT_EQ(Run({"list", "--no-such-flag"}).exit_code, kExitUsage);
  EXPECT_EQ(Run({"boundary"}).exit_code, kExitUsage);
  EXPECT_FALSE(PathExists(home()));
}

// Issue 19, git's habits: `attune` alone, `attune help CMD`, a typo, `search` without words.
TEST_F(InitTest, BareAttuneGivesAnOverviewAndRunsNothing) {
  const RunResult bare = Run({});
  EXPECT_EQ(bare.exit_code, kExitOk) << bare;
  EXPECT_NE(bare.out.find("attune help COMMAND"), std::string::npos) << bare;
  EXPECT_FALSE(PathExists(home()));
}

TEST_F(InitTest, HelpCommandShowsThatCommandsHelp) {
  const RunResult help = Run({"help", "list"});
  EXPECT_EQ(help.exit_code, kExitOk) << help;
  EXPECT_EQ(help.out, Run({"list", "--help"}).out);
  const RunResult nested = Run({"help", "boundary", "restate"});
  EXPECT_EQ(nested.exit_code, kExitOk) << nested;
  EXPECT_EQ(nested.out, Run({"boundary", "restate", "--help"}).out);
  const RunResult all = Run({"help"});
  EXPECT_EQ(all.exit_code, kExitOk) << all;
  EXPECT_EQ(all.out, Run({"--help"}).out);
  EXPECT_EQ(Run({"help", "lsit"}).exit_code, kExitUsage);
}

// Issue 19: the support note in full once (init, `help support`), a line at each step.
TEST_F(InitTest, TheSupportNoteIsWholeOnceAndALineAtEachStep) {
  const RunResult support = Run({"help", "support"});
  ASSERT_EQ(support.exit_code, kExitOk) << support;
  const std::string full = support.out.substr(0, support.out.find('\n'));
  const RunResult init = Run({"init", "--name", "Sam", "--no-passphrase"});
  ASSERT_EQ(init.exit_code, kExitOk) << init;
  std::string init_text = init.out;
  for (char& c : init_text) c = c == '\n' ? ' ' : c;
  EXPECT_NE(init_text.find(full.substr(0, 40)), std::string::npos) << init;
  const RunResult step = Run({"step", "4", "--json"});
  ASSERT_EQ(step.exit_code, kExitOk) << step;
  const std::string line = ParseJson(step.out)["support"];
  EXPECT_LT(line.size(), full.size());
  EXPECT_NE(line.find("attune help support"), std::string::npos) << line;
  EXPECT_NE(line.find("emergency services"), std::string::npos) << line;
}

TEST_F(InitTest, AMistypedCommandSuggestsTheNearestAndRunsNothing) {
  const RunResult typo = Run({"--home", home(), "nit", "--name", "Jo"});
  EXPECT_EQ(typo.exit_code, kExitUsage) << typo;
  EXPECT_NE(typo.err.find("`attune init`"), std::string::npos) << typo;
  EXPECT_FALSE(PathExists(home())) << "nothing was run";
}

TEST_F(InitTest, SearchWithoutWordsSaysHowToSearch) {
  InitJournal();
  const RunResult search = Run({"search", "--json"});
  EXPECT_EQ(search.exit_code, kExitUsage) << search;
  EXPECT_NE(search.err.find("`attune search WORD...`"), std::string::npos) << search;
}

TEST_F(InitTest, InitNeedsAName) {
  EXPECT_EQ(Run({"init", "--no-passphrase"}).exit_code, kExitUsage);
  const RunResult blank = Run({"init", "--name", "   ", "--no-passphrase"});
  EXPECT_EQ(blank.exit_code, kExitUsage) << blank;
  EXPECT_FALSE(PathExists(database()));
}

TEST_F(InitTest, InitWithoutPassphraseSaysSoAndMakesAPrivateHome) {
  // What it says without a passphrase: KeepingMessagesTest in tests/cli.
  const RunResult result = Run({"init", "--name", "Sam", "--no-passphrase", "--json"});
  ASSERT_EQ(result.exit_code, kExitOk) << result;
  EXPECT_EQ(ParseJson(result.out), (nlohmann::json{{"home", home()}, {"passphrase", false}}))
      << result;
  ASSERT_TRUE(PathExists(database()));
  struct stat info {};
  ASSERT_EQ(::stat(home().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat(database().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0077, 0u) << "the database must not be readable by others";
}

TEST_F(InitTest, InitTwiceFailsAndChangesNothing) {
  InitJournal();
  const std::string id = Add("note", "written before the second init");
  const std::string before = ReadFile(database());
  const RunResult again = Run({"init", "--name", "Other", "--no-passphrase"});
  EXPECT_EQ(again.exit_code, kExitNoJournal) << again;  // 7: one already exists
  EXPECT_EQ(ReadFile(database()), before);
  EXPECT_EQ(ShowJson(id)["text"], "written before the second init");
  const RunResult exported = Run({"export", "--format", "md"});
  EXPECT_NE(exported.out.find("# Sam's attune journal"), std::string::npos) << exported;
}

TEST_F(InitTest, InitWithPassphraseButNoSourceFailsAndLeavesNothing) {
  const RunResult result = Run({"init", "--name", "Sam", "--interactive-kdf"});
  EXPECT_EQ(result.exit_code, kExitNeedsPassphrase) << result;
  EXPECT_NE(result.err.find("ATTUNE_PASSPHRASE"), std::string::npos) << result;
  EXPECT_FALSE(PathExists(database()));
  // Nothing half-made: a second attempt with a passphrase succeeds.
  env["ATTUNE_PASSPHRASE"] = "a good passphrase";
  const RunResult retry = Run({"init", "--name", "Sam", "--interactive-kdf"});
  EXPECT_EQ(retry.exit_code, kExitOk) << retry;
  EXPECT_NE(retry.out.find("recovery-kit"), std::string::npos) << retry;
}

TEST_F(InitTest, EveryJournalCommandBeforeInitSaysThereIsNoJournal) {
  WriteFile(PathIn("export.json"), R"({"format":"attune-export","version":1,"entries":[]})");
  const std::vector<std::vector<std::string>> commands = {
      {"add", "note", "hello"},
      {"statement", "--feel", "sad", "--when", "we argue", "--need", "we talk"},
      {"boundary", "restate", "abcdef"},
      {"list"},
      {"show", "abcdef"},
      {"edit", "abcdef", "new"},
      {"rm", "abcdef", "--yes"},
      {"search", "hello"},
      {"quiz"},
      {"style"},
      {"steps"},
      {"themes"},
      {"export", "--format", "json"},
      {"import", PathIn("export.json")},
      {"passwd"},
      {"recovery-kit"},
  };
  for (const auto& args : commands) {
    const RunResult result = Run(args, args[0] == "quiz" ? QuizAnswers(4) : "");
    EXPECT_EQ(result.exit_code, kExitNoJournal) << args[0] << "\n" << result;
  }
  EXPECT_FALSE(PathExists(database())) << "no command but init may create a journal";
}

TEST_F(InitTest, StepGuidanceNeedsNoJournal) {
  const RunResult result = Run({"step", "3"});
  EXPECT_EQ(result.exit_code, kExitOk) << result;
  EXPECT_FALSE(result.out.empty()) << result;
  const RunResult json = Run({"step", "3", "--json"});
  EXPECT_EQ(json.exit_code, kExitOk) << json;
  EXPECT_EQ(ParseJson(json.out)["step"], 3) << json;
}

TEST_F(InitTest, HomeFlagOverridesAttuneHome) {
  const std::string other = PathIn("elsewhere");
  const RunResult init = Run({"--home", other, "init", "--name", "Sam", "--no-passphrase"});
  ASSERT_EQ(init.exit_code, kExitOk) << init;
  EXPECT_TRUE(PathExists(other + "/journal.db"));
  EXPECT_FALSE(PathExists(database()));
  const RunResult add = Run({"--home", other, "add", "note", "in the other home"});
  EXPECT_EQ(add.exit_code, kExitOk) << add;
  EXPECT_EQ(Run({"list"}).exit_code, kExitNoJournal);
}

TEST_F(InitTest, WithoutAttuneHomeTheXdgThenUserDataDirIsUsed) {
  env.erase("ATTUNE_HOME");
  ASSERT_EQ(Run({"init", "--name", "Sam", "--no-passphrase"}).exit_code, kExitOk);
  EXPECT_TRUE(PathExists(PathIn("user/.local/share/attune/journal.db")));
  env["XDG_DATA_HOME"] = PathIn("xdg");
  ASSERT_EQ(Run({"init", "--name", "Sam", "--no-passphrase"}).exit_code, kExitOk);
  EXPECT_TRUE(PathExists(PathIn("xdg/attune/journal.db")));
}

TEST_F(InitTest, OutputOnAPipeHasNoEscapeCodes) {
  InitJournal();
  const std::string id = Add("trigger", "plain text please", {"--tag", "colour"});
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"list"}, {"show", id}, {"steps"}, {"step", "1"}, {"themes"}}) {
    const RunResult result = Run(args);
    EXPECT_EQ(result.exit_code, kExitOk) << result;
    EXPECT_EQ(result.out.find('\033'), std::string::npos) << args[0];
    EXPECT_EQ(result.err.find('\033'), std::string::npos) << args[0];
  }
}

}  // namespace
}  // namespace attune::e2e
