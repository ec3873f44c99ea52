// Writing a file whole, privately, and never through a name someone else could have prepared
// (node/private_file.h): what is left at the target and beside it after success, refusal,
// failure, and a process killed in the middle of writing.
#include "node/private_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <set>
#include <string>

#include "tests/node/node_test_util.h"

namespace attune::node::testing {
namespace {

using test_common::WriteFileBytes;

std::set<std::string> NamesIn(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& item : std::filesystem::directory_iterator(dir)) {
    names.insert(item.path().filename().string());
  }
  return names;
}

std::string ContentOf(const std::string& path) {
  const Bytes bytes = ReadFileBytes(path);
  return std::string(bytes.begin(), bytes.end());
}

bool IsSymlink(const std::string& path) {
  struct stat info {};
  return ::lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode);
}

class PrivateFileTest : public ::testing::Test {
 protected:
  std::string Target() const { return dir_.File("export.md"); }
  // Someone else's file that a link planted by an attacker points to.
  std::string Victim() const { return dir_.File("victim"); }
  void PlantVictim() { WriteFileBytes(Victim(), AsBytes("the victim's own bytes")); }
  std::string VictimContent() const { return ContentOf(Victim()); }

  TempDir dir_{"attune_private_file"};
};

TEST_F(PrivateFileTest, WritesTheBytesForTheOwnerOnlyWhateverTheUmask) {
  const mode_t before = ::umask(0);
  const Status written = WritePrivateFile(Target(), AsBytes("dear diary"), ExistingFile::kRefuse);
  ::umask(before);
  ASSERT_OK(written);
  EXPECT_EQ(ContentOf(Target()), "dear diary");
  EXPECT_EQ(FileMode(Target()), 0600);
  EXPECT_EQ(NamesIn(dir_.path()), std::set<std::string>{"export.md"}) << "no temporary file left";
}

TEST_F(PrivateFileTest, ReplacingSwapsTheWholeFile) {
  WriteFileBytes(Target(), AsBytes("an older, longer export"));
  ASSERT_OK(WritePrivateFile(Target(), AsBytes("newer"), ExistingFile::kReplace));
  EXPECT_EQ(ContentOf(Target()), "newer");
  EXPECT_EQ(FileMode(Target()), 0600);
  EXPECT_EQ(NamesIn(dir_.path()), std::set<std::string>{"export.md"});
}

// Whatever is at the target (a file, a link to someone's file, a link to where a file would be
// made, a folder) is refused and stays exactly as it was.
TEST_F(PrivateFileTest, RefusingLeavesWhateverIsThereUntouched) {
  PlantVictim();
  const std::string missing = dir_.File("would-be-created");
  struct Case {
    const char* name;
    std::function<void(const std::string&)> plant;
  };
  const std::vector<Case> cases = {
      {"a file", [](const std::string& at) { WriteFileBytes(at, AsBytes("kept")); }},
      {"a link to a file", [&](const std::string& at) { ::symlink(Victim().c_str(), at.c_str()); }},
      {"a dangling link", [&](const std::string& at) { ::symlink(missing.c_str(), at.c_str()); }},
      {"a folder", [](const std::string& at) { ::mkdir(at.c_str(), 0700); }},
  };
  for (const Case& item : cases) {
    SCOPED_TRACE(item.name);
    const std::string target = dir_.File(std::string("target-") + item.name);
    item.plant(target);
    const std::set<std::string> before = NamesIn(dir_.path());
    const Status refused = WritePrivateFile(target, AsBytes("new bytes"), ExistingFile::kRefuse);
    EXPECT_CODE(refused, kInvalidArgument);
    EXPECT_TRUE(refused.Is(PrivateFileReason::kFileExists)) << Describe(refused);
    EXPECT_EQ(NamesIn(dir_.path()), before) << "nothing added, nothing left behind";
  }
  EXPECT_EQ(ContentOf(dir_.File("target-a file")), "kept");
  EXPECT_EQ(VictimContent(), "the victim's own bytes");
  EXPECT_FALSE(FileExists(missing)) << "a dangling link was followed";
}

