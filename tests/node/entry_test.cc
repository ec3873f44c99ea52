// The plaintext entry model: its JSON form, RFC 3339 times, and the kinds table.
#include "node/entry.h"

#include <gtest/gtest.h>

#include <set>

#include "steps/kinds.h"
#include "tests/node/node_test_util.h"

namespace attune::node::testing {
namespace {

using nlohmann::json;

Entry SampleEntry() {
  Entry entry;
  entry.id = "0123456789abcdef0123456789abcdef";
  entry.kind = "statement";
  entry.step = 7;
  entry.text = "I feel unseen when \"later\" never comes\nI feel loved when you ask";
  entry.fields = {{"feeling", "unseen"}, {"nested", {{"n", 1.5}}}};
  entry.tags = {"later", "ünïcode"};
  entry.links = {"fedcba9876543210fedcba9876543210"};
  entry.created = {1767225600123, 60};
  entry.updated = {1767312000999, -570};
  entry.visibility = node::Visibility::kShared;
  entry.author = node::Author::kPartner;
  return entry;
}

TEST(EntryJsonTest, RoundTripKeepsEverything) {
  const Entry entry = SampleEntry();
  const json as_json = EntryToJson(entry);
  EXPECT_EQ(as_json["created"], "2026-01-01T01:00:00.123+01:00");
  EXPECT_EQ(as_json["updated"], "2026-01-01T14:30:00.999-09:30");
  EXPECT_EQ(as_json["step"], 7);
  ASSERT_OK_AND_ASSIGN(Entry back, EntryFromJson(json::parse(as_json.dump())));
  EXPECT_TRUE(SameEntry(entry, back));
}

TEST(EntryJsonTest, TheTextGivenBesideTheObjectReadsAsTheTextInsideIt) {
  const Entry entry = SampleEntry();
  json without_text = EntryToJson(entry);
  without_text.erase("text");
  ASSERT_OK_AND_ASSIGN(Entry back, EntryFromJson(without_text, entry.text));
  EXPECT_TRUE(SameEntry(entry, back));
  // Text in both places is refused rather than one of them chosen.
  EXPECT_CODE(EntryFromJson(EntryToJson(entry), entry.text), kInvalidArgument);
  EXPECT_CODE(EntryFromJson(json::array(), entry.text), kInvalidArgument);
}

TEST(EntryJsonTest, DefaultsForOptionalFieldsAndStepFromKind) {
  const json minimal = {{"id", "00000000000000000000000000000001"},
                        {"kind", "boundary"},
                        {"step", 3},  // ignored: the kind decides
                        {"text", "knock first"},
                        {"created", "2026-01-01T00:00:00Z"},
                        {"updated", "2026-01-01T00:00:00Z"}};
  ASSERT_OK_AND_ASSIGN(Entry entry, EntryFromJson(minimal));
  EXPECT_EQ(entry.step, 8);
  EXPECT_EQ(entry.fields, json::object());
  EXPECT_TRUE(entry.tags.empty());
  EXPECT_TRUE(entry.links.empty());
  EXPECT_EQ(entry.visibility, node::Visibility::kPrivate);
  EXPECT_EQ(entry.author, node::Author::kMe);
  EXPECT_EQ(entry.created.utc_ms, 1767225600000);
}

TEST(EntryJsonTest, RejectsMalformedEntries) {
  const json good = EntryToJson(SampleEntry());
  ASSERT_TRUE(EntryFromJson(good).ok());
  const std::vector<std::pair<std::string, json>> bad_values = {
      {"id", "0123456789ABCDEF0123456789ABCDEF"},  // upper case is not how ids are written
      {"id", "0123"},
      {"id", 12},
      {"kind", "diary"},
      {"text", json()},
      {"fields", json::array()},
      {"tags", "one"},
      {"tags", json::array({1})},
      {"links", json::array({"abc"})},
      {"created", "2026-01-01"},
      {"updated", 1767225600},
      {"visibility", "public"},
      {"visibility", 1},
      {"author", "someone"},
      {"author", json::array()},
  };
  for (const auto& [key, value] : bad_values) {
    json entry = good;
    entry[key] = value;
    EXPECT_CODE(EntryFromJson(entry), kInvalidArgument) << key << " = " << value.dump();
  }
  for (const char* key : {"id", "kind", "text", "created", "updated"}) {
    json entry = good;
    entry.erase(key);
    EXPECT_CODE(EntryFromJson(entry), kInvalidArgument) << "without " << key;
  }
  EXPECT_CODE(EntryFromJson(json::array()), kInvalidArgument);
  EXPECT_CODE(EntryFromJson("entry"), kInvalidArgument);
}

TEST(Rfc3339Test, FormatsInTheWritersOffset) {
  EXPECT_EQ(FormatRfc3339({0, 0}), "1970-01-01T00:00:00.000+00:00");
  EXPECT_EQ(FormatRfc3339({1795853700000, 60}), "2026-11-28T09:15:00.000+01:00");
  EXPECT_EQ(FormatRfc3339({1795853700042, -480}), "2026-11-28T00:15:00.042-08:00");
  EXPECT_EQ(FormatRfc3339({1795853700000, 345}), "2026-11-28T14:00:00.000+05:45");
  EXPECT_EQ(FormatRfc3339({-1, 0}), "1969-12-31T23:59:59.999+00:00");
}

TEST(Rfc3339Test, RoundTripsAcrossOffsetsAndMilliseconds) {
  const int64_t times[] = {0,  1,     999,        1000, 1767225600123, 1795853700042, 4102444799999,
                           -1, -1001, -86'400'000};
  const int32_t offsets[] = {0, 60, -60, 330, -570, 840, -720, 1440, -1440};
  for (int64_t utc_ms : times) {
    for (int32_t offset : offsets) {
      const Timestamp at{utc_ms, offset};
      const std::string text = FormatRfc3339(at);
      ASSERT_OK_AND_ASSIGN(Timestamp back, ParseRfc3339(text));
      EXPECT_EQ(back.utc_ms, utc_ms) << text;
      EXPECT_EQ(back.offset_min, offset) << text;
    }
  }
}

TEST(Rfc3339Test, ParsesOtherSpellingsOfTheSameMoment) {
  struct Case {
    const char* text;
    int64_t utc_ms;
    int32_t offset_min;
  };
  const Case cases[] = {
      {"2026-11-28T09:15:00+01:00", 1795853700000, 60},
      {"2026-11-28T08:15:00Z", 1795853700000, 0},
      {"2026-11-28T08:15:00z", 1795853700000, 0},
      {"2026-11-28T08:15:00.5Z", 1795853700500, 0},
      {"2026-11-28T08:15:00.123456Z", 1795853700123, 0},
      {"2026-11-28T03:15:00.250-05:00", 1795853700250, -300},
      {"2026-11-28T08:15:00-00:00", 1795853700000, 0},
      {"2024-02-29T00:00:00Z", 1709164800000, 0},  // a leap day
      {"2026-11-29T08:15:00+24:00", 1795853700000, 1440},
      // Calendar arithmetic at its edges, checked against Python's calendar.timegm.
      {"2016-12-31T23:59:60Z", 1483228800000, 0},   // a leap second: the next minute's first
      {"1900-03-01T00:00:00Z", -2203891200000, 0},  // 1900 was not a leap year
      {"2000-02-29T12:00:00Z", 951825600000, 0},    // 2000 was
      {"9999-12-31T23:59:59Z", 253402300799000, 0},
  };
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(Timestamp at, ParseRfc3339(c.text));
    EXPECT_EQ(at.utc_ms, c.utc_ms) << c.text;
    EXPECT_EQ(at.offset_min, c.offset_min) << c.text;
  }
}

TEST(Rfc3339Test, RejectsWhatIsNotATime) {
  for (const char* text : {"",
                           "now",
                           "2026-11-28",
                           "2026-11-28T09:15",
                           "2026-11-28T09:15:00",
                           "2026-11-28 09:15:00",
                           "2026-11-28T09:15:00+0100",
                           "2026-11-28T09:15:00+01",
                           "2026-11-28T09:15:00 +01:00",
                           "2026-13-01T00:00:00Z",
                           "2026-02-30T00:00:00Z",
                           "2025-02-29T00:00:00Z",
                           "1900-02-29T00:00:00Z",
                           "2026-00-10T00:00:00Z",
                           "2026-11-28T24:00:00Z",
                           "2026-11-28T09:60:00Z",
                           "2026-11-28T09:15:00+01:60",
                           "2026-11-28T09:15:00+24:01",
                           "2026-11-28T09:15:00-25:00",
                           "2026-1-28T09:15:00Z",
                           "+026-11-28T09:15:00Z",
                           "2026-11-28T09:15:00.123",
                           "2026-11-28T09:15:00Zjunk",
                           "2026-11-28T09:15:00+01:00junk",
                           "2026-11-28T09:15:00.Z"}) {
    EXPECT_CODE(ParseRfc3339(text), kInvalidArgument) << '"' << text << '"';
  }
}

TEST(KindsTest, TableIsConsistent) {
  std::set<std::string_view> names;
  for (const steps::KindInfo& kind : steps::AllKinds()) {
    EXPECT_TRUE(names.insert(kind.name).second) << kind.name;
    EXPECT_GE(kind.step, 0);
    EXPECT_LE(kind.step, 9);
    // Notes and responses belong to no single step.
    EXPECT_EQ(kind.step == 0, kind.name == "note" || kind.name == "response") << kind.name;
    ASSERT_OK_AND_ASSIGN(const steps::KindInfo* found, steps::FindKind(kind.name));
    EXPECT_EQ(found, &kind);
    EXPECT_NE(steps::KindNamesList().find(kind.name), std::string::npos);
  }
  std::set<int> steps;
  for (const steps::KindInfo& kind : steps::AllKinds()) steps.insert(kind.step);
  EXPECT_EQ(steps, (std::set<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(steps::KindNamesList().rfind("style, partner-style, ", 0), 0u);
}

TEST(KindsTest, UnknownNamesListTheKinds) {
  for (const char* name : {"", "Note", "notes", " note", "trigger\n"}) {
    Result<const steps::KindInfo*> found = steps::FindKind(name);
    ASSERT_FALSE(found.ok()) << name;
    EXPECT_EQ(found.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(found.status().detail().find("boundary"), std::string::npos);
  }
}

}  // namespace
}  // namespace attune::node::testing
