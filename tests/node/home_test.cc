// Where the journal lives: resolving the home directory, creating it privately, and warning
// when its permissions have been loosened.
#include "node/home.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "tests/node/node_test_util.h"

namespace attune::node::testing {
namespace {

TEST(ResolveHomeTest, FollowsThePrecedenceOrder) {
  HomeSources all{
      .flag = "/flag", .attune_home = "/env", .xdg_data_home = "/xdg", .user_home = "/home/robin"};
  ASSERT_OK_AND_ASSIGN(std::string chosen, ResolveHome(all));
  EXPECT_EQ(chosen, "/flag");
  all.flag.reset();
  ASSERT_OK_AND_ASSIGN(chosen, ResolveHome(all));
  EXPECT_EQ(chosen, "/env");
  all.attune_home.reset();
  ASSERT_OK_AND_ASSIGN(chosen, ResolveHome(all));
  EXPECT_EQ(chosen, "/xdg/attune");
  all.xdg_data_home.reset();
  ASSERT_OK_AND_ASSIGN(chosen, ResolveHome(all));
  EXPECT_EQ(chosen, "/home/robin/.local/share/attune");
  all.user_home.reset();
  EXPECT_CODE(ResolveHome(all), kInvalidArgument);
  EXPECT_TRUE(ResolveHome(all).status().Is(JournalReason::kNoHomeDirectory));
}

TEST(ResolveHomeTest, EmptyValuesCountAsUnset) {
  HomeSources sources{
      .flag = "", .attune_home = "", .xdg_data_home = "", .user_home = "/home/robin"};
  ASSERT_OK_AND_ASSIGN(std::string chosen, ResolveHome(sources));
  EXPECT_EQ(chosen, "/home/robin/.local/share/attune");
  sources.xdg_data_home = "/xdg";
  ASSERT_OK_AND_ASSIGN(chosen, ResolveHome(sources));
  EXPECT_EQ(chosen, "/xdg/attune");
  sources.user_home = "";
  sources.xdg_data_home = "";
  EXPECT_CODE(ResolveHome(sources), kInvalidArgument);
}

// Sets or clears environment variables for one test and restores them afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    const char* old = std::getenv(name);
    if (old != nullptr) old_ = old;
    if (value == nullptr) {
      ::unsetenv(name);
    } else {
      ::setenv(name, value, 1);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(HomeSourcesTest, ReadsTheEnvironmentAndDropsEmptyValues) {
  ScopedEnv attune("ATTUNE_HOME", "");
  ScopedEnv xdg("XDG_DATA_HOME", "/xdg-data");
  ScopedEnv home("HOME", "/home/sam");
  HomeSources sources = HomeSourcesFromEnvironment(std::nullopt);
  EXPECT_FALSE(sources.flag.has_value());
  EXPECT_FALSE(sources.attune_home.has_value());
  EXPECT_EQ(sources.xdg_data_home, "/xdg-data");
  EXPECT_EQ(sources.user_home, "/home/sam");
  ASSERT_OK_AND_ASSIGN(std::string chosen, ResolveHome(sources));
  EXPECT_EQ(chosen, "/xdg-data/attune");

  sources = HomeSourcesFromEnvironment("/from-flag");
  ASSERT_OK_AND_ASSIGN(chosen, ResolveHome(sources));
  EXPECT_EQ(chosen, "/from-flag");
}

TEST(HomeTest, CreateMakesPrivateDirectoriesWithParents) {
  TempDir temp;
  Home home(temp.File("a/b/attune"));
  EXPECT_FALSE(home.HasJournal());
  ASSERT_OK(home.Create());
  EXPECT_EQ(FileMode(temp.File("a")), 0700);
  EXPECT_EQ(FileMode(temp.File("a/b")), 0700);
  EXPECT_EQ(FileMode(home.dir()), 0700);
  EXPECT_TRUE(home.LoosePaths().empty());
  EXPECT_EQ(home.database_path(), temp.File("a/b/attune/journal.db"));
  EXPECT_FALSE(home.HasJournal());
  ASSERT_OK(home.Create());  // again: fine, nothing changes
  EXPECT_EQ(FileMode(home.dir()), 0700);

  std::ofstream(home.database_path()) << "x";
  EXPECT_TRUE(home.HasJournal());
}

TEST(HomeTest, CreateKeepsAnExistingDirectoryAsItIs) {
  TempDir temp;
  ASSERT_EQ(::mkdir(temp.File("open").c_str(), 0700), 0);
  ASSERT_EQ(::chmod(temp.File("open").c_str(), 0755), 0);
  Home home(temp.File("open"));
  ASSERT_OK(home.Create());
  EXPECT_EQ(FileMode(home.dir()), 0755);
}

TEST(HomeTest, CreateFailsWhereAFileIsInTheWay) {
  TempDir temp;
  std::ofstream(temp.File("file")) << "x";
  EXPECT_CODE(Home(temp.File("file")).Create(), kIoError);
  EXPECT_CODE(Home(temp.File("file/below")).Create(), kIoError);
}

TEST(HomeTest, LoosePathsFollowTheMode) {
  TempDir temp;
  Home home(temp.File("attune"));
  EXPECT_TRUE(home.LoosePaths().empty());  // nothing there yet
  ASSERT_OK(home.Create());
  EXPECT_TRUE(home.LoosePaths().empty());

  ASSERT_EQ(::chmod(home.dir().c_str(), 0755), 0);
  std::vector<LoosePath> loose = home.LoosePaths();
  ASSERT_EQ(loose.size(), 1u);
  EXPECT_EQ(loose[0], (LoosePath{home.dir(), /*is_home=*/true, 0755, 0700}));

  ASSERT_EQ(::chmod(home.dir().c_str(), 0710), 0);
  EXPECT_EQ(home.LoosePaths().size(), 1u);
  ASSERT_EQ(::chmod(home.dir().c_str(), 0702), 0);
  EXPECT_EQ(home.LoosePaths().size(), 1u);

  ASSERT_EQ(::chmod(home.dir().c_str(), 0700), 0);
  EXPECT_TRUE(home.LoosePaths().empty());
  ASSERT_EQ(::chmod(home.dir().c_str(), 0500), 0);  // tighter than needed is fine
  EXPECT_TRUE(home.LoosePaths().empty());
  ASSERT_EQ(::chmod(home.dir().c_str(), 0700), 0);
}

TEST(HomeTest, LoosePathsNameEachLoosenedFile) {
  TempDir temp;
  Home home(temp.File("attune"));
  ASSERT_OK(home.Create());
  for (const char* name : {"journal.db", "journal.db-wal", "journal.db-shm"}) {
    std::ofstream(home.dir() + "/" + name) << "x";
    ASSERT_EQ(::chmod((home.dir() + "/" + name).c_str(), 0600), 0);
  }
  ASSERT_EQ(::mkdir((home.dir() + "/a folder").c_str(), 0755), 0);  // only files are checked
  EXPECT_TRUE(home.LoosePaths().empty());

  ASSERT_EQ(::chmod(home.database_path().c_str(), 0644), 0);
  ASSERT_EQ(::chmod((home.dir() + "/journal.db-wal").c_str(), 0640), 0);
  std::vector<LoosePath> loose = home.LoosePaths();
  ASSERT_EQ(loose.size(), 2u);
  EXPECT_EQ(loose[0], (LoosePath{home.database_path(), /*is_home=*/false, 0644, 0600}));
  EXPECT_EQ(loose[1], (LoosePath{home.database_path() + "-wal", /*is_home=*/false, 0640, 0600}));

  ASSERT_EQ(::chmod(home.dir().c_str(), 0755), 0);  // the directory comes first
  loose = home.LoosePaths();
  ASSERT_EQ(loose.size(), 3u);
  EXPECT_EQ(loose[0].path, home.dir());
  EXPECT_TRUE(loose[0].is_home);
  ASSERT_EQ(::chmod(home.dir().c_str(), 0700), 0);
}

}  // namespace
}  // namespace attune::node::testing
