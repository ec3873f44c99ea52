// The readable backup's layout and wording: each entry under its own step, notes last, and the
// warning that the file is not encrypted.
#include "cli/markdown_export.h"

#include <gtest/gtest.h>

#include <string>

#include "steps/steps_guide.h"

namespace attune::cli {
namespace {

constexpr node::Timestamp kWritten = {1767225600123, 60};

node::Entry EntryOf(std::string kind, int step, std::string text) {
  node::Entry entry;
  entry.id = std::string(32, 'a');
  entry.kind = std::move(kind);
  entry.step = step;
  entry.text = std::move(text);
  entry.created = kWritten;
  entry.updated = kWritten;
  return entry;
}

node::JournalExport Robins() {
  node::JournalExport exported{"Robin", kWritten, {}};
  exported.entries.push_back(EntryOf("wound", 5, "not being chosen"));
  node::Entry origin = EntryOf("origin", 6, "the move at seven");
  origin.tags = {"childhood", "moves"};
  origin.fields = {{"age", 7}};
  exported.entries.push_back(origin);
  exported.entries.push_back(EntryOf("note", 0, "edited later, and now"));
  return exported;
}

TEST(MarkdownExportTest, EachEntrySitsUnderItsStepAndTheWarningComesFirst) {
  const std::string markdown = MarkdownExport(Robins());
  EXPECT_EQ(markdown.rfind("# Robin's attune journal\n\nExported " + node::FormatRfc3339(kWritten) +
                               ". This file is not encrypted: keep it somewhere only you can "
                               "reach.\n",
                           0),
            0u)
      << markdown;
  for (const steps::StepGuide& step : steps::AllSteps()) {
    const std::string heading =
        "## Step " + std::to_string(step.number) + ": " + std::string(step.title) + "\n";
    EXPECT_NE(markdown.find(heading), std::string::npos) << heading;
  }
  const size_t step5 = markdown.find("## Step 5: ");
  const size_t step6 = markdown.find("## Step 6: ");
  const size_t step7 = markdown.find("## Step 7: ");
  const size_t notes = markdown.find("## Notes");
  const size_t wound = markdown.find("not being chosen");
  const size_t origin = markdown.find("the move at seven");
  const size_t note = markdown.find("edited later, and now");
  ASSERT_NE(notes, std::string::npos);
  EXPECT_TRUE(step5 < wound && wound < step6) << markdown;
  EXPECT_TRUE(step6 < origin && origin < step7) << markdown;
  EXPECT_LT(notes, note);
  EXPECT_NE(markdown.find("### origin · " + node::FormatRfc3339(kWritten)), std::string::npos);
  EXPECT_NE(markdown.find("Tags: #childhood #moves\n"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("Details: `{\"age\":7}`"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("<sub>id " + std::string(32, 'a') + "</sub>"), std::string::npos);
}

TEST(MarkdownExportTest, AnEmptyJournalStillHasEveryHeading) {
  const std::string markdown = MarkdownExport({"Sam", kWritten, {}});
  EXPECT_EQ(markdown.rfind("# Sam's attune journal\n", 0), 0u) << markdown;
  EXPECT_NE(markdown.find("## Step 9: "), std::string::npos);
  EXPECT_TRUE(markdown.ends_with("## Notes\n\n")) << markdown;
}

}  // namespace
}  // namespace attune::cli