TEST_F(PrivateFileTest, ReplacingALinkReplacesTheLinkNotWhatItPointsTo) {
  PlantVictim();
  ASSERT_EQ(::symlink(Victim().c_str(), Target().c_str()), 0);
  ASSERT_OK(WritePrivateFile(Target(), AsBytes("mine"), ExistingFile::kReplace));
  EXPECT_FALSE(IsSymlink(Target()));
  EXPECT_EQ(ContentOf(Target()), "mine");
  EXPECT_EQ(VictimContent(), "the victim's own bytes");
}

// Links waiting at the names an attacker could guess (the fixed name older versions used, and
// the pattern itself) are never opened, followed or removed.
TEST_F(PrivateFileTest, LinksPlantedAtPredictableNamesAreNeverFollowed) {
  PlantVictim();
  const std::vector<std::string> planted = {Target() + ".attune-tmp",
                                            Target() + ".attune-tmp-XXXXXX"};
  for (const std::string& at : planted) ASSERT_EQ(::symlink(Victim().c_str(), at.c_str()), 0);
  for (const ExistingFile existing : {ExistingFile::kRefuse, ExistingFile::kReplace}) {
    ASSERT_OK(WritePrivateFile(Target(), AsBytes("mine"), existing));
  }
  EXPECT_EQ(VictimContent(), "the victim's own bytes");
  for (const std::string& at : planted) EXPECT_TRUE(IsSymlink(at)) << at;
  EXPECT_EQ(NamesIn(dir_.path()).size(), 4u) << "target, victim and the two links";
}

TEST_F(PrivateFileTest, AMissingFolderIsNamedNotAnIoError) {
  const Status written =
      WritePrivateFile(dir_.File("no/such/folder/x"), AsBytes("x"), ExistingFile::kReplace);
  EXPECT_REASON(written, kNotFound, PrivateFileReason::kNoSuchFolder);
  EXPECT_EQ(written.detail(), dir_.File("no/such/folder"));
}

// Runs `write` in a child process whose files may not grow past 4 KiB. With SIGXFSZ ignored a
// write past the limit fails with EFBIG (a full disk, as the program sees it); with its default
// action the child is killed in the middle of writing. Returns the child's wait status.
int RunWithFileSizeLimit(bool kill_on_limit, const std::function<Status()>& write) {
  const pid_t child = ::fork();
  if (child == 0) {
    const rlimit no_core{0, 0};
    const rlimit small{4096, 4096};
    ::setrlimit(RLIMIT_CORE, &no_core);
    ::signal(SIGXFSZ, kill_on_limit ? SIG_DFL : SIG_IGN);
    ::setrlimit(RLIMIT_FSIZE, &small);
    const Status status = write();
    ::_exit(status.code() == StatusCode::kNoSpace ? 17 : status.ok() ? 0 : 1);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return status;
}

TEST_F(PrivateFileTest, AFullDiskLeavesTheOldFileAndNoTemporaryFile) {
  WriteFileBytes(Target(), AsBytes("the export before"));
  const std::string big(64 * 1024, 'x');
  const int status = RunWithFileSizeLimit(
      /*kill_on_limit=*/false,
      [&] { return WritePrivateFile(Target(), AsBytes(big), ExistingFile::kReplace); });
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 17) << "kNoSpace";
  EXPECT_EQ(ContentOf(Target()), "the export before");
  EXPECT_EQ(NamesIn(dir_.path()), std::set<std::string>{"export.md"});
}

// A process killed in the middle of writing (here by SIGXFSZ, at the limit) leaves the target as
// it was, or absent: never a partial file under the name.
TEST_F(PrivateFileTest, AKillMidWriteNeverLeavesAPartialTarget) {
  WriteFileBytes(Target(), AsBytes("the export before"));
  const std::string fresh = dir_.File("fresh.bundle");
  const std::string big(64 * 1024, 'x');
  for (const auto& [path, existing] :
       {std::pair{Target(), ExistingFile::kReplace}, std::pair{fresh, ExistingFile::kRefuse}}) {
    const int status = RunWithFileSizeLimit(
        /*kill_on_limit=*/true, [&] { return WritePrivateFile(path, AsBytes(big), existing); });
    ASSERT_TRUE(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), SIGXFSZ);
  }
  EXPECT_EQ(ContentOf(Target()), "the export before");
  EXPECT_FALSE(FileExists(fresh));
}

}  // namespace
}  // namespace attune::node::testing
