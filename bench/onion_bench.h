// The Tor figures of issue 17, over a private Tor network on 127.0.0.1 (tests/onion's
// private_tor_network.py, started and stopped by the run), each beside the same figure on
// loopback in the same run: connecting to the partner through their onion service, a first
// sync of 1,000 entries through it, and live latency between two serves reachable only
// through Tor.
#ifndef ATTUNE_BENCH_ONION_BENCH_H_
#define ATTUNE_BENCH_ONION_BENCH_H_

#include <string>

#include "base/status.h"
#include "bench/homes.h"

namespace attune::bench {

// The private network: five directory authorities that are also the relays and HSDirs, about
// 20 s to start. Stopped (every tor gone) on destruction; its tors also exit if the bench dies.
class PrivateTorNetwork {
 public:
  // kNotFound when tor, tor-gencert or python3 is missing: the Tor figures are then left out.
  static Result<PrivateTorNetwork> Start(const Scratch& scratch);
  ~PrivateTorNetwork();
  PrivateTorNetwork(PrivateTorNetwork&& other) noexcept;
  PrivateTorNetwork& operator=(PrivateTorNetwork&&) = delete;
  PrivateTorNetwork(const PrivateTorNetwork&) = delete;
  PrivateTorNetwork& operator=(const PrivateTorNetwork&) = delete;

  std::string client_torrc() const { return dir_ + "/client.torrc"; }

 private:
  explicit PrivateTorNetwork(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;  // empty once moved from
};

struct OnionFigures {
  double connect_p50_s = 0;           // SOCKS connect to the onion until the handshake is done
  double loopback_connect_p50_s = 0;  // the same on loopback
  double first_sync_1k_s = 0;         // through Tor (the loopback one is first_sync_1k_s)
  double live_latency_p50_ms = 0;     // through Tor (the loopback one is live_latency_p50_ms)
};

// On a new couple with `entries` shared entries in Alex's home, Tor on for both.
Result<OnionFigures> MeasureOnion(Scratch& scratch, const PrivateTorNetwork& network, int entries,
                                  int connects, int live_trials);

}  // namespace attune::bench

#endif  // ATTUNE_BENCH_ONION_BENCH_H_
