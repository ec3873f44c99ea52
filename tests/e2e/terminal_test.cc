// The interactive paths, which attune takes only when standard input is a terminal: the editor,
// confirmations, passphrase prompts, the quiz asked item by item, and colour.
#include <sys/stat.h>

#include <filesystem>

#include "tests/e2e/e2e_fixture.h"

namespace attune::e2e {
namespace {

// Two passphrases strong enough that no "use it anyway?" question comes between the prompts.
constexpr const char* kOneThing = "one thing at a time, slowly";
constexpr const char* kAnotherThing = "another thing entirely, later";

class TerminalTest : public AttuneTest {
 protected:
  // Makes `body` the editor: a shell script run with the file to edit as $1.
  void UseEditor(const std::string& body) {
    WriteFile(PathIn("editor.sh"), "#!/bin/sh\n" + body + "\n");
    env["VISUAL"] = "sh " + PathIn("editor.sh");
  }

  // Nothing in TMPDIR (on disk), and no draft left in the drafts directory (in memory).
  bool NoDraftLeft() const {
    if (!std::filesystem::is_empty(PathIn("tmp"))) return false;
    if (!PathExists(drafts_dir())) return true;
    for (const auto& item : std::filesystem::directory_iterator(drafts_dir())) {
      if (item.path().filename().string().starts_with("draft-")) return false;
    }
    return true;
  }

  // A passphrase prompt: typed only once the terminal has stopped echoing.
  static TerminalTurn Secret(const std::string& prompt, const std::string& passphrase) {
    return {prompt, passphrase + "\n", /*wait_for_echo_off=*/true};
  }
};

TEST_F(TerminalTest, AddWithoutTextOpensTheEditorOnAPrivateTempFile) {
  InitJournal();
  UseEditor("echo \"$1\" > '" + PathIn("seen-path") + "'\n" + "stat -c %a \"$1\" > '" +
            PathIn("seen-mode") + "'\n" + "printf 'edited in editor\\n' > \"$1\"");
  const RunResult result = RunOnTty({"add", "note"}, {});
  ASSERT_EQ(result.exit_code, kExitOk) << result;
  const nlohmann::json entries = ListJson();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0]["text"], "edited in editor");
  const std::string edited_path = TrimmedLine(ReadFile(PathIn("seen-path")));
  EXPECT_EQ(edited_path.rfind(drafts_dir() + "/draft-", 0), 0u)
      << "the file lives in a draft folder under XDG_RUNTIME_DIR";
  EXPECT_EQ(TrimmedLine(ReadFile(PathIn("seen-mode"))), "600");
  EXPECT_FALSE(PathExists(edited_path));
  EXPECT_TRUE(NoDraftLeft()) << "the editor's file and directory are removed";
}

TEST_F(TerminalTest, EditOpensTheEditorWithTheCurrentText) {
  InitJournal();
  const std::string id = Add("need", "the old words");
  // attune's header lines go; a line of the person's own that starts with # stays.
  UseEditor(
      "grep -q '^the old words$' \"$1\" || exit 3\n"
      "grep '^# ' \"$1\" > \"$1.new\" || exit 4\n"
      "printf '# A heading of my own\\nthe new words\\n' >> \"$1.new\"\n"
      "cat \"$1.new\" > \"$1\"; rm \"$1.new\"");
  const RunResult result = RunOnTty({"edit", id}, {});
  ASSERT_EQ(result.exit_code, kExitOk) << result;
  EXPECT_EQ(ShowJson(id)["text"], "# A heading of my own\nthe new words");
  EXPECT_TRUE(NoDraftLeft());
}

TEST_F(TerminalTest, EditorThatFailsOrLeavesNothingSavesNothing) {
  InitJournal();
  UseEditor("printf 'half written\\n' > \"$1\"; exit 1");
  const RunResult failed = RunOnTty({"add", "note"}, {});
  EXPECT_EQ(failed.exit_code, kExitCancelled) << failed;
  // Nothing was saved (and it says so: tests/cli, EditorDidNotFinish).
  EXPECT_TRUE(ListJson().empty());
  EXPECT_FALSE(WithoutNotes(failed.out).empty()) << failed;
  UseEditor(
      "grep '^# ' \"$1\" > \"$1.new\"; printf '\\n' >> \"$1.new\"; "
      "cat \"$1.new\" > \"$1\"; rm \"$1.new\"");  // only attune's header is left
  const RunResult emptied = RunOnTty({"add", "note"}, {});
  EXPECT_EQ(emptied.exit_code, kExitUsage) << emptied;
  EXPECT_TRUE(ListJson().empty());
  EXPECT_TRUE(NoDraftLeft());
}

TEST_F(TerminalTest, AMissingEditorIsNamedAndIsNotAnAnswerOfNo) {
  InitJournal();
  env["VISUAL"] = "attune-no-such-editor";
  const RunResult result = RunOnTty({"add", "note", "--json"}, {});
  EXPECT_EQ(result.exit_code, kExitNotFound) << result;
  EXPECT_NE(result.out.find("\"reason\":\"editor_not_found\""), std::string::npos) << result;
  EXPECT_TRUE(ListJson().empty());
  EXPECT_TRUE(NoDraftLeft());
}

