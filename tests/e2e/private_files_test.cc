// The files attune leaves on disk, and the ones it must not. The home is 0700 and everything
// attune creates in it (journal.db and, while a process has it open, journal.db-wal and
// journal.db-shm) is 0600 whatever the umask; a home or file someone loosened is named at the
// start of every command, with the chmod that fixes it, and the command still runs. The
// editor's temporary file is 0600 in a 0700 directory, and afterwards that directory and
// everything an editor left in it (swap, backup, a folder of copies) is overwritten with zeros
// and gone, whether the editor saved, failed, or attune was told to stop meanwhile (where
// drafts live, and what happens to those of a killed attune: drafts_test.cc).
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/background_process.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/e2e/partners.h"  // Contains, kStep

namespace attune::e2e {
namespace {

// The permission bits of `path` (not following a symlink), or -1 if it does not exist.
int ModeOf(const std::string& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) return -1;
  return static_cast<int>(info.st_mode & 07777);
}

std::vector<std::string> NamesIn(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& item : std::filesystem::directory_iterator(dir)) {
    names.push_back(item.path().filename().string());
  }
  return names;
}

class HomePermissionsTest : public AttuneTest {
 protected:
  // `attune pair` keeps the journal open while it waits, so its -wal and -shm files exist.
  BackgroundProcess HoldJournalOpen() {
    std::vector<std::string> args = {"--home", home(), "pair", "--listen", "127.0.0.1:0", "--json"};
    BackgroundProcess pair({ATTUNE_BINARY, args, env, "", kDefaultTimeout});
    // Its first line, the code to give, says it is listening.
    EXPECT_TRUE(pair.ReadLineContaining("\"code\":", kStep).has_value()) << pair.Wait(kStep);
    return pair;
  }

  static std::string HomeWarning(const std::string& dir, const std::string& mode) {
    return "attune: warning: the home " + dir + " is open to other users (mode " + mode +
           "); run: chmod 700 " + dir + "\n";
  }
  static std::string FileWarning(const std::string& path, const std::string& mode) {
    return "attune: warning: the file " + path + " is open to other users (mode " + mode +
           "); run: chmod 600 " + path + "\n";
  }
};

TEST_F(HomePermissionsTest, WhatAttuneCreatesIsPrivateWhateverTheUmaskAndNothingIsSaid) {
  const mode_t before = ::umask(0);  // the children inherit it; attune must not rely on it
  const RunResult init = Run({"init", "--name", "Sam", "--no-passphrase"});
  const RunResult added = Run({"add", "note", "an ordinary day"});
  BackgroundProcess pair = HoldJournalOpen();
  ::umask(before);
  ASSERT_EQ(init.exit_code, kExitOk) << init;
  ASSERT_EQ(added.exit_code, kExitOk) << added;

  EXPECT_EQ(ModeOf(home()), 0700);
  std::map<std::string, int> modes;
  for (const std::string& name : NamesIn(home())) modes[name] = ModeOf(home() + "/" + name);
  const std::map<std::string, int> expected = {
      {"journal.db", 0600}, {"journal.db-shm", 0600}, {"journal.db-wal", 0600}};
  EXPECT_EQ(modes, expected) << "every file in the home while the journal is open";
  const RunResult listed = Run({"list"});
  EXPECT_EQ(listed.exit_code, kExitOk) << listed;

  pair.Signal(SIGTERM);
  const RunResult paired = pair.Wait(kStep);
  for (const RunResult* result : {&init, &added, &listed, &paired}) {
    EXPECT_FALSE(Contains(result->err, "warning")) << *result;
  }
}

