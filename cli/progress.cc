#include "cli/progress.h"

#include <algorithm>
#include <iostream>

#include "cli/console.h"

namespace attune::cli {
namespace {

constexpr int kMaxBarCells = 30;
constexpr int kMinBarCells = 5;

}  // namespace

ProgressBar::ProgressBar(std::string label, std::string noun, std::ostream& out, bool enabled,
                         int width, Now now)
    : label_(std::move(label)),
      noun_(std::move(noun)),
      out_(out),
      enabled_(enabled),
      width_(width),
      now_(std::move(now)) {}

ProgressBar::ProgressBar(std::string label, std::string noun)
    : ProgressBar(std::move(label), std::move(noun), std::cerr, StderrIsTty(), TerminalWidth()) {}

ProgressBar::~ProgressBar() {
  Clear();
}

void ProgressBar::Update(uint64_t done, uint64_t total) {
  if (!enabled_ || total < kProgressMinItems) return;
  const auto now = now_();
  if (last_drawn_ && now - *last_drawn_ < kProgressRedrawInterval) return;
  last_drawn_ = now;
  const std::string line = Render(std::min(done, total), total);
  // Padding over the previous line instead of an erase sequence works on every terminal,
  // TERM=dumb included.
  const size_t pad = shown_chars_ > line.size() ? shown_chars_ - line.size() : 0;
  out_ << '\r' << line << std::string(pad, ' ') << std::flush;
  shown_chars_ = std::max(line.size(), shown_chars_);
}

void ProgressBar::Clear() {
  if (shown_chars_ == 0) return;
  out_ << '\r' << std::string(shown_chars_, ' ') << '\r' << std::flush;
  shown_chars_ = 0;
  last_drawn_.reset();
}

node::ProgressCallback ProgressBar::Callback() {
  return [this](uint64_t done, uint64_t total) { Update(done, total); };
}

// "Importing [#######-------]  1200 of 2000 entries", in ASCII so that it shows the same in
// every locale, and at least one column narrower than the terminal so it never wraps.
std::string ProgressBar::Render(uint64_t done, uint64_t total) const {
  const std::string counts =
      "  " + std::to_string(done) + " of " + std::to_string(total) + " " + noun_;
  const int fixed = static_cast<int>(label_.size() + counts.size()) + 3;  // " [" and "]"
  const int cells = std::min(kMaxBarCells, width_ - 1 - fixed);
  if (cells < kMinBarCells) return (label_ + counts).substr(0, std::max(width_ - 1, 0));
  const int filled = static_cast<int>(done * static_cast<uint64_t>(cells) / total);
  return label_ + " [" + std::string(filled, '#') + std::string(cells - filled, '-') + "]" + counts;
}

}  // namespace attune::cli
