// CopyForUser (other_user.h): what a test that changes user runs must be reachable by that user,
// wherever the build folder is. A private folder (0700) stands in for a clone made in `mktemp -d`.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "tests/e2e/e2e_fixture.h"
#include "tests/e2e/other_user.h"

namespace attune::e2e {
namespace {

constexpr ChildSetup::User kNobody{65534, 65534};

class OtherUserTest : public AttuneTest {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "changing user needs root";
    AttuneTest::SetUp();
  }

  // A program (a copy of /bin/true) inside a private folder, as attune is in a private clone.
  std::string PrivateProgram() {
    const std::string dir = PathIn("private-clone");
    EXPECT_EQ(::mkdir(dir.c_str(), 0700), 0);
    const std::string program = dir + "/program";
    std::filesystem::copy_file("/bin/true", program);
    EXPECT_EQ(::chmod(program.c_str(), 0755), 0);
    EXPECT_EQ(::chmod(root().c_str(), 0711), 0);
    return program;
  }

  static RunResult RunAs(const std::string& program, ChildSetup::User user) {
    RunRequest request{program, {}, {{"PATH", "/usr/bin:/bin"}}, "", kDefaultTimeout};
    request.setup.run_as = user;
    return RunProcess(request);
  }
};

TEST_F(OtherUserTest, TheCopyRunsWhereTheOriginalCannot) {
  const std::string program = PrivateProgram();
  EXPECT_NE(RunAs(program, kNobody).exit_code, 0) << "the private folder must shut nobody out";

  const BinaryCopy copy = CopyForUser(program, root(), kNobody);
  ASSERT_FALSE(copy.path.empty()) << copy.why_not;
  EXPECT_TRUE(copy.why_not.empty());
  const RunResult ran = RunAs(copy.path, kNobody);
  EXPECT_EQ(ran.exit_code, 0) << ran;
}

TEST_F(OtherUserTest, NoCopyWhenAFolderAboveShutsTheUserOut) {
  const std::string program = PrivateProgram();
  const std::string closed = PathIn("closed");
  ASSERT_EQ(::mkdir(closed.c_str(), 0700), 0);
  const std::string inner = closed + "/inner";
  ASSERT_EQ(::mkdir(inner.c_str(), 0700), 0);

  const BinaryCopy copy = CopyForUser(program, inner, kNobody);
  EXPECT_TRUE(copy.path.empty());
  EXPECT_EQ(copy.why_not.rfind(closed + " ", 0), 0u) << "names the folder: " << copy.why_not;
}

}  // namespace
}  // namespace attune::e2e
