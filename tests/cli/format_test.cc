// How entries look on a terminal: `show`'s detail and what `list` and `search` say when they find
// nothing (the end-to-end tests check the same entries through --json); and `--since`, a
// calendar date in digits or an RFC 3339 time, anything else refused.
#include "cli/format.h"
#include "tests/cli/says.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

namespace attune::cli {
namespace {

using testing::Says;

TEST(EntryDetailTest, NamesTheKindAndItsStepTheTextTagsAndLinks) {
  node::Entry entry;
  entry.id = "0123456789abcdef0123456789abcdef";
  entry.kind = "downside";
  entry.step = 3;
  entry.text = "I go quiet when hurt";
  entry.tags = {"silence"};
  entry.links = {"fedcba9876543210fedcba9876543210", "ffffffffffffffffffffffffffffffff"};
  const ShortIds short_ids = {{"fedcba9876543210fedcba9876543210", "fedcba"}};
  const std::string detail = EntryDetail(entry, short_ids);
  EXPECT_TRUE(Says(detail, "downside (step 3)")) << detail;
  EXPECT_TRUE(Says(detail, entry.id)) << detail;
  EXPECT_TRUE(Says(detail, "I go quiet when hurt")) << detail;
  EXPECT_TRUE(Says(detail, "#silence")) << detail;
  EXPECT_TRUE(Says(detail, "private")) << detail;
  EXPECT_TRUE(Says(detail, "linked to fedcba\n")) << "a short id where known: " << detail;
  EXPECT_TRUE(Says(detail, "linked to ffffffffffffffffffffffffffffffff\n")) << detail;
}

TEST(EntryDetailTest, ABoundaryShowsHowOftenItWasRestatedAndTheNotes) {
  node::Entry entry;
  entry.id = "0123456789abcdef0123456789abcdef";
  entry.kind = "boundary";
  entry.step = 8;
  entry.text = "I step out for ten minutes";
  entry.fields["restatements"] =
      nlohmann::json::array({{{"at", "2026-01-02T10:00:00Z"}},
                             {{"at", "2026-01-03T10:00:00Z"}, {"note", "after dinner"}},
                             {{"at", "2026-01-04T10:00:00Z"}}});
  const std::string detail = EntryDetail(entry, {});
  EXPECT_TRUE(Says(detail, "\nrestated 3 times:\n")) << detail;
  EXPECT_TRUE(Says(detail, "  2026-01-03T10:00:00Z  after dinner\n")) << detail;
  entry.fields["restatements"] = nlohmann::json::array({{{"at", "2026-01-02T10:00:00Z"}}});
  EXPECT_TRUE(Says(EntryDetail(entry, {}), "\nrestated 1 time:\n")) << EntryDetail(entry, {});
}

TEST(NothingListedTest, FiltersThatMatchNothingAreNotAnEmptyJournal) {
  for (const bool partner : {false, true}) {
    const std::string said = NothingMatchedText(partner);
    EXPECT_TRUE(Says(said, NoMatchesText())) << said;
    EXPECT_FALSE(Says(said, "No entries yet")) << said;
    EXPECT_TRUE(Says(said, partner ? "`attune list --partner`" : "`attune list`")) << said;
  }
}

TEST(NothingListedTest, AnEmptyListOrSearchSaysWhatToDo) {
  EXPECT_TRUE(Says(NothingListedText(false), "No entries yet"));
  EXPECT_TRUE(Says(NothingListedText(false), "`attune steps`"));
  EXPECT_TRUE(Says(NothingListedText(true), "Nothing from your partner yet"));
  EXPECT_TRUE(Says(NothingListedText(true), "`attune sync`"));
  EXPECT_EQ(NothingFoundText(), "No entries contain all of those words.");
}

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

TEST(ParseSinceTest, ACalendarDateIsLocalMidnight) {
  const ScopedTimeZone utc("UTC0");
  EXPECT_EQ(ParseSince("2026-11-28").value(), int64_t{1795824000} * 1000);
  EXPECT_EQ(ParseSince("2026-1-5").value(), int64_t{1767571200} * 1000);
  const ScopedTimeZone auckland("NZST-12");  // 12 hours ahead, no daylight saving rule
  EXPECT_EQ(ParseSince("2026-11-28").value(), (int64_t{1795824000} - 12 * 3600) * 1000);
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
