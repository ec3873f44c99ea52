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
  // In the local format of every other time (issue 19), not as stored.
  node::Timestamp third_at;
  third_at.utc_ms = 1767434400000;  // 2026-01-03T10:00:00Z
  EXPECT_TRUE(Says(detail, "  " + LocalTime(third_at) + "  after dinner\n")) << detail;
  EXPECT_FALSE(Says(detail, "T10:00:00Z")) << detail;
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

// Issue 19: in together, a response comes right after what it answers.
TEST(ThreadedTimelineTest, ResponsesFollowWhatTheyAnswer) {
  const auto entry = [](std::string id, std::string kind, std::string answers = "") {
    node::Entry e;
    e.id = std::move(id);
    e.kind = std::move(kind);
    if (!answers.empty()) e.fields = {{"responds_to", answers}};
    return e;
  };
  const std::vector<node::Entry> timeline = {
      entry("a", "need"),   entry("b", "boundary"),        entry("r1", "response", "a"),
      entry("c", "repair"), entry("r2", "response", "r1"), entry("r3", "response", "gone")};
  std::vector<std::string> order;
  for (const node::Entry& e : ThreadedTimeline(timeline)) order.push_back(e.id);
  EXPECT_EQ(order, (std::vector<std::string>{"a", "r1", "r2", "b", "c", "r3"}));
}

}  // namespace
}  // namespace attune::cli
