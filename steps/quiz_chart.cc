// RenderChart, declared in steps/quiz.h; kept apart from scoring so each file
// stays about one thing.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "steps/quiz.h"

namespace attune::steps {
namespace {

constexpr int kMinWidth = 21;  // fits "secure" + "dismissive" on one row
constexpr int kMaxWidth = 101;
constexpr int kMinHeight = 9;
constexpr int kMaxHeight = 51;
constexpr char kOverlapMarker = '#';
constexpr std::string_view kHighLabel = " high ";
constexpr std::string_view kLowLabel = "  low ";
constexpr std::string_view kBlankLabel = "      ";

// Odd sizes put a cell exactly on score 4, so the midlines split the plot evenly.
int PlotSize(int requested, int lo, int hi) {
  int size = std::clamp(requested, lo, hi);
  return size % 2 == 0 ? size + 1 : size;
}

double PlotScore(double score) {
  if (!std::isfinite(score)) return 4.0;
  return std::clamp(score, 1.0, 7.0);
}

bool IsPrintableAscii(char c) {
  return c >= 0x20 && c <= 0x7e;
}

// Labels may come from synced partner data: anything but printable ASCII could
// be a terminal escape sequence, so it never reaches the output as is.
std::string SafeLabel(std::string_view label) {
  std::string out(label);
  for (char& c : out) {
    if (!IsPrintableAscii(c)) c = '?';
  }
  return out;
}

char SafeMarker(char marker) {
  return (IsPrintableAscii(marker) && marker != ' ') ? marker : '?';
}

class Plot {
 public:
  Plot(int width, int height)
      : width_(width),
        height_(height),
        cells_(height, std::string(width, ' ')),
        has_point_(static_cast<size_t>(width) * height, false) {
    DrawMidlines();
    Put(0, 0, "anxious");
    Put(0, width_ - 7, "fearful");
    Put(height_ - 1, 0, "secure");
    Put(height_ - 1, width_ - 10, "dismissive");
  }

  // Returns true if the cell already held another point.
  bool Mark(double anxiety, double avoidance, char marker) {
    const double x = (PlotScore(avoidance) - 1.0) / 6.0;
    const double y = (PlotScore(anxiety) - 1.0) / 6.0;
    const int col = static_cast<int>(std::lround(x * (width_ - 1)));
    const int row = static_cast<int>(std::lround((1.0 - y) * (height_ - 1)));
    const size_t index = static_cast<size_t>(row) * width_ + col;
    const bool overlap = has_point_[index];
    has_point_[index] = true;
    cells_[row][col] = overlap ? kOverlapMarker : marker;
    return overlap;
  }

  std::string Render() const {
    const std::string border = std::string(kBlankLabel) + "+" + std::string(width_, '-') + "+\n";
    std::string out = std::string(kBlankLabel) + "^ anxiety\n" + border;
    for (int row = 0; row < height_; ++row) {
      std::string_view side = row == 0 ? kHighLabel : row == height_ - 1 ? kLowLabel : kBlankLabel;
      out += std::string(side) + "|" + cells_[row] + "|\n";
    }
    out += border;
    std::string axis(width_, ' ');
    axis.replace(0, 3, "low");
    constexpr std::string_view kAxisName = "avoidance ->";
    axis.replace((width_ - kAxisName.size()) / 2, kAxisName.size(), kAxisName);
    axis.replace(width_ - 4, 4, "high");
    out += std::string(kBlankLabel) + " " + axis + "\n";
    return out;
  }

 private:
  void DrawMidlines() {
    const int mid_row = (height_ - 1) / 2;
    const int mid_col = (width_ - 1) / 2;
    for (int col = 0; col < width_; ++col) cells_[mid_row][col] = '-';
    for (int row = 0; row < height_; ++row) cells_[row][mid_col] = '|';
    cells_[mid_row][mid_col] = '+';
  }

  void Put(int row, int col, std::string_view text) { cells_[row].replace(col, text.size(), text); }

  int width_;
  int height_;
  std::vector<std::string> cells_;
  std::vector<bool> has_point_;
};

}  // namespace

std::string RenderChart(const std::vector<ChartPoint>& points, int width, int height) {
  Plot plot(PlotSize(width, kMinWidth, kMaxWidth), PlotSize(height, kMinHeight, kMaxHeight));
  bool any_overlap = false;
  std::string legend;
  for (const ChartPoint& point : points) {
    const char marker = SafeMarker(point.marker);
    any_overlap |= plot.Mark(point.anxiety, point.avoidance, marker);
    if (!legend.empty()) legend += "   ";
    legend += std::string(1, marker) + " " + SafeLabel(point.label);
  }
  if (any_overlap) legend += std::string("   ") + kOverlapMarker + " more than one of these";
  if (legend.empty()) legend = "(no scores to show yet)";
  return plot.Render() + std::string(kBlankLabel) + legend + "\n";
}

}  // namespace attune::steps
