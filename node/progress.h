// How long work tells its caller how far it has come, without printing anything itself.
#ifndef ATTUNE_NODE_PROGRESS_H_
#define ATTUNE_NODE_PROGRESS_H_

#include <cstdint>
#include <functional>

namespace attune::node {

// Called with how many items of `total` are done: once with done == 0 before the work, then
// as items complete (not necessarily after every one), and with done == total at the end. Runs
// on the caller's thread, between items; it must not call back into the object doing the work.
// An empty function means nobody is watching. It never receives entry content, only counts.
using ProgressCallback = std::function<void(uint64_t done, uint64_t total)>;

// Calls `progress` if it is set.
inline void ReportProgress(const ProgressCallback& progress, uint64_t done, uint64_t total) {
  if (progress) progress(done, total);
}

}  // namespace attune::node

#endif  // ATTUNE_NODE_PROGRESS_H_
