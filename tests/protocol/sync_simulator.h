// A deterministic simulator of two partners syncing over a bad network, for
// sync_convergence_test. Everything random comes from one std::mt19937_64 seeded with the run's
// seed, and time is a tick counter, so a seed replays the same run exactly.
//
// Each node has a MemorySyncStore (its outgoing log and what it applied of the partner) and, apart
// from it, its private entries, whose every version carries a marker "PRIVATE-<n>;". A run
// interleaves journal changes on both sides (add private, add shared, edit, share, unshare,
// delete, respond to the partner's entry), disturbances (a copy of the database saved and later
// restored, a reinstall, a failing Apply) and network steps (sync_network.h). A session may be
// clean (delays only, in order) or faulty (drops, duplicates, reordering); connections are cut at
// random, on an engine error, and when a faulty session makes no progress. A cut discards what is
// in flight and the next session runs new engines on the same stores. After the random phase,
// clean sessions run until both sides settle. The seeds a test runs: test_common::SeedsToRun
// ("SYNC", ...), so ATTUNE_SYNC_SEED=<seed> replays one run and ATTUNE_SYNC_TRACE=1 prints its
// every event.
//
// Properties checked (the first one broken ends the run with a non-ok status):
//  - every envelope is at most kMaxEnvelopeBytes and decodes;
//  - no marker of a private version that was never shared appears in any envelope;
//  - on a clean session the engines never fail (except an injected Apply failure), never stall
//    (nothing in flight means both settled), and whenever both are settled each side holds
//    exactly the other's shared set;
//  - after the final sync each side holds exactly the other's shared set, and no store was ever
//    offered a row it had already applied.
//
// Restores. The engine recognizes a restored copy of the same epoch only when the partner's hello
// claims a seq the copy never reached. It cannot tell (no sync can, from an epoch and a seq):
//  - changes made after the restore and before that hello, which reuse seqs the partner holds;
//  - a partner cut while applying a later version of the log, whose cursor is at or below the
//    copy's last seq although it lacks rows the copy has there;
//  - a partner that later restores its own older copy, taken while it held rows of the log's
//    abandoned history.
// So a restored node here changes nothing until its engine has had the partner's hello, and it
// keeps its epoch only when the partner's state and saved copy can be reconciled with the copy
// (PartnerCanReconcile); otherwise it starts a new epoch, as docs/protocol.md says a restored
// journal must. Those gaps are the journal's to close, not the engine's.
#ifndef ATTUNE_TESTS_PROTOCOL_SYNC_SIMULATOR_H_
#define ATTUNE_TESTS_PROTOCOL_SYNC_SIMULATOR_H_

#include <cstdint>
#include <string>

#include "base/status.h"

namespace attune::protocol::sync_testing {

struct SimulationOptions {
  uint64_t seed = 1;
  uint64_t ticks = 1200;  // length of the random phase
  bool faults = true;     // whether sessions may drop, duplicate and reorder
};

// What a run exercised, so a test can tell the simulator still reaches every path.
struct SimulationStats {
  uint64_t changes = 0;
  uint64_t sessions = 0;
  uint64_t faulty_sessions = 0;
  uint64_t envelopes = 0;
  uint64_t dropped = 0;
  uint64_t duplicated = 0;
  uint64_t reordered = 0;
  uint64_t cuts = 0;
  uint64_t engine_errors = 0;
  uint64_t fragments = 0;   // records carrying a part of a long row
  uint64_t new_epochs = 0;  // second hellos: a restored log renumbered in a session
  uint64_t restores = 0;    // of the same epoch, left for the engine to reconcile
  uint64_t restores_with_new_epoch = 0;
  uint64_t reinstalls = 0;
  uint64_t settled_checks = 0;  // times both sides settled on a clean session and were compared

  SimulationStats& operator+=(const SimulationStats& other);
  std::string ToString() const;
};

struct SimulationResult {
  Status status;  // ok, or the first property broken (with the tick)
  SimulationStats stats;
};

SimulationResult RunSimulation(const SimulationOptions& options);

}  // namespace attune::protocol::sync_testing

#endif  // ATTUNE_TESTS_PROTOCOL_SYNC_SIMULATOR_H_