TEST_F(HomePermissionsTest, LoosenedHomeAndFilesAreNamedWithTheFixAndTheCommandRuns) {
  InitJournal();
  ASSERT_EQ(::chmod(database().c_str(), 0644), 0);
  ASSERT_EQ(::chmod(home().c_str(), 0755), 0);

  const RunResult listed = Run({"list", "--json"});
  EXPECT_EQ(listed.exit_code, kExitOk) << listed;
  EXPECT_TRUE(ParseJson(listed.out).is_array()) << "the output is untouched";
  EXPECT_EQ(WithoutNotes(listed.err), HomeWarning(home(), "755") + FileWarning(database(), "644"));

  // SQLite gives -wal and -shm the database's mode: they are loose too while it is open.
  BackgroundProcess pair = HoldJournalOpen();
  ASSERT_EQ(ModeOf(database() + "-wal"), 0644);
  const RunResult while_open = Run({"list"});
  EXPECT_EQ(while_open.exit_code, kExitOk) << while_open;
  EXPECT_EQ(WithoutNotes(while_open.err),
            HomeWarning(home(), "755") + FileWarning(database(), "644") +
                FileWarning(database() + "-shm", "644") + FileWarning(database() + "-wal", "644"));

  // Doing what the warnings say silences them.
  std::istringstream lines(WithoutNotes(while_open.err));
  int fixes = 0;
  for (std::string line; std::getline(lines, line);) {
    const size_t at = line.find("; run: chmod ");
    ASSERT_NE(at, std::string::npos) << line;
    std::istringstream command(line.substr(at + std::string("; run: chmod ").size()));
    std::string mode, path;
    command >> mode >> path;
    ASSERT_EQ(::chmod(path.c_str(), static_cast<mode_t>(std::stoi(mode, nullptr, 8))), 0) << line;
    ++fixes;
  }
  EXPECT_EQ(fixes, 4) << while_open;
  pair.Signal(SIGTERM);
  pair.Wait(kStep);
  const RunResult fixed = Run({"list"});
  EXPECT_EQ(fixed.exit_code, kExitOk) << fixed;
  EXPECT_EQ(WithoutNotes(fixed.err), "");

  ASSERT_EQ(::chmod(home().c_str(), 0750), 0);  // group access alone is open too
  EXPECT_EQ(WithoutNotes(Run({"list"}).err), HomeWarning(home(), "750"));
  ASSERT_EQ(::chmod(home().c_str(), 0700), 0);
}

// The editor is a shell script run with the file to edit as $1. It records what it saw, leaves
// the kinds of copies editors leave, and hard-links every one of them outside the directory:
// unlinking removes only the name, so the links show afterwards whether the bytes themselves
// were overwritten.
class EditorFilesTest : public AttuneTest {
 protected:
  void SetUp() override {
    AttuneTest::SetUp();
    std::filesystem::create_directory(PathIn("seen"));
    std::filesystem::create_directory(PathIn("links"));
    InitJournal();
  }

  // `ending` runs last in the editor (an exit status, a signal to attune).
  void UseEditor(const std::string& ending) {
    const std::string seen = PathIn("seen");
    const std::string links = PathIn("links");
    WriteFile(
        PathIn("editor.sh"),
        "#!/bin/sh\n"
        "f=\"$1\"; d=$(dirname \"$f\")\n"
        "echo \"$f\" > '" +
            seen +
            "/path'\n"
            "stat -c %a \"$f\" > '" +
            seen +
            "/file-mode'\n"
            "stat -c %a \"$d\" > '" +
            seen +
            "/dir-mode'\n"
            "printf 'Fennimore wrote this in the editor\\n' > \"$f\"\n"
            "printf 'Fennimore swap copy\\n' > \"$d/.entry.txt.swp\"\n"
            "printf 'Fennimore backup copy\\n' > \"$d/entry.txt~\"; chmod 400 \"$d/entry.txt~\"\n"
            "mkdir \"$d/.versions\"; printf 'Fennimore older copy\\n' > \"$d/.versions/1\"\n"
            "ln \"$f\" '" +
            links + "/entry'; ln \"$d/.entry.txt.swp\" '" + links +
            "/swap'\n"
            "ln \"$d/entry.txt~\" '" +
            links + "/backup'; ln \"$d/.versions/1\" '" + links + "/older'\n" + kAttunePidFunction +
            ending + "\n");
    env["VISUAL"] = "sh " + PathIn("editor.sh");
  }

