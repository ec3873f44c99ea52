// The progress bar as a terminal shows it, for the tests of long work on a terminal. Its words
// and drawing are cli's (tests/cli/progress_test.cc); these look for its shape and its counts.
#ifndef ATTUNE_TESTS_E2E_PROGRESS_BAR_H_
#define ATTUNE_TESTS_E2E_PROGRESS_BAR_H_

#include <regex>
#include <string>

namespace attune::e2e {

// Whether `shown` has a bar drawn over `total` items, as cli/progress.cc lays it out:
// "\rImporting [##---]  1200 of 2000 entries".
inline bool HasProgressBarOf(const std::string& shown, int total) {
  return std::regex_search(shown, std::regex("\\r[A-Z][a-z]+ \\[[#-]{5,}\\] +\\d+ [a-z]+ " +
                                             std::to_string(total) + " "));
}

// What `shown` has after the bar was erased (blanked, then the cursor back at the line's start);
// "" if no bar was erased.
inline std::string AfterProgressBar(const std::string& shown) {
  const size_t erased = shown.rfind(" \r");
  return erased == std::string::npos ? "" : shown.substr(erased + 2);
}

}  // namespace attune::e2e

#endif  // ATTUNE_TESTS_E2E_PROGRESS_BAR_H_
