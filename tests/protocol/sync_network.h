// A simulated network between two sync engines, for the randomized sync tests: the protocol's
// (sync_simulator.h, over in-memory stores) and the journal's (tests/node/sharing_simulation.h,
// over two real journals). Deterministic: every choice comes from the caller's Dice and time is
// the caller's tick counter, so a seed replays a run exactly.
//
// A session joins two new SyncEngines over the caller's stores, each deferring its applies or not
// at random (as node/ runs them). It is clean (every envelope arrives 1..kMaxDelayTicks ticks
// after it was sent, in order) or faulty (an envelope may also be dropped, duplicated, or overtake
// those sent before it). Every envelope is encoded as it is sent, checked against the protocol's
// limits (at most kMaxEnvelopeBytes; at most the engine's window of batches unacknowledged), shown
// to the observer, and decoded on delivery. A deferring engine is flushed once nothing more for it
// is due, as node/ flushes when its socket has nothing more waiting. A cut discards the engines
// and what is in flight; the caller connects again, from reconnect_at() on.
//
// A session may also carry a second exchange beside sync (SideExchange: the shared exercises, as
// node/ carries them): its messages go through the same faults and the same observer.
//
// Not thread-safe. No gtest dependency.
#ifndef ATTUNE_TESTS_PROTOCOL_SYNC_NETWORK_H_
#define ATTUNE_TESTS_PROTOCOL_SYNC_NETWORK_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "protocol/messages.h"
#include "protocol/sync.h"
#include "tests/common/random_runs.h"

namespace attune::protocol::sync_testing {

// What the network tells the run that drives it.
class NetworkObserver {
 public:
  virtual ~NetworkObserver() = default;
  // An envelope as node `from` sends it, before the network may lose it: the moment its bytes
  // leave the node. An error ends the run.
  virtual Status OnSend(size_t from, const Message& message, const Bytes& envelope) = 0;
  // A message node `to`'s engine has just handled without error.
  virtual void OnReceived(size_t to, const Message& message) {
    (void)to;
    (void)message;
  }
  // Whether an engine error is one the run expects; the session is then cut, else the run ends.
  // By default only a faulty session's kProtocolError (a message lost, repeated or reordered).
  virtual bool Expected(const Status& error, bool faulty) const {
    return faulty && error.code() == StatusCode::kProtocolError;
  }
};

// A second exchange a session carries beside sync (node/ carries the shared exercises so): the
// network hands it the messages it Carries() instead of the engines, and sends what it answers.
class SideExchange {
 public:
  virtual ~SideExchange() = default;
  virtual bool Carries(const Message& message) const = 0;
  // A session opened: what node `node` sends after its hello.
  virtual Result<std::vector<Message>> Opened(size_t node) = 0;
  // Node `to` handles `message`: what it sends back. An error cuts the session or ends the run,
  // as an engine's error does.
  virtual Result<std::vector<Message>> Receive(size_t to, const Message& message) = 0;
};

struct NetworkStats {
  uint64_t sessions = 0;
  uint64_t faulty_sessions = 0;
  uint64_t envelopes = 0;
  uint64_t dropped = 0;
  uint64_t duplicated = 0;
  uint64_t reordered = 0;
  uint64_t cuts = 0;
  uint64_t engine_errors = 0;
  uint64_t fragments = 0;   // records carrying a part of a long row
  uint64_t new_epochs = 0;  // second hellos: a log renumbered in a session

  NetworkStats& operator+=(const NetworkStats& other);
  // "sessions=3 faulty_sessions=1 ...".
  std::string ToString() const;
};

// "hello epoch=1a2b your=- applied=3", "batch 2 epoch=... after=4 seqs 5 6x", for traces.
std::string DescribeMessage(const Message& message);

class SyncNetwork {
 public:
  // A faulty session with nothing in flight and not settled lost a message: cut it after this.
  static constexpr uint64_t kStallTicks = 20;
  static constexpr uint64_t kMaxDelayTicks = 4;

  // `dice`, `observer` and `side` (if any) must outlive the network. With `trace`, every event
  // is printed to stderr, prefixed with its tick.
  SyncNetwork(test_common::Dice& dice, NetworkObserver& observer, bool trace,
              SideExchange* side = nullptr)
      : dice_(dice), observer_(observer), trace_(trace), side_(side) {}

  // Opens a session over stores[0] (node "A") and stores[1] ("B"): faulty at random if
  // `may_fault`. Both engines start and their hellos are sent.
  Status Connect(uint64_t now, const std::array<SyncStore*, 2>& stores, bool may_fault);
  // Closes the session; the caller may connect again from reconnect_at().
  void Cut(uint64_t now);
  // Delivers every envelope due by `now`, and sends what the engines answer. An engine error the
  // observer expects cuts the session; any other ends the run.
  Status DeliverDue(uint64_t now);
  // Sends what the engines queued since (after the caller called one, e.g. LocalChanged).
  Status Collect(uint64_t now);
  // Sends what node `from`'s side exchange has to say (after the caller changed its state).
  // Precondition: connected().
  Status SendSide(uint64_t now, size_t from, const std::vector<Message>& messages);
  // Whether the session is up with nothing in flight and both engines settled. A clean session
  // with nothing in flight that is not settled has stalled: an error. A faulty one that made no
  // progress for kStallTicks lost a message: it is cut.
  Result<bool> Quiescent(uint64_t now);

  bool connected() const { return connected_; }
  bool faulty() const { return faulty_; }
  uint64_t reconnect_at() const { return reconnect_at_; }
  // Precondition: connected().
  SyncEngine& engine(size_t node) { return *ends_[node].engine; }
  // Messages delivered so far, in every session: the stores may have changed when this moves.
  uint64_t deliveries() const { return deliveries_; }
  const NetworkStats& stats() const { return stats_; }

 private:
  struct Packet {
    uint64_t deliver_at = 0;
    uint64_t order = 0;  // send order, to break ties
    size_t to = 0;
    Bytes envelope;
  };
  struct End {
    std::unique_ptr<SyncEngine> engine;
    uint64_t hellos_sent = 0;    // this session
    uint64_t batches_sent = 0;   // this session
    uint64_t batches_acked = 0;  // the highest batch number an ack delivered to it named
  };

  Status Send(uint64_t now, size_t from, const Message& message);
  void Enqueue(uint64_t now, size_t to, const Bytes& envelope);
  bool PacketDueFor(uint64_t now, size_t node) const;
  Status Deliver(uint64_t now, const Packet& packet);
  Status Handle(size_t to, const Message& message, std::vector<Message>& replies);
  Status CountSent(End& sender, const Message& message);
  void CountReceived(End& receiver, const Message& message);
  Status EngineFailed(uint64_t now, const Status& error);
  bool BothSettled() const;
  void Trace(uint64_t now, const std::string& what) const;

  test_common::Dice& dice_;
  NetworkObserver& observer_;
  bool trace_;
  SideExchange* side_;
  std::array<End, 2> ends_;
  bool connected_ = false;
  bool faulty_ = false;
  uint64_t reconnect_at_ = 0;
  uint64_t last_progress_ = 0;
  uint64_t next_order_ = 0;
  uint64_t deliveries_ = 0;
  std::array<uint64_t, 2> last_deliver_at_{};
  std::vector<Packet> in_flight_;
  NetworkStats stats_;
};

}  // namespace attune::protocol::sync_testing

#endif  // ATTUNE_TESTS_PROTOCOL_SYNC_NETWORK_H_
