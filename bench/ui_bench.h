// The browser page's figures (issue 18): how long `attune ui` takes to answer the journal's
// list of 10,000 entries (all of them, and the newest 200 the page draws first), and how long a
// headless Chromium takes from opening the page to having that list on screen, both beside
// `list_10k_ms` (the same list on a terminal).
#ifndef ATTUNE_BENCH_UI_BENCH_H_
#define ATTUNE_BENCH_UI_BENCH_H_

#include <string>

#include "base/status.h"
#include "bench/homes.h"

namespace attune::bench {

struct UiFigures {
  double api_list_ms = 0;      // GET /api/entries, request to last byte, median
  double api_page_ms = 0;      // GET /api/entries?limit=200, what the page asks first, median
  double first_render_ms = 0;  // navigation start to the list rendered, median
};

// Runs `attune ui` on `home` and measures both, median of `runs` each. kNotFound when Debian's
// chromium, chromium-driver or python3-selenium are missing (the figures are then left out).
Result<UiFigures> MeasureUi(const Scratch& scratch, const std::string& home, int runs);

}  // namespace attune::bench

#endif  // ATTUNE_BENCH_UI_BENCH_H_