TEST_F(TerminalTest, RemoveAsksAndHonoursTheAnswer) {
  InitJournal();
  const std::string text = "ASK-ME first";
  const std::string id = Add("note", text);
  const RunResult declined = RunOnTty({"rm", id}, {{"[y/N] ", "n\n"}});
  EXPECT_EQ(declined.exit_code, kExitCancelled) << declined;
  // It shows what it would delete.
  EXPECT_NE(declined.out.find(text), std::string::npos) << declined;
  EXPECT_EQ(ShowJson(id)["text"], text);
  const RunResult accepted = RunOnTty({"rm", id}, {{"[y/N] ", "y\n"}});
  EXPECT_EQ(accepted.exit_code, kExitOk) << accepted;
  EXPECT_NE(accepted.out.find("Move this entry to the trash?"), std::string::npos) << accepted;
  EXPECT_NE(accepted.out.find("Moved to the trash"), std::string::npos) << accepted;
  EXPECT_TRUE(ListJson().empty());
}

TEST_F(TerminalTest, PassphraseIsAskedTwiceWithoutEchoThenOnceToOpen) {
  const std::string secret = "typed on a tty";
  const RunResult init =
      RunOnTty({"init", "--name", "Sam", "--interactive-kdf"},
               {Secret("Choose a passphrase: ", secret), Secret("Type it again: ", secret)});
  ASSERT_EQ(init.exit_code, kExitOk) << init;
  EXPECT_EQ(init.out.find(secret), std::string::npos) << "the passphrase was echoed";
  const RunResult add =
      RunOnTty({"add", "note", "behind a prompt"}, {Secret("Passphrase: ", secret)});
  EXPECT_EQ(add.exit_code, kExitOk) << add;
  EXPECT_EQ(add.out.find(secret), std::string::npos) << add;
  // Issue 19: a mistyped passphrase is asked again, three times in all.
  const RunResult second_try =
      RunOnTty({"list"}, {Secret("Passphrase: ", "not it"), Secret("Passphrase: ", secret)});
  EXPECT_EQ(second_try.exit_code, kExitOk) << second_try;
  const RunResult wrong =
      RunOnTty({"list"}, {Secret("Passphrase: ", "not it"), Secret("Passphrase: ", "nor this"),
                          Secret("Passphrase: ", "nor that")});
  EXPECT_EQ(wrong.exit_code, kExitWrongPassphrase) << wrong;
  env["ATTUNE_PASSPHRASE"] = secret;
  EXPECT_EQ(ListJson()[0]["text"], "behind a prompt");
  env.erase("ATTUNE_PASSPHRASE");
  // passwd says which passphrase it asks for.
  const RunResult passwd = RunOnTty(
      {"passwd", "--interactive-kdf"},
      {Secret("Current passphrase: ", secret), Secret("New passphrase: ", "a new one, typed"),
       Secret("Type the new one again: ", "a new one, typed")});
  EXPECT_EQ(passwd.exit_code, kExitOk) << passwd;
}

TEST_F(TerminalTest, AWeakPassphraseIsExplainedAndUsedOnlyWhenConfirmed) {
  // "no": choose another; the strong one needs no question.
  const RunResult declined = RunOnTty({"init", "--name", "Sam", "--interactive-kdf"},
                                      {Secret("Choose a passphrase: ", "Sam1990"),
                                       Secret("Type it again: ", "Sam1990"),
                                       {"Use this passphrase anyway? [y/N] ", "n\n"},
                                       Secret("Choose a passphrase: ", kOneThing),
                                       Secret("Type it again: ", kOneThing)});
  ASSERT_EQ(declined.exit_code, kExitOk) << declined;
  EXPECT_NE(declined.out.find("zxcvbn estimator"), std::string::npos) << declined;
  EXPECT_NE(declined.out.find("your name"), std::string::npos) << declined;
  env["ATTUNE_PASSPHRASE"] = kOneThing;
  EXPECT_EQ(Run({"list"}).exit_code, kExitOk) << "the strong one was chosen";
  env.erase("ATTUNE_PASSPHRASE");

  // "yes": it is the person's choice.
  const RunResult kept =
      RunOnTty({"passwd", "--interactive-kdf"}, {Secret("Current passphrase: ", kOneThing),
                                                 Secret("New passphrase: ", "password1"),
                                                 Secret("Type the new one again: ", "password1"),
                                                 {"Use this passphrase anyway? [y/N] ", "y\n"}});
  ASSERT_EQ(kept.exit_code, kExitOk) << kept;
  env["ATTUNE_PASSPHRASE"] = "password1";
  EXPECT_EQ(Run({"list"}).exit_code, kExitOk);

  // "no" at every try changes nothing.
  std::vector<TerminalTurn> refusing = {Secret("Current passphrase: ", "password1")};
  for (int i = 0; i < 3; ++i) {
    refusing.push_back(Secret("New passphrase: ", "qwerty"));
    refusing.push_back(Secret("Type the new one again: ", "qwerty"));
    refusing.push_back({"Use this passphrase anyway? [y/N] ", "n\n"});
  }
  env.erase("ATTUNE_PASSPHRASE");
  const RunResult refused = RunOnTty({"passwd", "--interactive-kdf"}, refusing);
  EXPECT_EQ(refused.exit_code, kExitCancelled) << refused;
  env["ATTUNE_PASSPHRASE"] = "password1";
  EXPECT_EQ(Run({"list"}).exit_code, kExitOk) << "the passphrase is unchanged";
}

