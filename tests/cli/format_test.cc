// How entries look on a terminal: `show`'s detail and what `list` and `search` say when they find
// nothing. The end-to-end tests check the same entries through --json.
#include "cli/format.h"

#include <gtest/gtest.h>

#include <string>

namespace attune::cli {
namespace {

bool Says(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

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

TEST(NothingListedTest, AnEmptyListOrSearchSaysWhatToDo) {
  EXPECT_TRUE(Says(NothingListedText(false), "No entries yet"));
  EXPECT_TRUE(Says(NothingListedText(false), "`attune steps`"));
  EXPECT_TRUE(Says(NothingListedText(true), "Nothing from your partner yet"));
  EXPECT_TRUE(Says(NothingListedText(true), "`attune sync`"));
  EXPECT_EQ(NothingFoundText(), "No entries contain all of those words.");
}

}  // namespace
}  // namespace attune::cli
