// Text laid out for a terminal: widths in terminal cells (wcwidth), wrapping, and commands kept
// copyable.
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

// Issue 19, bug 5: widths counted code points, so wide characters overflowed a line.
TEST(LayoutTest, WidthCountsTerminalCellsWideCharactersTwiceAndCombiningMarksNot) {
  EXPECT_EQ(DisplayWidth("愛"), 2u);          // CJK: two cells
  EXPECT_EQ(DisplayWidth("\U0001F49B"), 2u);  // an emoji (yellow heart): two cells
  EXPECT_EQ(DisplayWidth("e\u0301"), 1u);     // e and a combining acute: one cell
  EXPECT_EQ(PadRight("愛", 4), "愛  ");
  EXPECT_EQ(Shorten("愛してる", 5), "愛し…");
  for (const std::string& line : Wrap("愛してる 愛してる 愛してる 愛してる", 9)) {
    EXPECT_LE(DisplayWidth(line), 9u) << line;
  }
  // A character wider than the whole line still moves the wrap on.
  EXPECT_EQ(Wrap("愛愛", 1), (std::vector<std::string>{"愛", "愛"}));
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