TEST_F(TerminalTest, AWeakPassphraseFromAScriptGetsANoteAndIsUsed) {
  env["ATTUNE_PASSPHRASE"] = "password1";
  const RunResult init = Run({"init", "--name", "Sam", "--interactive-kdf"});
  ASSERT_EQ(init.exit_code, kExitOk) << init;
  EXPECT_NE(init.err.find("attune: note: This passphrase could be guessed"), std::string::npos)
      << init;
  EXPECT_EQ(Run({"list"}).exit_code, kExitOk);
  env["ATTUNE_NEW_PASSPHRASE"] = kOneThing;
  const RunResult strong = Run({"passwd", "--interactive-kdf"});
  ASSERT_EQ(strong.exit_code, kExitOk) << strong;
  EXPECT_EQ(strong.err.find("could be guessed"), std::string::npos) << strong;
}

TEST_F(TerminalTest, DifferentPassphrasesAtInitAreAskedAgainThenCreateNothing) {
  const RunResult again = RunOnTty(
      {"init", "--name", "Sam", "--interactive-kdf"},
      {Secret("Choose a passphrase: ", kOneThing), Secret("Type it again: ", kAnotherThing),
       Secret("Choose a passphrase: ", kOneThing), Secret("Type it again: ", kOneThing)});
  EXPECT_EQ(again.exit_code, kExitOk) << again;
  EXPECT_TRUE(PathExists(database()));
  std::filesystem::remove_all(home());
  std::vector<TerminalTurn> differing;
  for (int i = 0; i < 3; ++i) {
    differing.push_back(Secret("Choose a passphrase: ", kOneThing));
    differing.push_back(Secret("Type it again: ", kAnotherThing));
  }
  const RunResult init = RunOnTty({"init", "--name", "Sam", "--interactive-kdf"}, differing);
  EXPECT_EQ(init.exit_code, kExitUsage) << init;
  EXPECT_NE(init.out.find("differ"), std::string::npos) << init;
  EXPECT_FALSE(PathExists(database()));
}

TEST_F(TerminalTest, QuizAsksItemByItemAndAsksAgainAfterABadAnswer) {
  InitJournal();
  const std::string prompt = "your answer (1-7): ";
  std::vector<TerminalTurn> turns = {{prompt, "9\n"}, {"Please type a whole number", ""}};
  for (int i = 0; i < 18; ++i) turns.push_back({prompt, "4\n"});
  const RunResult result = RunOnTty({"quiz"}, turns);
  ASSERT_EQ(result.exit_code, kExitOk) << result;
  EXPECT_NE(result.out.find("1/18."), std::string::npos) << result;
  EXPECT_NE(result.out.find("18/18."), std::string::npos) << result;
  const nlohmann::json styles = ListJson({"--kind", "style"});
  ASSERT_EQ(styles.size(), 1u);
  // The result in words (tests/cli: ScoreText): the blend's description.
  const nlohmann::json latest = ParseJson(Run({"style", "--json"}).out);
  EXPECT_NE(result.out.find(latest["description"].get<std::string>()), std::string::npos) << result;
  EXPECT_EQ(styles[0]["fields"]["answers"], nlohmann::json(std::vector<int>(18, 4)));
}

TEST_F(TerminalTest, ColourOnATerminalUnlessNoColorIsSet) {
  InitJournal();
  const std::string id = Add("trigger", "colourful", {"--tag", "hue"});
  env.erase("NO_COLOR");
  const RunResult coloured = RunOnTty({"show", id}, {});
  ASSERT_EQ(coloured.exit_code, kExitOk) << coloured;
  EXPECT_NE(coloured.out.find("\033["), std::string::npos) << "expected styling on a terminal";
  env["NO_COLOR"] = "1";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"show", id}, {"list"}, {"steps"}, {"step", "4"}}) {
    const RunResult plain = RunOnTty(args, {});
    EXPECT_EQ(plain.exit_code, kExitOk) << plain;
    EXPECT_EQ(plain.out.find('\033'), std::string::npos) << args[0] << ": NO_COLOR ignored";
  }
}

}  // namespace
}  // namespace attune::e2e
