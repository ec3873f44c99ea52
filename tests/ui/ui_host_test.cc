// The page a running serve hosts for `attune ui` (node::UiHost and node::HostedPage over the
// home's ui.sock): the address comes back, a second page is refused while one is open, and a page
// serve cannot start is reported with its own reason rather than looking like no serve at all;
// and doctor can ask whether serve's link is up.
#include <gtest/gtest.h>

#include <string>

#include "node/journal_reason.h"
#include "node/ui.h"
#include "tests/common/raw_http.h"
#include "tests/node/node_test_util.h"

namespace attune::node {
namespace {

using testing::JournalTest;

class UiHostTest : public JournalTest {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(InitJournal()); }

  void StartHost(UiOptions options) {
    Result<Journal> spare = journal().OpenAnother();
    ASSERT_OK(spare.status());
    Result<std::unique_ptr<UiHost>> host = UiHost::Start(home_, std::move(*spare), options);
    ASSERT_OK(host.status());
    host_ = std::move(*host);
  }

  std::unique_ptr<UiHost> host_;
};

TEST_F(UiHostTest, AnsweringWithTheAddressAndRefusingASecondPage) {
  ASSERT_NO_FATAL_FAILURE(StartHost({}));
  Result<HostedPage> page = HostedPage::Open(home_);
  ASSERT_OK(page.status());
  EXPECT_TRUE(page->url().starts_with("http://127.0.0.1:")) << page->url();
  EXPECT_NE(page->url().find("/?token="), std::string::npos);
  Result<HostedPage> second = HostedPage::Open(home_);
  EXPECT_TRUE(second.status().Is(JournalReason::kHomeInUse)) << second.status().detail();
}

TEST_F(UiHostTest, APageServeCannotStartIsReportedAsSuchNotAsNoServe) {
  // A loopback port held, so that the page's server cannot listen on it.
  test_common::LoopbackListener held;
  ASSERT_NE(held.port(), 0);
  UiOptions options;
  options.listen = {"127.0.0.1", held.port()};
  ASSERT_NO_FATAL_FAILURE(StartHost(options));

  Result<HostedPage> page = HostedPage::Open(home_);
  EXPECT_TRUE(page.status().Is(UiReason::kPageFailed)) << page.status().detail();
  EXPECT_EQ(page.status().code(), StatusCode::kIoError);
  EXPECT_FALSE(page.status().detail().empty());
}

TEST_F(UiHostTest, ItSaysWhetherServeHasALiveSessionForDoctor) {
  ASSERT_NO_FATAL_FAILURE(StartHost({}));
  Result<bool> before = HostedLinkConnected(home_);
  ASSERT_OK(before.status());
  EXPECT_FALSE(*before);
  host_->Publish({.kind = ServeEventKind::kPartnerConnected, .host = "127.0.0.1"});
  Result<bool> during = HostedLinkConnected(home_);
  ASSERT_OK(during.status());
  EXPECT_TRUE(*during);
  host_->Publish({.kind = ServeEventKind::kSessionEnded, .host = "127.0.0.1"});
  Result<bool> after = HostedLinkConnected(home_);
  ASSERT_OK(after.status());
  EXPECT_FALSE(*after);
}

TEST_F(UiHostTest, NoServeHereIsNoHost) {
  Result<HostedPage> page = HostedPage::Open(home_);
  EXPECT_TRUE(page.status().Is(UiReason::kNoHost)) << page.status().detail();
  EXPECT_TRUE(HostedLinkConnected(home_).status().Is(UiReason::kNoHost));
}

}  // namespace
}  // namespace attune::node
