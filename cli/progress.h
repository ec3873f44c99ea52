// A progress bar for long work (export and import of thousands of entries, a first sync): one
// line on standard error, redrawn in place, only when standard error is a terminal. It shows
// counts and nothing else (never entry text), redraws at most ten times a second, and erases
// itself when the work ends, so what remains on the screen is the command's own output.
//
// Not thread-safe: Update() is called from the thread doing the work (node::ProgressCallback).
#ifndef ATTUNE_CLI_PROGRESS_H_
#define ATTUNE_CLI_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "node/progress.h"

namespace attune::cli {

// Below this many items the work ends before a bar could say anything useful.
inline constexpr uint64_t kProgressMinItems = 1000;
inline constexpr std::chrono::milliseconds kProgressRedrawInterval{100};

class ProgressBar {
 public:
  using Now = std::function<std::chrono::steady_clock::time_point()>;

  // Draws on `out` when `enabled`; with `enabled` false every call does nothing. `noun` names
  // the items ("entries"); `width` is the terminal's (the line stays shorter than it).
  ProgressBar(std::string label, std::string noun, std::ostream& out, bool enabled, int width,
              Now now = std::chrono::steady_clock::now);
  // For standard error: enabled when it is a terminal.
  ProgressBar(std::string label, std::string noun);
  ~ProgressBar();  // erases the bar
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Draws `done` of `total` if `total` reaches kProgressMinItems and the last drawing is at
  // least kProgressRedrawInterval old (the first one is drawn at once).
  void Update(uint64_t done, uint64_t total);
  // Erases the bar if it is shown; a later Update() draws it again.
  void Clear();
  // A callback for node functions that calls Update(). It refers to this bar: do not call it
  // after the bar is gone.
  node::ProgressCallback Callback();

 private:
  std::string Render(uint64_t done, uint64_t total) const;

  std::string label_, noun_;
  std::ostream& out_;
  bool enabled_;
  int width_;
  Now now_;
  std::optional<std::chrono::steady_clock::time_point> last_drawn_;
  size_t shown_chars_ = 0;  // how wide the line on screen is, 0 when nothing is shown
};

}  // namespace attune::cli

#endif  // ATTUNE_CLI_PROGRESS_H_
