// Text laid out for a terminal: widths in characters, wrapping, and commands kept copyable.
#include "cli/layout.h"

#include <gtest/gtest.h>

namespace attune::cli {
namespace {

TEST(LayoutTest, WidthCountsCharactersNotBytes) {
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("réparer…"), 8u);
  EXPECT_EQ(PadRight("né", 4), "né  ");
  EXPECT_EQ(PadRight("longer", 3), "longer");
  EXPECT_EQ(Shorten("réparer", 4), "rép…");
  EXPECT_EQ(Shorten("ok", 4), "ok");
}

TEST(LayoutTest, WrapBreaksAtSpacesAndCutsOnlyWordsLongerThanALine) {
  EXPECT_EQ(Wrap("one two three four", 9), (std::vector<std::string>{"one two", "three", "four"}));
  EXPECT_EQ(Wrap("abcdefghij", 4), (std::vector<std::string>{"abcd", "efgh", "ij"}));
  EXPECT_EQ(Wrap("", 10), (std::vector<std::string>{""}));
  for (const std::string& line : Wrap("é é é é é é é é é é é é", 5)) {
    EXPECT_LE(DisplayWidth(line), 5u) << line;
  }
}

TEST(LayoutTest, ParagraphIndentsAndKeepsToTheWidth) {
  const std::string text = "a b c d e f g h i j k l m n o p q r s t u v w x y z";
  const std::string out = Paragraph(text, 20, "  - ", "    ");
  EXPECT_EQ(out.rfind("  - ", 0), 0u);
  size_t start = 0;
  while (start < out.size()) {
    const size_t end = out.find('\n', start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - start, 20u) << out;
    start = end + 1;
  }
}

TEST(LayoutTest, CommandsAreBrokenBetweenWordsWithAContinuation) {
  const std::vector<std::string> lines = WrapCommand(
      "attune statement --feel \"a feeling\" --when \"a moment\" --need \"what helps\"", 40);
  ASSERT_GT(lines.size(), 1u);
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_LE(DisplayWidth(lines[i]), 40u) << lines[i];
    if (i + 1 < lines.size()) {
      EXPECT_EQ(lines[i].substr(lines[i].size() - 2), " \\");
    }
    if (i > 0) {
      EXPECT_EQ(lines[i].rfind("  ", 0), 0u);
    }
  }
  std::string joined;
  for (const std::string& line : lines) joined += line + "\n";
  EXPECT_NE(joined.find("\"a feeling\""), std::string::npos) << "a quoted word stays whole";
  EXPECT_EQ(WrapCommand("attune quiz", 40), (std::vector<std::string>{"attune quiz"}));
}

}  // namespace
}  // namespace attune::cli
