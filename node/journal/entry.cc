#include "node/entry.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "steps/kinds.h"

namespace attune::node {
namespace {

using nlohmann::json;

Result<std::vector<std::string>> StringList(const json& value, const char* what) {
  std::vector<std::string> out;
  if (value.is_null()) return out;
  if (!value.is_array()) return Status::InvalidArgument(std::string(what) + " must be a list");
  for (const json& item : value) {
    if (!item.is_string()) return Status::InvalidArgument(std::string(what) + " must be strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<std::string> RequiredString(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) {
    return Status::InvalidArgument(std::string("entry field \"") + key + "\" is missing");
  }
  return it->get<std::string>();
}

// An optional field that must be one of `allowed`; the first of them when absent. Checked
// here rather than left to storage so that an import is refused before anything is written.
Result<std::string> OneOf(const json& object, const char* key,
                          std::initializer_list<std::string_view> allowed) {
  auto it = object.find(key);
  if (it == object.end()) return std::string(*allowed.begin());
  if (it->is_string()) {
    const std::string value = it->get<std::string>();
    for (std::string_view candidate : allowed) {
      if (value == candidate) return value;
    }
  }
  return Status::InvalidArgument(std::string("entry field \"") + key + "\" has an unknown value");
}

// The value of text[pos, pos + count) if those are all digits, else -1.
int Digits(std::string_view text, size_t pos, size_t count) {
  if (pos + count > text.size()) return -1;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool HasAt(std::string_view text, size_t pos, char c) {
  return pos < text.size() && text[pos] == c;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Seconds since the epoch of the "YYYY-MM-DDTHH:MM:SS" at the start of `text`, read as UTC;
// none unless every field is in range (a leap second allowed), so that a date like February 30
// is refused instead of silently becoming March 2. Counted with std::chrono's calendar, not
// timegm: glibc's timegm takes the time zone lock and normalises through mktime, a sizeable
// part of reading an entry that arrives from a partner.
std::optional<int64_t> ParseCivilTime(std::string_view text) {
  const int year = Digits(text, 0, 4), month = Digits(text, 5, 2), day = Digits(text, 8, 2);
  const int hour = Digits(text, 11, 2), minute = Digits(text, 14, 2), second = Digits(text, 17, 2);
  if (!HasAt(text, 4, '-') || !HasAt(text, 7, '-') || !HasAt(text, 10, 'T') ||
      !HasAt(text, 13, ':') || !HasAt(text, 16, ':')) {
    return std::nullopt;
  }
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) ||
      hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return std::nullopt;
  }
  const std::chrono::sys_days date = std::chrono::year{year} /
                                     std::chrono::month{static_cast<unsigned>(month)} /
                                     std::chrono::day{static_cast<unsigned>(day)};
  // A leap second (60) counts as the first second of the next minute, as timegm has it.
  return int64_t{date.time_since_epoch().count()} * 86400 + hour * 3600 + minute * 60 + second;
}

// "Z", "z" or "+HH:MM" / "-HH:MM", and nothing after it. Up to a full day either way, as
// storage accepts (storage/schema.h kMaxOffsetMinutes), so whatever was stored can come back.
std::optional<int> ParseOffset(std::string_view text) {
  if (text == "Z" || text == "z") return 0;
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') return std::nullopt;
  const int hours = Digits(text, 1, 2), minutes = Digits(text, 4, 2);
  if (hours < 0 || minutes < 0 || minutes > 59 || hours * 60 + minutes > 24 * 60) {
    return std::nullopt;
  }
  return (hours * 60 + minutes) * (text[0] == '-' ? -1 : 1);
}

}  // namespace

std::string_view AuthorName(Author author) {
  switch (author) {
    case Author::kMe:
      return "me";
    case Author::kPartner:
      return "partner";
    case Author::kFormer:
      return "former";
  }
  return "me";
}

std::string_view VisibilityName(Visibility visibility) {
  return visibility == Visibility::kShared ? "shared" : "private";
}

std::optional<Author> ParseAuthor(std::string_view name) {
  for (Author author : {Author::kMe, Author::kPartner, Author::kFormer}) {
    if (AuthorName(author) == name) return author;
  }
  return std::nullopt;
}

std::optional<Visibility> ParseVisibility(std::string_view name) {
  for (Visibility visibility : {Visibility::kPrivate, Visibility::kShared}) {
    if (VisibilityName(visibility) == name) return visibility;
  }
  return std::nullopt;
}

json EntryToJson(const Entry& entry) {
  return json{{"id", entry.id},
              {"kind", entry.kind},
              {"step", entry.step},
              {"text", entry.text},
              {"fields", entry.fields},
              {"tags", entry.tags},
              {"links", entry.links},
              {"created", FormatRfc3339(entry.created)},
              {"updated", FormatRfc3339(entry.updated)},
              {"visibility", VisibilityName(entry.visibility)},
              {"author", AuthorName(entry.author)}};
}

bool IsFullEntryId(std::string_view id) {
  if (id.size() != 32) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

namespace {

// EntryFromJson's work; the text is read from the object when `text` is none.
Result<Entry> EntryFromParts(const json& object, std::optional<std::string_view> text) {
  if (!object.is_object()) return Status::InvalidArgument("an entry must be a JSON object");
  Entry entry;
  ATTUNE_ASSIGN_OR_RETURN(entry.id, RequiredString(object, "id"));
  if (!IsFullEntryId(entry.id))
    return Status::InvalidArgument("entry id must be 32 hex characters");
  ATTUNE_ASSIGN_OR_RETURN(entry.kind, RequiredString(object, "kind"));
  ATTUNE_ASSIGN_OR_RETURN(const steps::KindInfo* kind, steps::FindKind(entry.kind));
  entry.step = kind->step;
  if (!text) {
    ATTUNE_ASSIGN_OR_RETURN(entry.text, RequiredString(object, "text"));
  } else if (object.contains("text")) {
    return Status::InvalidArgument("entry field \"text\" is given twice");
  } else {
    entry.text.assign(*text);
  }
  entry.fields = object.value("fields", json::object());
  if (!entry.fields.is_object()) return Status::InvalidArgument("entry fields must be an object");
  ATTUNE_ASSIGN_OR_RETURN(entry.tags, StringList(object.value("tags", json()), "tags"));
  ATTUNE_ASSIGN_OR_RETURN(entry.links, StringList(object.value("links", json()), "links"));
  for (const std::string& link : entry.links) {
    if (!IsFullEntryId(link)) return Status::InvalidArgument("a link is not a full entry id");
  }
  ATTUNE_ASSIGN_OR_RETURN(std::string created, RequiredString(object, "created"));
  ATTUNE_ASSIGN_OR_RETURN(entry.created, ParseRfc3339(created));
  ATTUNE_ASSIGN_OR_RETURN(std::string updated, RequiredString(object, "updated"));
  ATTUNE_ASSIGN_OR_RETURN(entry.updated, ParseRfc3339(updated));
  ATTUNE_ASSIGN_OR_RETURN(std::string visibility,
                          OneOf(object, "visibility", {"private", "shared"}));
  entry.visibility = *ParseVisibility(visibility);
  ATTUNE_ASSIGN_OR_RETURN(std::string author, OneOf(object, "author", {"me", "partner"}));
  entry.author = *ParseAuthor(author);
  return entry;
}

}  // namespace

Result<Entry> EntryFromJson(const json& object) {
  return EntryFromParts(object, std::nullopt);
}

Result<Entry> EntryFromJson(const json& object, std::string_view text) {
  return EntryFromParts(object, text);
}

std::string FormatRfc3339(const Timestamp& at) {
  // Floor division, so that a moment before 1970 keeps its milliseconds in the right second.
  const int64_t utc_seconds = at.utc_ms / 1000 - (at.utc_ms % 1000 < 0 ? 1 : 0);
  const int millis = static_cast<int>(at.utc_ms - utc_seconds * 1000);
  const int64_t local_seconds = utc_seconds + int64_t{at.offset_min} * 60;
  const std::time_t as_time = static_cast<std::time_t>(local_seconds);
  std::tm parts{};
  gmtime_r(&as_time, &parts);
  const int offset = at.offset_min < 0 ? -at.offset_min : at.offset_min;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03d%c%02d:%02d",
                parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min,
                parts.tm_sec, millis, at.offset_min < 0 ? '-' : '+', offset / 60, offset % 60);
  return buffer;
}

Result<Timestamp> ParseRfc3339(const std::string& text) {
  const std::string_view view = text;
  const std::optional<int64_t> local_seconds = ParseCivilTime(view);
  if (!local_seconds) return Status::InvalidArgument("not an RFC 3339 time: " + text);
  size_t pos = 19;  // just past the seconds
  int millis = 0;
  if (HasAt(view, pos, '.')) {
    const size_t first_digit = ++pos;
    for (int scale = 100; pos < view.size() && view[pos] >= '0' && view[pos] <= '9'; ++pos) {
      millis += (view[pos] - '0') * scale;
      scale /= 10;
    }
    if (pos == first_digit) return Status::InvalidArgument("no digits after the point: " + text);
  }
  const std::optional<int> offset_min = ParseOffset(view.substr(pos));
  if (!offset_min) return Status::InvalidArgument("bad or missing UTC offset in time: " + text);
  Timestamp at;
  at.offset_min = *offset_min;
  at.utc_ms = (*local_seconds - int64_t{*offset_min} * 60) * 1000 + millis;
  return at;
}

}  // namespace attune::node
