// The interactive scenarios of issue 5: how long a partner waits for a shared entry while both
// nodes serve, the cost of connecting (Noise handshake and one round trip), the journal
// commands a person runs on a large home, and the passphrase derivation reported apart from
// them. Every function returns raw samples or medians in milliseconds.
#ifndef ATTUNE_BENCH_LIVE_BENCH_H_
#define ATTUNE_BENCH_LIVE_BENCH_H_

#include <string>
#include <vector>

#include "base/status.h"
#include "bench/homes.h"

namespace attune::bench {

// With `serve` running in both homes: `trials` times, `attune add need ... --share` in one home
// (alternating), timed from that process's exit until the entry is readable in the other home's
// database. Waits for the live link first (an entry crossing each way), outside the samples.
// `serve_args`: how each serve runs instead (e.g. reachable through Tor alone).
Result<std::vector<double>> MeasureLiveLatency(const Scratch& scratch, const Couple& couple,
                                               int trials,
                                               const std::vector<std::string>& serve_args = {});

// With couple.alex serving: `count` runs of `attune ping --json` from couple.sam, each sample
// the ping's own connect + handshake + round trip (no process start-up).
Result<std::vector<double>> MeasureHandshakes(const Scratch& scratch, const Couple& couple,
                                              int count);

// The baseline of the handshake figure: the same Noise KK handshake and one ping round trip
// between two protocol::Sessions in this process, frames handed over in memory: what is left of
// MeasureHandshakes without the socket, the scheduling and the journal. `count` samples, in
// milliseconds.
Result<std::vector<double>> MeasureHandshakesInMemory(int count);

// The floor of any listing: the journal in `home` opened and every one of its own entries read
// and decrypted (Journal::List) in this process, start to end, median of `runs`.
Result<double> MeasureOpenAllMillis(const std::string& home, int runs);

// Wall time of each command, start to exit, median of `runs`.
struct CommandTimes {
  double list_ms = 0;
  double search_ms = 0;
  double steps_ms = 0;
};
Result<CommandTimes> MeasureCommands(const Scratch& scratch, const std::string& home, int runs);

// Argon2id at the cost `attune init` uses by default, in process, median of `runs`: what a
// passphrase-protected home adds to every command above.
Result<double> MeasureKdfMillis(int runs);

// A command that opens a passphrase-protected journal (`attune list` on a new home made by
// `attune init` at its default cost, the passphrase from ATTUNE_PASSPHRASE), start to exit,
// median of `runs`: the KDF above plus everything else unlocking takes.
Result<double> MeasureUnlockMillis(const Scratch& scratch, int runs);

}  // namespace attune::bench

#endif  // ATTUNE_BENCH_LIVE_BENCH_H_
