// Moments as a person names them (cli/dates.h): calendar days at local midnight, times of day,
// today, yesterday, N days or weeks ago, weekdays, RFC 3339; and what is refused.
#include "cli/dates.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

namespace attune::cli {
namespace {

// The local time zone as a test sets it, restored when the test ends.
class ScopedTimeZone {
 public:
  explicit ScopedTimeZone(const char* zone) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    ::setenv("TZ", zone, 1);
    ::tzset();
  }
  ~ScopedTimeZone() {
    if (old_) {
      ::setenv("TZ", old_->c_str(), 1);
    } else {
      ::unsetenv("TZ");
    }
    ::tzset();
  }

 private:
  std::optional<std::string> old_;
};

constexpr int64_t kSecond = 1000;
// Saturday 2026-11-28, 10:00 UTC.
constexpr int64_t kNow = int64_t{1795860000} * kSecond;

int64_t At(const char* text) {
  Result<NamedMoment> moment = ParseNamedMoment(text, kNow, "--since");
  EXPECT_TRUE(moment.ok()) << text << ": " << moment.status().detail();
  return moment.ok() ? moment->utc_ms : -1;
}

TEST(DatesTest, ACalendarDateIsLocalMidnight) {
  const ScopedTimeZone utc("UTC0");
  EXPECT_EQ(At("2026-11-28"), int64_t{1795824000} * kSecond);
  EXPECT_EQ(At("2026-1-5"), int64_t{1767571200} * kSecond);
  const ScopedTimeZone auckland("NZST-12");  // 12 hours ahead, no daylight saving rule
  EXPECT_EQ(At("2026-11-28"), (int64_t{1795824000} - 12 * 3600) * kSecond);
}

TEST(DatesTest, AnRfc3339TimeIsThatInstant) {
  EXPECT_EQ(At("2026-11-28T10:00:00Z"), int64_t{1795860000} * kSecond);
}

TEST(DatesTest, WordsCountFromToday) {
  const ScopedTimeZone utc("UTC0");
  EXPECT_EQ(At("today"), int64_t{1795824000} * kSecond);
  EXPECT_EQ(At("yesterday 21:00"), int64_t{1795813200} * kSecond);
  EXPECT_EQ(At("Yesterday  21:00"), int64_t{1795813200} * kSecond);
  EXPECT_EQ(At("3 days ago"), int64_t{1795564800} * kSecond);
  EXPECT_EQ(At("1 week ago"), int64_t{1795219200} * kSecond);
  EXPECT_EQ(At("monday"), int64_t{1795392000} * kSecond);    // the latest Monday
  EXPECT_EQ(At("saturday"), int64_t{1795824000} * kSecond);  // today is one
  EXPECT_EQ(At("last sat"), int64_t{1795219200} * kSecond);  // the one before today
  EXPECT_EQ(At("21:00"), int64_t{1795899600} * kSecond);
  EXPECT_EQ(At("2026-11-28 21:00"), int64_t{1795899600} * kSecond);
  EXPECT_EQ(At("2026-11-28T21:00"), int64_t{1795899600} * kSecond);
  EXPECT_TRUE(ParseNamedMoment("21:00", kNow, "--at")->has_time);
  EXPECT_FALSE(ParseNamedMoment("monday", kNow, "--at")->has_time);
  EXPECT_EQ(StartOfNextLocalDay(kNow), int64_t{1795910400} * kSecond);
  EXPECT_EQ(StartOfLocalDay(kNow), int64_t{1795824000} * kSecond);
}

TEST(DatesTest, AnythingElseIsRefusedNamingTheFlag) {
  for (const char* text : {"",
                           "2026",
                           "2026-11",
                           "2026-11-28x",
                           "x2026-11-28",
                           "12026-11-28",
                           "2026-111-28",
                           "2026--28",
                           "-2026-11-28",
                           "2026-+1-28",
                           "2026-13-01",
                           "2026-00-10",
                           "2026-11-32",
                           "2026-02-30",
                           "someday",
                           "25:00",
                           "21:5",
                           "3 lightyears ago",
                           "last",
                           "next monday"}) {
    Result<NamedMoment> moment = ParseNamedMoment(text, kNow, "--until");
    EXPECT_EQ(moment.status().code(), StatusCode::kInvalidArgument) << text;
    EXPECT_NE(moment.status().detail().find("--until"), std::string::npos) << text;
  }
}

TEST(DatesTest, AnEntrysTimeIsNeverLaterThanNowAndADayAloneIsItsNoon) {
  const ScopedTimeZone utc("UTC0");
  Result<node::Timestamp> noon = ParseEntryTime("2026-11-20", kNow);
  ASSERT_TRUE(noon.ok()) << noon.status().detail();
  EXPECT_EQ(noon->utc_ms, int64_t{1795176000} * kSecond);
  EXPECT_EQ(noon->offset_min, 0);
  EXPECT_EQ(ParseEntryTime("21:00", kNow).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseEntryTime("2026-12-01", kNow).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace attune::cli
