#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "steps/quiz.h"

namespace attune::steps {
namespace {

// The chart split into lines, with the plot area located by its frame.
struct Chart {
  std::vector<std::string> lines;
  size_t top = 0;   // index of the first line inside the frame
  size_t left = 0;  // column of the first plot cell
  size_t width = 0;
  size_t height = 0;

  char At(size_t row, size_t col) const { return lines[top + row][left + col]; }
};

// The frame's top and bottom lines are the only ones with "+-" and no '|'
// (the horizontal midline sits between '|' edges).
bool IsBorder(const std::string& line) {
  return line.find("+-") != std::string::npos && line.find('|') == std::string::npos;
}

Chart Parse(const std::string& text) {
  Chart chart;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) chart.lines.push_back(line);
  size_t border = 0;
  while (border < chart.lines.size() && !IsBorder(chart.lines[border])) ++border;
  const std::string& frame = chart.lines.at(border);
  chart.top = border + 1;
  chart.left = frame.find('+') + 1;
  chart.width = frame.rfind('+') - chart.left;
  size_t bottom = chart.top;
  while (!IsBorder(chart.lines.at(bottom))) ++bottom;
  chart.height = bottom - chart.top;
  return chart;
}

TEST(RenderChartTest, MarkersLandInTheirCorners) {
  const std::vector<ChartPoint> points = {{7.0, 1.0, '*', "me"}, {1.0, 7.0, 'o', "partner"}};
  Chart chart = Parse(RenderChart(points, 21, 9));
  ASSERT_EQ(chart.width, 21u);
  ASSERT_EQ(chart.height, 9u);
  EXPECT_EQ(chart.At(0, 0), '*');                               // high anxiety, low avoidance
  EXPECT_EQ(chart.At(chart.height - 1, chart.width - 1), 'o');  // low anxiety, high avoidance
  EXPECT_NE(chart.lines.back().find("* me"), std::string::npos);
  EXPECT_NE(chart.lines.back().find("o partner"), std::string::npos);
}

TEST(RenderChartTest, OtherCornersAndCentre) {
  const std::vector<ChartPoint> points = {
      {1.0, 1.0, 's', "a"}, {7.0, 7.0, 'f', "b"}, {4.0, 4.0, 'm', "c"}};
  Chart chart = Parse(RenderChart(points, 31, 11));
  EXPECT_EQ(chart.At(chart.height - 1, 0), 's');
  EXPECT_EQ(chart.At(0, chart.width - 1), 'f');
  EXPECT_EQ(chart.At(chart.height / 2, chart.width / 2), 'm');
}

TEST(RenderChartTest, LabelsQuadrantsAndAxes) {
  const std::string text = RenderChart({}, 21, 9);
  for (const char* label :
       {"anxious", "fearful", "secure", "dismissive", "anxiety", "avoidance", "high", "low"}) {
    EXPECT_NE(text.find(label), std::string::npos) << label;
  }
  EXPECT_NE(text.find("(no scores to show yet)"), std::string::npos);
  Chart chart = Parse(text);
  EXPECT_EQ(chart.At(chart.height / 2, chart.width / 2), '+');  // midlines cross at 4,4
  EXPECT_EQ(chart.At(0, chart.width / 2), '|');
  EXPECT_EQ(chart.At(chart.height / 2, 1), '-');
}

TEST(RenderChartTest, SizesAreClampedAndOdd) {
  Chart small = Parse(RenderChart({}, 1, 1));
  EXPECT_EQ(small.width, 21u);
  EXPECT_EQ(small.height, 9u);
  Chart even = Parse(RenderChart({}, 30, 12));
  EXPECT_EQ(even.width, 31u);
  EXPECT_EQ(even.height, 13u);
}

TEST(RenderChartTest, OverlapShowsHashAndExplainsIt) {
  const std::vector<ChartPoint> points = {{5.0, 2.0, '*', "me"}, {5.0, 2.0, 'o', "partner"}};
  const std::string text = RenderChart(points, 21, 9);
  Chart chart = Parse(text);
  size_t hashes = 0;
  for (size_t row = 0; row < chart.height; ++row) {
    for (size_t col = 0; col < chart.width; ++col) hashes += chart.At(row, col) == '#';
  }
  EXPECT_EQ(hashes, 1u);
  EXPECT_NE(chart.lines.back().find("# more than one"), std::string::npos);
}

TEST(RenderChartTest, AsciiOnlyAndDeterministic) {
  const std::vector<ChartPoint> points = {{2.5, 6.1, '\x1b', "\x1b[31mJos\xC3\xA9"},
                                          {NAN, 4.0, 'o', "partner"}};
  const std::string text = RenderChart(points, 25, 9);
  EXPECT_EQ(text, RenderChart(points, 25, 9));
  for (char c : text) {
    EXPECT_TRUE(c == '\n' || (c >= 0x20 && c <= 0x7e)) << static_cast<int>(c);
  }
  EXPECT_NE(text.find("? ?[31mJos??"), std::string::npos);
  Chart chart = Parse(text);
  EXPECT_EQ(chart.At(chart.height / 2, chart.width / 2), 'o');  // non-finite drawn at 4
}

}  // namespace
}  // namespace attune::steps
