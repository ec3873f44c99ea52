// attune's own tor (node/link/tor_process.h), where no Tor network is needed: a missing binary
// and a tor that stops at once are reported by reason, with tor's own lines for the second. The
// tests over a Tor network are in tests/onion.
#include "node/link/tor_process.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <optional>

#include "tests/common/files.h"
#include "tor/control.h"

namespace attune::link_testing {
namespace {

namespace asio = node::link_io::asio;
using node::link_io::TorProcess;
using node::link_io::TorStartOptions;

Result<std::shared_ptr<TorProcess>> StartTor(TorStartOptions options) {
  asio::io_context io;
  std::optional<Result<std::shared_ptr<TorProcess>>> started;
  asio::co_spawn(
      io,
      [&]() -> node::link_io::Task<void> {
        started.emplace(co_await TorProcess::Start(std::move(options)));
      },
      asio::detached);
  io.run();
  return std::move(*started);
}

TEST(TorProcessTest, NoTorBinaryIsNotInstalled) {
  test_common::TempDir temp;
  ::setenv("ATTUNE_TOR", temp.File("no-such-tor").c_str(), 1);
  TorStartOptions options;
  options.folder = temp.File("tor");
  const Result<std::shared_ptr<TorProcess>> started = StartTor(options);
  ::unsetenv("ATTUNE_TOR");
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(started.status().Is(tor::TorReason::kNotInstalled));
}

TEST(TorProcessTest, ATorThatStopsAtOnceIsReportedWithItsOwnWordsAndAPrivateFolder) {
  if (!node::link_io::FindTorBinary().ok()) GTEST_SKIP() << "tor is not installed";
  test_common::TempDir temp;
  TorStartOptions options;
  options.folder = temp.File("tor");
  options.extra_torrc = "NoSuchOptionHere 1\n";
  const Result<std::shared_ptr<TorProcess>> started = StartTor(options);
  ASSERT_FALSE(started.ok());
  EXPECT_TRUE(started.status().Is(tor::TorReason::kExitedEarly)) << started.status().detail();
  EXPECT_NE(started.status().detail().find("NoSuchOptionHere"), std::string::npos)
      << started.status().detail();
  EXPECT_EQ(test_common::FileMode(options.folder), 0700);
  EXPECT_EQ(test_common::FileMode(options.folder + "/torrc"), 0600);
}

}  // namespace
}  // namespace attune::link_testing
