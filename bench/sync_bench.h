// The sync scenarios of issue 5: a first sync of N shared entries into an empty partner home,
// its in-process baseline (the same rows sealed and inserted in one transaction), and
// incremental syncs of one edit on top of N already synced.
#ifndef ATTUNE_BENCH_SYNC_BENCH_H_
#define ATTUNE_BENCH_SYNC_BENCH_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "bench/homes.h"
#include "node/entry.h"

namespace attune::bench {

// What one `attune sync --json` reported, plus the process as the driver saw it.
struct SyncRun {
  double seconds = 0;  // the sync's own figure: connect to goodbye, no start-up, no unlock
  uint64_t received = 0;
  uint64_t bytes_sent = 0;      // by the syncing node, handshake included
  uint64_t bytes_received = 0;  // by the syncing node
  double process_seconds = 0;   // the whole process, start-up and all, for context
  long sync_rss_kib = 0;        // peak memory of the syncing node
};

struct FirstSync {
  SyncRun run;
  long serve_rss_kib = 0;  // peak memory of the serving node up to the end of the sync
};

// Serves couple.alex (already filled with `expected` shared entries) and syncs couple.sam from
// it once. kInternal unless exactly `expected` entries arrive.
Result<FirstSync> MeasureFirstSync(const Scratch& scratch, const Couple& couple, uint64_t expected);

// The same first sync with couple.sam reaching couple.alex's serve through a relay on 127.0.0.1
// that holds every byte for rtt / 2 each way (bench/delay_relay.py): what distance costs.
Result<FirstSync> MeasureFirstSyncOverRoundTrip(const Scratch& scratch, const Couple& couple,
                                                uint64_t expected, std::chrono::milliseconds rtt);

// The floor under any sync into SQLite: a fresh database at `path` (same schema and pragmas),
// `entries` sealed under a random data key and inserted as the partner's, in one transaction.
// Returns the seconds of the transaction (seal, insert, commit) alone.
Result<double> MeasureBaselineInsert(const std::vector<node::Entry>& entries,
                                     const std::string& path);

// With couple.alex serving, `edit_ids.size()` times: edits one of them (about 1 KiB of new
// text) with `attune edit` and syncs couple.sam, which must receive exactly that entry.
Result<std::vector<SyncRun>> MeasureIncrementalSyncs(const Scratch& scratch, const Couple& couple,
                                                     const std::vector<std::string>& edit_ids);

}  // namespace attune::bench

#endif  // ATTUNE_BENCH_SYNC_BENCH_H_
