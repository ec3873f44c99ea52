// What desktop notifications say (cli/notify_messages.h): never content, the partner's name
// only when chosen, no streaks or counts in the check-in reminder; serve's lines about them; and
// the sentences for the three reasons a notification could not be shown.
#include "cli/notify_messages.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "cli/exit_codes.h"
#include "cli/messages.h"
#include "node/journal_reason.h"
#include "node/serve_events.h"
#include "tests/cli/says.h"

namespace attune::cli {
namespace {

using node::JournalReason;
using node::NotifyChoice;
using testing::Says;

bool HasDigit(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

TEST(NotifyMessagesTest, TheNeutralLineNamesNobody) {
  const node::DesktopNotice notice = NewsNoticeWords({.choice = NotifyChoice::kNeutral});
  EXPECT_EQ(notice.summary, "attune: something new");
  EXPECT_EQ(notice.body, "");
  // Even when a name is at hand, neutral leaves it out.
  EXPECT_EQ(NewsNoticeWords({.choice = NotifyChoice::kNeutral, .partner_name = "Sam"}).summary,
            "attune: something new");
}

TEST(NotifyMessagesTest, WithNameAddsTheNameAndNothingElse) {
  const node::DesktopNotice notice =
      NewsNoticeWords({.choice = NotifyChoice::kWithName, .partner_name = "Sam"});
  EXPECT_EQ(notice.summary, "attune: something new from Sam");
  EXPECT_EQ(notice.body, "");
  EXPECT_EQ(NewsNoticeWords({.choice = NotifyChoice::kWithName}).summary, "attune: something new");
}

TEST(NotifyMessagesTest, TheCheckinReminderIsGentleWithoutStreaksOrCounts) {
  const node::DesktopNotice notice = CheckinNoticeWords();
  EXPECT_EQ(notice.summary, "attune: a moment for your weekly check-in, whenever it suits you");
  EXPECT_FALSE(HasDigit(notice.summary + notice.body));
  for (const char* pressure : {"streak", "missed", "overdue", "days", "again"}) {
    EXPECT_FALSE(Says(notice.summary + notice.body, pressure)) << pressure;
  }
}

TEST(NotifyMessagesTest, TheSettingSaysWhatIsShownAndHowToChangeIt) {
  const std::string neutral = NotifyStatusText(NotifyChoice::kNeutral, true, true);
  EXPECT_TRUE(Says(neutral, "\"attune: something new\"")) << neutral;
  EXPECT_TRUE(Says(neutral, "never a name")) << neutral;
  EXPECT_TRUE(Says(neutral, "`attune notify with-name`")) << neutral;
  EXPECT_TRUE(Says(NotifyStatusText(NotifyChoice::kOff, false, false), "no desktop notifications"));
  EXPECT_FALSE(Says(NotifyStatusText(NotifyChoice::kOff, false, false), "libnotify-bin"))
      << "off needs nothing installed";
  EXPECT_TRUE(Says(NotifyStatusText(NotifyChoice::kNeutral, true, false),
                   "sudo apt install libnotify-bin"));
  EXPECT_TRUE(Says(NotifyStatusText(NotifyChoice::kNeutral, false, true), "no desktop bus"));
  const std::string with_name = NotifySetText(NotifyChoice::kWithName, true, true);
  EXPECT_TRUE(Says(with_name, "Anyone who sees your screen")) << with_name;
  EXPECT_FALSE(Says(NotifySetText(NotifyChoice::kNeutral, true, true), "Anyone who sees"));
}

TEST(NotifyMessagesTest, EachReasonHasItsSentenceAndExit13) {
  const Status no_bus = Status::Unreachable("x").WithReason(JournalReason::kNotifyNoSessionBus);
  const Status missing = Status::Unreachable("x").WithReason(JournalReason::kNotifyNotInstalled);
  const Status failed = Status::Unreachable("notify-send exited with status 1")
                            .WithReason(JournalReason::kNotifyFailed);
  EXPECT_TRUE(Says(Explain(no_bus), "DBUS_SESSION_BUS_ADDRESS")) << Explain(no_bus);
  EXPECT_TRUE(Says(Explain(missing), "sudo apt install libnotify-bin")) << Explain(missing);
  EXPECT_TRUE(Says(Explain(failed), "exited with status 1")) << Explain(failed);
  EXPECT_TRUE(Says(Explain(failed), "notification daemon")) << Explain(failed);
  EXPECT_EQ(ReasonName(no_bus), "notify_no_session_bus");
  EXPECT_EQ(ReasonName(missing), "notify_not_installed");
  EXPECT_EQ(ReasonName(failed), "notify_failed");
  for (const Status& status : {no_bus, missing, failed}) {
    EXPECT_EQ(ExitCodeFor(status), kExitUnreachable);
  }
  EXPECT_EQ(ExplainNotifyFailure(Status::Unreachable("x")), std::nullopt);
}

TEST(NotifyMessagesTest, ServeSaysWhatArrivedWithoutNamesAndOnceWhyNoNotification) {
  using node::ServeEventKind;
  EXPECT_EQ(ServeEventText({.kind = ServeEventKind::kPartnerNews, .host = "10.0.0.2", .count = 1}),
            "something new arrived from your partner (1 entry)");
  EXPECT_EQ(ServeEventText({.kind = ServeEventKind::kPartnerNews, .count = 500}),
            "something new arrived from your partner (500 entries)");
  EXPECT_EQ(ServeEventJson({.kind = ServeEventKind::kPartnerNews, .count = 3}),
            (nlohmann::json{{"event", "partner_news"}, {"count", 3}}));
  const node::ServeEvent unavailable{
      .kind = ServeEventKind::kNotificationsUnavailable,
      .problem = Status::Unreachable("x").WithReason(JournalReason::kNotifyNotInstalled)};
  const std::string line = ServeEventText(unavailable);
  EXPECT_TRUE(Says(line, "desktop notifications are unavailable")) << line;
  EXPECT_TRUE(Says(line, "serve goes on without them")) << line;
  EXPECT_TRUE(Says(line, "`attune notify off`")) << line;
  const nlohmann::json json = ServeEventJson(unavailable);
  EXPECT_EQ(json["event"], "notifications_unavailable");
  EXPECT_EQ(json["problem"]["reason"], 571);
}

}  // namespace
}  // namespace attune::cli