  // Where the editor's file was, checked: 0600 in a 0700 directory of its own in the drafts
  // directory (under XDG_RUNTIME_DIR), and now gone with the directory and everything in it,
  // every copy overwritten with zeros.
  void ExpectPrivateWhileEditedAndWipedAfter() {
    const std::string path = TrimmedLine(ReadFile(PathIn("seen/path")));
    ASSERT_FALSE(path.empty()) << "the editor did not run";
    const std::string dir = path.substr(0, path.rfind('/'));
    EXPECT_EQ(dir.substr(0, dir.rfind('/')), drafts_dir());
    EXPECT_EQ(TrimmedLine(ReadFile(PathIn("seen/file-mode"))), "600");
    EXPECT_EQ(TrimmedLine(ReadFile(PathIn("seen/dir-mode"))), "700");
    EXPECT_FALSE(PathExists(path));
    EXPECT_FALSE(PathExists(dir));
    EXPECT_TRUE(std::filesystem::is_empty(PathIn("tmp"))) << "nothing on disk";
    EXPECT_EQ(NamesIn(drafts_dir()), std::vector<std::string>{"lock"});
    for (const char* copy : {"entry", "swap", "backup", "older"}) {
      const std::string bytes = ReadFile(PathIn("links/") + copy);
      EXPECT_FALSE(bytes.empty()) << copy;
      EXPECT_EQ(bytes, std::string(bytes.size(), '\0')) << copy << " was not overwritten";
    }
  }
};

TEST_F(EditorFilesTest, SavedTextLeavesNothingBehind) {
  UseEditor("exit 0");
  const RunResult added = RunOnTty({"add", "note"}, {});
  ASSERT_EQ(added.exit_code, kExitOk) << added;
  ExpectPrivateWhileEditedAndWipedAfter();
  const nlohmann::json entries = ListJson();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0]["text"], "Fennimore wrote this in the editor");
}

TEST_F(EditorFilesTest, AFailedEditorLeavesNothingBehind) {
  const std::string id = Add("need", "the words before");
  UseEditor("exit 1");
  const RunResult edited = RunOnTty({"edit", id}, {});
  EXPECT_EQ(edited.exit_code, kExitCancelled) << edited;
  ExpectPrivateWhileEditedAndWipedAfter();
  EXPECT_EQ(ShowJson(id)["text"], "the words before");
}

// `kill`, or a closed terminal, while the editor is open: attune wipes the files first, and
// only then ends as the signal says, saving nothing.
TEST_F(EditorFilesTest, TerminationWaitsUntilTheFilesAreWiped) {
  UseEditor("kill -TERM $(attune_pid)\nexit 0");
  const RunResult added = RunOnTty({"add", "note"}, {});
  EXPECT_EQ(added.signal, SIGTERM) << added;
  ExpectPrivateWhileEditedAndWipedAfter();
  EXPECT_TRUE(ListJson().empty());
}

// Ctrl-C in a terminal reaches attune as well as the editor, and some editors use it as a key
// (emacs -nw reads C-g as SIGINT): the editor decides, and attune carries on.
TEST_F(EditorFilesTest, AnInterruptIsLeftToTheEditor) {
  UseEditor("kill -INT $(attune_pid)\nkill -QUIT $(attune_pid)\nexit 0");
  const RunResult added = RunOnTty({"add", "note"}, {});
  ASSERT_EQ(added.exit_code, kExitOk) << added;
  ExpectPrivateWhileEditedAndWipedAfter();
  EXPECT_EQ(ListJson().size(), 1u);
}

}  // namespace
}  // namespace attune::e2e
