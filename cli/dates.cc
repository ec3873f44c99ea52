#include "cli/dates.h"

#include <cctype>
#include <charconv>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "node/entry.h"

namespace attune::cli {
namespace {

constexpr int64_t kMillisPerSecond = 1000;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> Tokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  for (const char c : text) {
    if (c == ' ' || c == '\t') {
      if (!current.empty()) tokens.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

std::optional<int> Number(std::string_view text, size_t most_digits) {
  if (text.empty() || text.size() > most_digits) return std::nullopt;
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

struct ClockTime {
  int hour = 0, minute = 0;
};

// "21:00", "9:05".
std::optional<ClockTime> ParseClock(std::string_view text) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::optional<int> hour = Number(text.substr(0, colon), 2);
  const std::optional<int> minute = Number(text.substr(colon + 1), 2);
  if (!hour || !minute || text.size() - colon - 1 != 2 || *hour > 23 || *minute > 59) {
    return std::nullopt;
  }
  return ClockTime{*hour, *minute};
}

std::tm LocalTm(int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / kMillisPerSecond);
  std::tm local{};
  ::localtime_r(&seconds, &local);
  return local;
}

// The local day `days_back` before `today`, at `time` (midnight without one); nullopt when the
// calendar has no such day (mktime would roll 2026-02-30 over into March).
std::optional<int64_t> AtDay(std::tm day, int days_back, const std::optional<ClockTime>& time) {
  day.tm_mday -= days_back;
  day.tm_hour = time ? time->hour : 0;
  day.tm_min = time ? time->minute : 0;
  day.tm_sec = 0;
  day.tm_isdst = -1;
  const std::tm wanted = day;
  const std::time_t seconds = std::mktime(&day);
  if (seconds == static_cast<std::time_t>(-1)) return std::nullopt;
  if (days_back == 0 && (day.tm_mday != wanted.tm_mday || day.tm_mon != wanted.tm_mon)) {
    return std::nullopt;
  }
  return static_cast<int64_t>(seconds) * kMillisPerSecond;
}

// "2026-11-28" as a local day (its tm), or nullopt.
std::optional<std::tm> CalendarDay(std::string_view text) {
  const size_t first = text.find('-');
  const size_t second = first == std::string_view::npos ? first : text.find('-', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const std::optional<int> year = Number(text.substr(0, first), 4);
  const std::optional<int> month = Number(text.substr(first + 1, second - first - 1), 2);
  const std::optional<int> day = Number(text.substr(second + 1), 2);
  if (!year || !month || !day || *month < 1 || *month > 12 || *day < 1 || *day > 31) {
    return std::nullopt;
  }
  std::tm local{};
  local.tm_year = *year - 1900;
  local.tm_mon = *month - 1;
  local.tm_mday = *day;
  return local;
}

std::optional<int> Weekday(std::string_view name) {
  static constexpr std::string_view kNames[] = {"sunday",   "monday", "tuesday", "wednesday",
                                                "thursday", "friday", "saturday"};
  for (int i = 0; i < 7; ++i) {
    if (name == kNames[i] || (name.size() == 3 && kNames[i].starts_with(name))) return i;
  }
  return std::nullopt;
}

// The day part (everything but a clock time), as a day and how many days back from it.
struct DayPart {
  std::tm day{};
  int days_back = 0;
};

std::optional<DayPart> ParseDay(const std::vector<std::string>& words, const std::tm& today) {
  if (words.empty() || (words.size() == 1 && words[0] == "today")) return DayPart{today, 0};
  if (words.size() == 1 && words[0] == "yesterday") return DayPart{today, 1};
  if (words.size() == 1) {
    if (std::optional<std::tm> date = CalendarDay(words[0])) return DayPart{*date, 0};
  }
  if (words.size() == 3 && words[2] == "ago") {
    const std::optional<int> count = Number(words[0], 4);
    if (!count) return std::nullopt;
    if (words[1] == "day" || words[1] == "days") return DayPart{today, *count};
    if (words[1] == "week" || words[1] == "weeks") return DayPart{today, 7 * *count};
    return std::nullopt;
  }
  const bool last = words.size() == 2 && words[0] == "last";
  if (words.size() == 1 || last) {
    const std::optional<int> weekday = Weekday(words.back());
    if (!weekday) return std::nullopt;
    int back = (today.tm_wday - *weekday + 7) % 7;
    if (last && back == 0) back = 7;
    return DayPart{today, back};
  }
  return std::nullopt;
}

}  // namespace

Result<NamedMoment> ParseNamedMoment(std::string_view text, int64_t now_ms, std::string_view flag) {
  const Status not_understood = Status::InvalidArgument(
      std::string(flag) +
      " takes a day like 2026-11-28, today, yesterday, 3 days ago or monday, "
      "with an optional time like 21:00 (not '" +
      std::string(text) + "')");
  if (Result<node::Timestamp> exact = node::ParseRfc3339(std::string(text)); exact.ok()) {
    return NamedMoment{exact->utc_ms, true};
  }
  std::string lowered = Lower(text);
  // "2026-11-28T21:00" is a day and a time too.
  if (const size_t t = lowered.find('t'); t == 10 && CalendarDay(lowered.substr(0, 10))) {
    lowered[t] = ' ';
  }
  std::vector<std::string> words = Tokens(lowered);
  if (words.empty()) return not_understood;
  std::optional<ClockTime> time;
  if (std::optional<ClockTime> clock = ParseClock(words.back())) {
    time = clock;
    words.pop_back();
  }
  const std::optional<DayPart> day = ParseDay(words, LocalTm(now_ms));
  if (!day) return not_understood;
  const std::optional<int64_t> at = AtDay(day->day, day->days_back, time);
  if (!at)
    return Status::InvalidArgument(std::string(flag) + ": there is no such day, " +
                                   std::string(text));
  return NamedMoment{*at, time.has_value()};
}

int64_t StartOfLocalDay(int64_t ms) {
  return *AtDay(LocalTm(ms), 0, std::nullopt);
}

int64_t StartOfNextLocalDay(int64_t ms) {
  return *AtDay(LocalTm(ms), -1, std::nullopt);
}

node::Timestamp LocalTimestamp(int64_t ms) {
  const std::tm local = LocalTm(ms);
  return {ms, static_cast<int32_t>(local.tm_gmtoff / 60)};
}

Result<node::Timestamp> ParseEntryTime(std::string_view text, int64_t now_ms) {
  ATTUNE_ASSIGN_OR_RETURN(NamedMoment moment, ParseNamedMoment(text, now_ms, "--at"));
  // A day without a time: its noon, a time that is on that day whatever the clocks do.
  const int64_t at = moment.has_time ? moment.utc_ms : moment.utc_ms + 12 * 3600 * kMillisPerSecond;
  if (at > now_ms) {
    return Status::InvalidArgument("--at names a time later than now (" + std::string(text) +
                                   "); an entry is written about what has happened");
  }
  return LocalTimestamp(at);
}

}  // namespace attune::cli
