// The progress bar, driven by a manual clock: when it draws, how often, what it shows, and that
// it leaves nothing behind.
#include "cli/progress.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

namespace attune::cli {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

class ProgressTest : public ::testing::Test {
 protected:
  ProgressBar::Now Clock() {
    return [this] { return now_; };
  }
  size_t Draws() const {
    const std::string text = out_.str();
    return static_cast<size_t>(std::count(text.begin(), text.end(), '['));
  }

  steady_clock::time_point now_{};
  std::ostringstream out_;
};

TEST_F(ProgressTest, RedrawsAtMostTenTimesASecond) {
  ProgressBar bar("Importing", "entries", out_, /*enabled=*/true, 80, Clock());
  for (uint64_t done = 0; done <= 2000; ++done) {
    bar.Update(done, 2000);
    if (done % 100 == 0) now_ += milliseconds(50);  // 2000 items in one simulated second
  }
  EXPECT_EQ(Draws(), 11u) << "the first drawing, then one per 100 ms";
  EXPECT_NE(out_.str().find("Importing ["), std::string::npos);
  EXPECT_NE(out_.str().find("of 2000 entries"), std::string::npos);
}

TEST_F(ProgressTest, NothingForSmallWorkOrWhenDisabled) {
  {
    ProgressBar small("Importing", "entries", out_, true, 80, Clock());
    small.Update(0, kProgressMinItems - 1);
  }
  {
    ProgressBar off("Importing", "entries", out_, /*enabled=*/false, 80, Clock());
    off.Update(0, 5000);
  }
  EXPECT_EQ(out_.str(), "");
}

TEST_F(ProgressTest, ErasesItselfAndStaysNarrowerThanTheTerminal) {
  for (const int width : {20, 40, 80, 200}) {
    out_.str("");
    {
      ProgressBar bar("Exporting", "entries", out_, true, width, Clock());
      bar.Update(1234, 5000);
    }
    const std::string text = out_.str();
    ASSERT_FALSE(text.empty());
    const size_t line_end = text.find('\r', 1);
    ASSERT_NE(line_end, std::string::npos);
    EXPECT_LT(line_end - 1, static_cast<size_t>(width)) << text;
    EXPECT_EQ(text.substr(line_end), "\r" + std::string(line_end - 1, ' ') + "\r")
        << "the end blanks the line and returns to its start";
  }
}

TEST_F(ProgressTest, TheCallbackDrivesTheBar) {
  ProgressBar bar("Importing", "entries", out_, true, 80, Clock());
  node::ProgressCallback callback = bar.Callback();
  callback(0, 3000);
  EXPECT_NE(out_.str().find("0 of 3000 entries"), std::string::npos);
}

}  // namespace
}  // namespace attune::cli
