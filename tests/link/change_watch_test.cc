// serve's wake-up on other commands' commits (node/link_change_watch.h): a commit through
// another connection to the journal is reported by an event, without polling. The loop waits
// for that event only (run_for bounds a broken build's wait; it is not the synchronisation).
#include <gtest/gtest.h>

#include "node/link/link_change_watch.h"
#include "tests/link/link_test_util.h"

namespace attune::link_testing {
namespace {

namespace asio = node::link_io::asio;

TEST(DatabaseWatchTest, ACommitThroughAnotherConnectionIsReported) {
  test_common::TempDir temp;
  TestNode node(temp.File("a"), "Sam");
  asio::io_context io;
  int writes = 0;
  Result<std::shared_ptr<node::link_io::DatabaseWatch>> watch = node::link_io::DatabaseWatch::Start(
      io.get_executor(), node.journal->DatabasePath(), [&writes] { ++writes; });
  ASSERT_TRUE(watch.ok()) << watch.status().detail();
  io.poll();  // the watch is reading
  EXPECT_EQ(writes, 0);

  node::NewEntry draft;
  draft.kind = "note";
  draft.text = "A walk by the river.";
  ASSERT_TRUE(node.journal->Add(std::move(draft)).ok());
  while (writes == 0 && io.run_one_for(std::chrono::seconds(10)) > 0) {
  }
  EXPECT_GT(writes, 0);
  (*watch)->Stop();
}

}  // namespace
}  // namespace attune::link_testing
