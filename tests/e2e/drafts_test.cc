// Where the editor's drafts live, and what becomes of those an attune could not wipe itself.
// They live in a private directory in memory ($XDG_RUNTIME_DIR/attune, else /dev/shm/attune-UID;
// never TMPDIR or /tmp), one locked folder per draft. An attune killed (SIGKILL) while its
// editor is open leaves its draft behind, and the next attune to start wipes it (zeros, then
// unlink), but never the draft of an attune still running. Where there is no such place, the
// editor is not opened.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/e2e/e2e_fixture.h"
#include "tests/e2e/partners.h"  // Contains, OpenFifoOnceRead, kStep

namespace attune::e2e {
namespace {

constexpr const char* kDraftText = "Quillon draft text\n";
constexpr long kTmpfsMagic = 0x01021994;

class DraftsTest : public AttuneTest {
 protected:
  void SetUp() override {
    AttuneTest::SetUp();
    InitJournal();
  }

  // The editor records where its file is and on what file system, writes the text, keeps a
  // second name for the file outside the draft's folder (to see its bytes after the wipe), and
  // then runs `ending`, which may call attune_pid (kAttunePidFunction).
  void UseEditor(const std::string& ending) {
    WriteFile(PathIn("editor.sh"), std::string("#!/bin/sh\n") + kAttunePidFunction +
                                       "echo \"$1\" > '" + PathIn("seen-path") +
                                       "'\nstat -f -c %T \"$1\" > '" + PathIn("seen-fs") +
                                       "'\nprintf 'Quillon draft text\\n' > \"$1\"\nln \"$1\" '" +
                                       PathIn("copy") + "' 2>/dev/null\n" + ending + "\n");
    env["VISUAL"] = "sh " + PathIn("editor.sh");
  }

  std::string Draft() const { return TrimmedLine(ReadFile(PathIn("seen-path"))); }
  std::string DraftFolder() const { return Draft().substr(0, Draft().rfind('/')); }
};

TEST_F(DraftsTest, AKilledAttunesDraftIsWipedByTheNextOneToStart) {
  UseEditor("kill -KILL $(attune_pid)");
  const RunResult killed = RunOnTty({"add", "note"}, {});
  EXPECT_EQ(killed.signal, SIGKILL) << killed;
  ASSERT_EQ(Draft().rfind(drafts_dir() + "/draft-", 0), 0u) << Draft();
  ASSERT_EQ(ReadFile(Draft()), kDraftText) << "the kill left the draft behind";

  const RunResult next = Run({"list", "--json"});
  ASSERT_EQ(next.exit_code, kExitOk) << next;
  // One note more than a command that wipes nothing (its words: DraftsMessagesTest, tests/cli).
  const int usual = NoteLines(Run({"list"}).err);
  EXPECT_EQ(NoteLines(next.err), usual + 1) << next;
  EXPECT_TRUE(ParseJson(next.out).empty()) << "nothing was saved";
  EXPECT_FALSE(PathExists(DraftFolder()));
  const std::string copy = ReadFile(PathIn("copy"));
  EXPECT_EQ(copy, std::string(TrimmedLine(kDraftText).size() + 1, '\0')) << "not overwritten";
  EXPECT_EQ(NoteLines(Run({"list"}).err), usual) << "said once";
}

// While one attune waits for its editor, others start and end: its draft is left alone.
TEST_F(DraftsTest, TheDraftOfARunningAttuneIsLeftAlone) {
  ASSERT_EQ(::mkfifo(PathIn("go").c_str(), 0600), 0);
  UseEditor("cat '" + PathIn("go") + "' > /dev/null");  // waits until the test lets it go on
  RunResult added;
  std::thread editing([&] { added = RunOnTty({"add", "note"}, {}); });
  // The FIFO opens for writing once the editor opened it to read: it is waiting.
  const int go = OpenFifoOnceRead(PathIn("go"), kStep);
  const bool editor_waits = go >= 0;
  if (editor_waits) {
    const RunResult meanwhile = Run({"list"});
    EXPECT_EQ(meanwhile.exit_code, kExitOk) << meanwhile;
    EXPECT_FALSE(Contains(meanwhile.err, "wiped")) << meanwhile;
    EXPECT_EQ(ReadFile(Draft()), kDraftText) << "a running attune's draft was touched";
    ::close(go);
  }
  editing.join();
  ASSERT_TRUE(editor_waits) << added;
  ASSERT_EQ(added.exit_code, kExitOk) << added;
  EXPECT_EQ(ListJson()[0]["text"], TrimmedLine(kDraftText));
  EXPECT_FALSE(PathExists(DraftFolder()));
}

TEST_F(DraftsTest, WithoutXdgRuntimeDirTheDraftIsInMemoryNotOnDisk) {
  struct statfs shm {};
  if (::statfs("/dev/shm", &shm) != 0 || shm.f_type != kTmpfsMagic) {
    GTEST_SKIP() << "this system has no tmpfs at /dev/shm";
  }
  env.erase("XDG_RUNTIME_DIR");
  UseEditor("exit 0");
  const RunResult added = RunOnTty({"add", "note"}, {});
  ASSERT_EQ(added.exit_code, kExitOk) << added;
  const std::string root = "/dev/shm/attune-" + std::to_string(::geteuid());
  EXPECT_EQ(Draft().rfind(root + "/draft-", 0), 0u) << Draft();
  EXPECT_EQ(TrimmedLine(ReadFile(PathIn("seen-fs"))), "tmpfs");
  struct stat info {};
  ASSERT_EQ(::lstat(root.c_str(), &info), 0);
  EXPECT_TRUE(S_ISDIR(info.st_mode));
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  EXPECT_FALSE(PathExists(DraftFolder()));
  EXPECT_TRUE(std::filesystem::is_empty(PathIn("tmp"))) << "TMPDIR (on disk) was used";
}

// A drafts directory that others may reach, or a link put in its place, is refused, not
// worked around: the editor does not open, and attune says how to give the text instead.
TEST_F(DraftsTest, NoPrivatePlaceMeansNoEditor) {
  UseEditor("exit 0");
  const std::string elsewhere = PathIn("elsewhere");
  ASSERT_EQ(::mkdir(elsewhere.c_str(), 0700), 0);
  const std::vector<std::pair<std::string, std::function<void()>>> plants = {
      {"open to others",
       [&] {
         ::mkdir(drafts_dir().c_str(), 0700);
         ::chmod(drafts_dir().c_str(), 0777);
       }},
      {"a link", [&] { ::symlink(elsewhere.c_str(), drafts_dir().c_str()); }},
  };
  for (const auto& [name, plant] : plants) {
    std::filesystem::remove_all(drafts_dir());
    plant();
    const RunResult refused = RunOnTty({"add", "note"}, {});
    EXPECT_EQ(refused.exit_code, kExitIo) << name << refused;
    // Naming the folder (and what to do instead: DraftsMessagesTest in tests/cli).
    EXPECT_TRUE(Contains(refused.out, drafts_dir())) << name << refused;
    EXPECT_FALSE(PathExists(PathIn("seen-path"))) << name << ": the editor ran";
    EXPECT_TRUE(std::filesystem::is_empty(elsewhere)) << name;
    const RunResult piped = Run({"add", "note"}, "piped text");
    EXPECT_EQ(piped.exit_code, kExitOk) << name << piped;
  }
  EXPECT_EQ(ListJson().size(), 2u);
}

}  // namespace
}  // namespace attune::e2e
