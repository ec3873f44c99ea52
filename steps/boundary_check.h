// Step 8: a gentle check of a boundary's phrasing, as the need statement has (statement_check.h).
// A boundary says what the person will do to take care of themselves; wording that tells the
// partner what they must do, that threatens, or that speaks in absolutes is pointed out with
// another way to say it. The check never refuses anything: the person decides.
//
// Pure functions, thread-safe, no I/O. Matching is on whole words, ignoring ASCII case.
#ifndef ATTUNE_STEPS_BOUNDARY_CHECK_H_
#define ATTUNE_STEPS_BOUNDARY_CHECK_H_

#include <string_view>
#include <vector>

#include "steps/statement_check.h"

namespace attune::steps {

// Notes in order of appearance, each phrase at most once; `part` is "boundary". An empty vector
// means nothing to point out.
std::vector<PhrasingNote> CheckBoundary(std::string_view text);

}  // namespace attune::steps

#endif  // ATTUNE_STEPS_BOUNDARY_CHECK_H_
