// The sharing property test's run (issue 15): two partners, each with a real journal
// (passphrase-free, in a temporary home, with a ManualClock of its own), write, edit, re-compose,
// restate, take the quiz, share (confirming a preview at once, later or never, sometimes with
// quiz answers), unshare, delete and respond at random, while their journals sync through
// protocol::SyncEngine over JournalSyncStore on a simulated network (tests/protocol/
// sync_network.h): sessions clean or faulty (drops, duplicates, reordering), cut at random, and
// journals restarted between sessions. Everything random comes from one Dice seeded with the
// run's seed; no wall time, no threads: a seed replays its run exactly.
//
// Properties checked (the first one broken ends the run; the message names the seed, the entry,
// what was expected and found, and the operations so far):
//  1. Whenever a clean session settles, and after a final clean sync: for every entry of either
//     author that is shared, the partner's node holds it, and its view (EntryToJson less author
//     and visibility) equals the view of the preview its author last confirmed, string for
//     string; of every entry that is not shared (private, withdrawn, deleted) it holds nothing.
//  2. At the moment each envelope leaves its node, every marker in it (sharing_model.h) is in a
//     version its author confirmed and still shares, and every row in it is exactly that
//     version (a style result's quiz answers only if confirmed --with-answers), or a withdrawal
//     of an entry not shared.
//  3. Every journal call does what its author asked, and every preview shows the entry as
//     written (sharing_author.h); after the final sync, the author's node has every row
//     acknowledged, and shows as waiting for confirmation exactly the entries changed since.
#ifndef ATTUNE_TESTS_NODE_SHARING_SIMULATION_H_
#define ATTUNE_TESTS_NODE_SHARING_SIMULATION_H_

#include <cstdint>
#include <string>

#include "base/status.h"
#include "tests/node/exercise_play.h"
#include "tests/node/sharing_author.h"
#include "tests/protocol/sync_network.h"

namespace attune::node::testing {

struct SharingOptions {
  uint64_t seed = 1;
  uint64_t ticks = 300;  // length of the random phase
  // Also pair the journals and play shared exercises beside the sharing (exercise_play.h), with
  // its properties checked too. Without, the run is as it was before exercises existed.
  bool exercises = false;
};

struct SharingStats {
  OpCounts ops;
  protocol::sync_testing::NetworkStats network;
  uint64_t settled_checks = 0;  // clean sessions settled, and both sides compared
  uint64_t rows_checked = 0;    // rows compared with their confirmed version as they crossed
  uint64_t withdrawals_checked = 0;
  ExerciseCounts exercises;

  SharingStats& operator+=(const SharingStats& other);
  // One line: every count of the run.
  std::string ToString() const;
};

struct SharingResult {
  Status status;  // ok, or "seed N: ..." naming the first property broken
  SharingStats stats;
};

SharingResult RunSharingSimulation(const SharingOptions& options);

}  // namespace attune::node::testing

#endif  // ATTUNE_TESTS_NODE_SHARING_SIMULATION_H_
