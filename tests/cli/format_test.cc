// `--since`: a calendar date in digits, or an RFC 3339 time; anything else is refused.
#include <gtest/gtest.h>

#include <ctime>

#include "cli/format.h"

namespace attune::cli {
namespace {

int64_t LocalMidnight(int year, int month, int day) {
  std::tm local{};
  local.tm_year = year - 1900;
  local.tm_mon = month - 1;
  local.tm_mday = day;
  local.tm_isdst = -1;
  return static_cast<int64_t>(std::mktime(&local)) * 1000;
}

TEST(ParseSinceTest, ACalendarDateIsLocalMidnight) {
  EXPECT_EQ(ParseSince("2026-11-28").value(), LocalMidnight(2026, 11, 28));
  EXPECT_EQ(ParseSince("2026-1-5").value(), LocalMidnight(2026, 1, 5));
}

TEST(ParseSinceTest, AnRfc3339TimeIsThatInstant) {
  EXPECT_EQ(ParseSince("2026-11-28T10:00:00Z").value(), int64_t{1795860000} * 1000);
}

TEST(ParseSinceTest, AnythingElseIsRefused) {
  for (const char* text : {"", "2026", "2026-11", "2026-11-28x", "x2026-11-28", "12026-11-28",
                           "2026-111-28", "2026--28", "-2026-11-28", "2026-+1-28", "2026-13-01",
                           "2026-00-10", "2026-11-32", "yesterday"}) {
    EXPECT_EQ(ParseSince(text).status().code(), StatusCode::kInvalidArgument) << text;
  }
}

}  // namespace
}  // namespace attune::cli
