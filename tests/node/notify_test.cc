// Desktop notifications' decisions (node/notify.h), without a desktop: the pacer in virtual
// time (a burst gives one notification, what arrives later within the interval one more after
// it),
// the choice's names, and the sealed setting.
#include "node/notify.h"

#include <gtest/gtest.h>

#include "tests/node/node_test_util.h"

namespace attune::node {
namespace {

using testing::JournalTest;
using testing::kStartTime;

constexpr std::chrono::milliseconds kMinute{60'000};

TEST(NotificationPacerTest, TheFirstArrivalNotifiesAtOnce) {
  ManualClock clock(kStartTime);
  NotificationPacer pacer(clock, kMinute);
  EXPECT_TRUE(pacer.Arrived());
  EXPECT_EQ(pacer.due_at(), std::nullopt);
  EXPECT_FALSE(pacer.TakeDue());
}

TEST(NotificationPacerTest, ABurstOfFiveHundredInManyBatchesGivesOne) {
  ManualClock clock(kStartTime);
  NotificationPacer pacer(clock, kMinute);
  int now = 0;
  for (int arrival = 0; arrival < 500; ++arrival) {
    if (pacer.Arrived()) ++now;
    clock.Advance(10);  // 500 batches over 5 s, each close after the last
  }
  EXPECT_EQ(now, 1);
  EXPECT_EQ(pacer.due_at(), std::nullopt) << "the first notification told of the whole burst";
  clock.Advance(10 * kMinute.count());
  EXPECT_FALSE(pacer.TakeDue());
}

TEST(NotificationPacerTest, SomethingLaterInTheMinuteIsToldOnceWhenTheMinuteIsOver) {
  ManualClock clock(kStartTime);
  NotificationPacer pacer(clock, kMinute);
  EXPECT_TRUE(pacer.Arrived());
  clock.Advance(20'000);  // a new share, well after the burst
  int now = 0;
  for (int arrival = 0; arrival < 100; ++arrival) {
    if (pacer.Arrived()) ++now;
    clock.Advance(100);
  }
  EXPECT_EQ(now, 0);
  ASSERT_EQ(pacer.due_at(), kStartTime.utc_ms + kMinute.count());
  EXPECT_FALSE(pacer.TakeDue()) << "not before the minute is over";
  clock.Advance(kMinute.count() - 30'000 - 1);
  EXPECT_FALSE(pacer.TakeDue());
  clock.Advance(1);
  EXPECT_TRUE(pacer.TakeDue());
  EXPECT_FALSE(pacer.TakeDue()) << "told once";
  EXPECT_EQ(pacer.due_at(), std::nullopt);
}

TEST(NotificationPacerTest, ABurstInOneBatchGivesExactlyOne) {
  ManualClock clock(kStartTime);
  NotificationPacer pacer(clock, kMinute);
  EXPECT_TRUE(pacer.Arrived());
  clock.Advance(10 * kMinute.count());
  EXPECT_FALSE(pacer.TakeDue()) << "nothing held";
}

TEST(NotificationPacerTest, AfterAQuietMinuteTheNextArrivalNotifiesAtOnceAgain) {
  ManualClock clock(kStartTime);
  NotificationPacer pacer(clock, kMinute);
  EXPECT_TRUE(pacer.Arrived());
  clock.Advance(kMinute.count());
  EXPECT_TRUE(pacer.Arrived());
  clock.Advance(kMinute.count() - 1);
  EXPECT_FALSE(pacer.Arrived()) << "more than a burst's gap later: held";
  EXPECT_EQ(pacer.due_at(), kStartTime.utc_ms + 2 * kMinute.count());
}

TEST(NotificationPacerTest, TheMinuteCountsFromTheHeldNotificationToo) {
  ManualClock clock(kStartTime);
  NotificationPacer pacer(clock, kMinute);
  EXPECT_TRUE(pacer.Arrived());
  clock.Advance(30'000);
  EXPECT_FALSE(pacer.Arrived());
  clock.Advance(30'000);
  EXPECT_TRUE(pacer.TakeDue());
  clock.Advance(10'000);
  EXPECT_FALSE(pacer.Arrived()) << "a minute after the held one went out, not the first";
  EXPECT_EQ(pacer.due_at(), kStartTime.utc_ms + 2 * kMinute.count());
}

TEST(NotificationPacerTest, AClockSetBackCountsAsTheMinuteHavingPassed) {
  ManualClock clock(kStartTime);
  NotificationPacer pacer(clock, kMinute);
  EXPECT_TRUE(pacer.Arrived());
  clock.Advance(-3'600'000);
  EXPECT_TRUE(pacer.Arrived()) << "never silent for the hour the clock went back";
}

TEST(NotifyChoiceTest, NamesRoundTripAndNothingElseParses) {
  for (NotifyChoice choice :
       {NotifyChoice::kOff, NotifyChoice::kNeutral, NotifyChoice::kWithName}) {
    EXPECT_EQ(ParseNotifyChoice(NotifyChoiceName(choice)), choice);
  }
  EXPECT_EQ(NotifyChoiceName(NotifyChoice::kWithName), "with-name");
  for (std::string_view other : {"", "on", "Neutral", "with_name", "name"}) {
    EXPECT_EQ(ParseNotifyChoice(other), std::nullopt) << other;
  }
}

class NotifySettingTest : public JournalTest {};

TEST_F(NotifySettingTest, NeutralUntilSetAndKeptAcrossOpening) {
  ASSERT_NO_FATAL_FAILURE(InitJournal());
  Result<NotifyChoice> choice = journal().DesktopNotifyChoice();
  ASSERT_TRUE(choice.ok()) << testing::Describe(choice.status());
  EXPECT_EQ(*choice, NotifyChoice::kNeutral);
  ASSERT_TRUE(journal().SetDesktopNotifyChoice(NotifyChoice::kWithName).ok());
  Result<Journal> again = journal().OpenAnother();
  ASSERT_TRUE(again.ok()) << testing::Describe(again.status());
  EXPECT_EQ(*again->DesktopNotifyChoice(), NotifyChoice::kWithName);
  ASSERT_TRUE(journal().SetDesktopNotifyChoice(NotifyChoice::kOff).ok());
  EXPECT_EQ(*again->DesktopNotifyChoice(), NotifyChoice::kOff);
}

}  // namespace
}  // namespace attune::node
