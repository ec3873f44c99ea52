// Moments as a person names them on the command line, as jrnl takes them: "2026-11-28",
// "2026-11-28 21:00", "today", "yesterday 21:00", "3 days ago", "monday", "last friday", "21:00",
// or an RFC 3339 time. Local time, the system's time zone.
#ifndef ATTUNE_CLI_DATES_H_
#define ATTUNE_CLI_DATES_H_

#include <cstdint>
#include <string_view>

#include "base/status.h"
#include "node/clock.h"

namespace attune::cli {

struct NamedMoment {
  int64_t utc_ms = 0;
  bool has_time = false;  // a clock time was named; otherwise utc_ms is the start of that day
};

// `text` relative to `now_ms`. A weekday is the latest such day up to today ("last monday": before
// today); "N days ago" and "N weeks ago" count back from today. kInvalidArgument naming `flag`
// and the forms it takes when `text` is none of them, or no such date (2026-02-30).
Result<NamedMoment> ParseNamedMoment(std::string_view text, int64_t now_ms, std::string_view flag);

// The local day that `ms` falls in: its first millisecond, and the first of the next day.
int64_t StartOfLocalDay(int64_t ms);
int64_t StartOfNextLocalDay(int64_t ms);

// `ms` as a journal timestamp, with the local offset from UTC at that moment.
node::Timestamp LocalTimestamp(int64_t ms);

// For `add --at`: the moment named, at noon when only a day is named. kInvalidArgument if it is
// later than `now_ms`.
Result<node::Timestamp> ParseEntryTime(std::string_view text, int64_t now_ms);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_DATES_H_
