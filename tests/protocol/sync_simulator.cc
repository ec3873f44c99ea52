#include "tests/protocol/sync_simulator.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string_view>
#include <utility>
#include <variant>

#include "protocol/messages.h"
#include "protocol/session.h"
#include "protocol/sync.h"
#include "tests/protocol/memory_sync_store.h"

namespace attune::protocol::sync_testing {
namespace {

constexpr std::string_view kPrivateMarker = "PRIVATE-";
constexpr uint64_t kMaxDelayTicks = 4;
// A faulty session with nothing in flight and not settled lost a message: cut it after this.
constexpr uint64_t kStallTicks = 20;
constexpr uint64_t kFinalSyncTicks = 20'000;

// With ATTUNE_SYNC_TRACE set, a replayed run prints every event.
bool Tracing() {
  static const bool tracing = std::getenv("ATTUNE_SYNC_TRACE") != nullptr;
  return tracing;
}

std::string Short(const Bytes& epoch) {
  return epoch.empty() ? "-" : ToHex(ByteSpan(epoch).first(2));
}

std::string Describe(const Message& message) {
  if (const auto* hello = std::get_if<SyncHelloMessage>(&message)) {
    return "hello epoch=" + Short(hello->epoch) + " your=" + Short(hello->your_epoch) +
           " applied=" + std::to_string(hello->applied_seq);
  }
  if (const auto* batch = std::get_if<SyncBatchMessage>(&message)) {
    std::string text = "batch " + std::to_string(batch->batch_number) +
                       " epoch=" + Short(batch->epoch) +
                       " after=" + std::to_string(batch->after_seq) +
                       (batch->caught_up ? " caught_up" : "") + " seqs";
    for (const SyncRecord& record : batch->records) {
      text += " " + std::to_string(record.seq) + (record.withdrawn ? "x" : "") +
              (record.continues || record.part > 0 ? "p" + std::to_string(record.part) : "");
    }
    return text;
  }
  if (const auto* ack = std::get_if<SyncAckMessage>(&message)) {
    return "ack " + std::to_string(ack->batch_number) + " epoch=" + Short(ack->epoch) +
           " applied=" + std::to_string(ack->applied_seq);
  }
  return "other";
}

struct Packet {
  uint64_t deliver_at = 0;
  uint64_t order = 0;  // send order, to break ties
  size_t to = 0;
  Bytes envelope;
};

struct Node {
  explicit Node(uint64_t epoch_seed) : store(epoch_seed) {}

  struct Copy {
    MemorySyncStore::State state;
    EntrySet private_entries;
  };

  MemorySyncStore store;
  EntrySet private_entries;  // never in the log, so the engine never reads them
  std::unique_ptr<SyncEngine> engine;
  std::optional<Copy> saved;
  bool restored_awaiting_hello = false;
  uint64_t hellos_sent = 0;    // this session
  uint64_t batches_sent = 0;   // this session
  uint64_t batches_acked = 0;  // the highest batch number an ack delivered to it named
};

class Simulation {
 public:
  explicit Simulation(const SimulationOptions& options)
      : options_(options), random_(options.seed), nodes_{{Node(random_()), Node(random_())}} {}

  SimulationResult Run() {
    Status status = RandomPhase();
    if (status.ok()) status = FinalSync();
    if (status.ok()) status = CheckConverged();
    if (!status.ok()) status = status.WithContext("tick " + std::to_string(now_));
    return {status, stats_};
  }

 private:
  uint64_t Uniform(uint64_t low, uint64_t high) {
    return std::uniform_int_distribution<uint64_t>(low, high)(random_);
  }
  bool Chance(double probability) { return std::bernoulli_distribution(probability)(random_); }
  template <typename Container>
  typename Container::const_iterator Pick(const Container& items) {
    return std::next(items.begin(), static_cast<std::ptrdiff_t>(Uniform(0, items.size() - 1)));
  }

  Status RandomPhase() {
    ATTUNE_RETURN_IF_ERROR(Connect());
    for (now_ = 1; now_ <= options_.ticks; ++now_) {
      Node& node = nodes_[Uniform(0, 1)];
      if (Chance(0.3)) ATTUNE_RETURN_IF_ERROR(Change(node));
      if (Chance(0.01)) ATTUNE_RETURN_IF_ERROR(Disturb(node, Partner(node)));
      if (!connected_) {
        if (now_ >= reconnect_at_) ATTUNE_RETURN_IF_ERROR(Connect());
        continue;
      }
      if (Chance(0.01)) {
        Cut();
        continue;
      }
      ATTUNE_RETURN_IF_ERROR(DeliverDue());
      ATTUNE_RETURN_IF_ERROR(CheckSession());
    }
    return Status::Ok();
  }

  Status FinalSync() {
    faults_allowed_ = false;
    if (connected_) Cut();
    for (uint64_t tick = 0; tick < kFinalSyncTicks; ++tick, ++now_) {
      if (!connected_) ATTUNE_RETURN_IF_ERROR(Connect());  // again after an injected failure
      ATTUNE_RETURN_IF_ERROR(DeliverDue());
      if (connected_ && in_flight_.empty() && BothSettled()) return Status::Ok();
      ATTUNE_RETURN_IF_ERROR(CheckSession());
    }
    return Status::Internal("the final sync did not settle");
  }

  void Trace(const std::string& what) const {
    if (!Tracing()) return;
    std::fprintf(stderr, "[%llu] %s\n", static_cast<unsigned long long>(now_), what.c_str());
  }
  const Node& Partner(const Node& node) const { return nodes_[&node == &nodes_[0] ? 1 : 0]; }
  std::string Name(const Node& node) const { return &node == &nodes_[0] ? "A" : "B"; }
  void TraceLog(const Node& node, const std::string& what) const {
    if (!Tracing()) return;
    std::string rows;
    for (const auto& [id, entry] : node.store.Snapshot().log) {
      rows += " " + std::to_string(entry.seq) + (entry.withdrawn ? "x" : "") + ":" + id.substr(28);
    }
    Trace(Name(node) + " " + what + " epoch=" + Short(node.store.epoch()) + " log" + rows);
  }

  // ---- Journal changes ----

  Bytes NewContent(bool is_private) {
    const uint64_t n = next_marker_++;
    const std::string label = (is_private ? std::string(kPrivateMarker) : std::string("shared-")) +
                              std::to_string(n) + ";";
    const uint64_t kind = Uniform(0, 99);  // mostly short: long ones cost time, not paths
    const size_t drawn = kind < 97   ? Uniform(10, 300)
                         : kind < 99 ? Uniform(1000, 70'000)
                                     : Uniform(70'000, kMaxSharedEntryBytes - label.size());
    const size_t size = std::max(drawn, 2 * label.size());
    Bytes content(label.begin(), label.end());
    content.resize(size, static_cast<uint8_t>('a' + n % 26));
    if (is_private) {
      // At the end too, so a leak of a long entry's last fragment is caught.
      content.resize(content.size() - std::min(content.size(), label.size()));
      content.insert(content.end(), label.begin(), label.end());
      never_shared_.insert(n);
    }
    return content;
  }

  Status Change(Node& node) {
    if (node.restored_awaiting_hello) return Status::Ok();
    ++stats_.changes;
    changed_since_check_ = true;
    const uint64_t what = Uniform(0, 99);
    if (what < 25) {
      node.private_entries[EntryId(next_entry_++)] = NewContent(true);
      return Status::Ok();
    }
    ATTUNE_RETURN_IF_ERROR(ChangeTheLog(node, what));
    TraceLog(node, "changed " + std::to_string(what));
    if (!connected_) return Status::Ok();
    // As node/ does after every change while a session is up.
    ATTUNE_RETURN_IF_ERROR(node.engine->LocalChanged());
    return Collect();
  }

  Status ChangeTheLog(Node& node, uint64_t what) {
    if (what < 50) return node.store.Share(EntryId(next_entry_++), NewContent(false));
    if (what < 65) return Edit(node);
    if (what < 75) return ShareAPrivateEntry(node);
    if (what < 85) return Unshare(node);
    if (what < 95) return Delete(node);
    return Respond(node);
  }

  static std::vector<std::string> SharedIds(const Node& node) {
    std::vector<std::string> ids;
    for (const auto& [id, row] : node.store.log()) {
      if (!row.withdrawn) ids.push_back(id);
    }
    return ids;
  }

  Status Edit(Node& node) {
    const std::vector<std::string> shared = SharedIds(node);
    if (Chance(0.5) && !node.private_entries.empty()) {
      node.private_entries[Pick(node.private_entries)->first] = NewContent(true);
      return Status::Ok();
    }
    if (shared.empty()) return Status::Ok();
    return node.store.Share(*Pick(shared), NewContent(false));
  }

  Status ShareAPrivateEntry(Node& node) {
    if (node.private_entries.empty()) return Status::Ok();
    auto entry = Pick(node.private_entries);
    AllowMarkersOf(entry->second);
    ATTUNE_RETURN_IF_ERROR(node.store.Share(entry->first, entry->second));
    node.private_entries.erase(entry);
    return Status::Ok();
  }

  Status Unshare(Node& node) {
    const std::vector<std::string> shared = SharedIds(node);
    if (shared.empty()) return Status::Ok();
    const std::string& id = *Pick(shared);
    Bytes content = node.store.log().at(id).content;
    ATTUNE_RETURN_IF_ERROR(node.store.Withdraw(id));
    node.private_entries[id] = std::move(content);
    return Status::Ok();
  }

  Status Delete(Node& node) {
    const std::vector<std::string> shared = SharedIds(node);
    if (Chance(0.5) && !node.private_entries.empty()) {
      node.private_entries.erase(Pick(node.private_entries));
      return Status::Ok();
    }
    if (shared.empty()) return Status::Ok();
    return node.store.Withdraw(*Pick(shared));
  }

  Status Respond(Node& node) {
    if (node.store.PeerEntries().empty()) return Status::Ok();
    const std::string about = Pick(node.store.PeerEntries())->first;
    Bytes content = NewContent(false);
    const std::string reply = "re:" + about + ";";
    content.insert(content.begin(), reply.begin(), reply.end());
    content.resize(std::min(content.size(), kMaxSharedEntryBytes));
    return node.store.Share(EntryId(next_entry_++), std::move(content));
  }

  // The version now shared may cross from here on.
  void AllowMarkersOf(const Bytes& content) {
    const std::string_view text(reinterpret_cast<const char*>(content.data()), content.size());
    for (uint64_t marker : Markers(text)) never_shared_.erase(marker);
  }

  static std::vector<uint64_t> Markers(std::string_view text) {
    std::vector<uint64_t> markers;
    for (size_t at = text.find(kPrivateMarker); at != std::string_view::npos;
         at = text.find(kPrivateMarker, at + 1)) {
      size_t end = at + kPrivateMarker.size();
      uint64_t number = 0;
      while (end < text.size() && text[end] >= '0' && text[end] <= '9') {
        number = number * 10 + static_cast<uint64_t>(text[end++] - '0');
      }
      // A marker split between two fragments has no ';' and names no version.
      if (end < text.size() && text[end] == ';') markers.push_back(number);
    }
    return markers;
  }

  Status Disturb(Node& node, const Node& partner) {
    changed_since_check_ = true;
    const uint64_t what = Uniform(0, 99);
    if (what < 40) {
      node.saved = Node::Copy{node.store.Snapshot(), node.private_entries};
      TraceLog(node, "saved a copy");
    } else if (what < 65 && node.saved) {
      Restore(node, partner);
    } else if (what < 70) {
      if (connected_) Cut();
      node.store.ReinstallNewEpoch();
      node.private_entries.clear();
      node.restored_awaiting_hello = false;
      ++stats_.reinstalls;
      TraceLog(node, "reinstalled");
    } else {
      node.store.FailNextApply();
      Trace(Name(node) + " will fail its next Apply");
    }
    return Status::Ok();
  }

  void Restore(Node& node, const Node& partner) {
    if (connected_) Cut();  // the process restarts on the restored copy
    const MemorySyncStore::State& copy = node.saved->state;
    node.store.RestoreFromOlderCopy(copy);
    node.private_entries = node.saved->private_entries;
    if (PartnerCanReconcile(copy, partner)) {
      node.restored_awaiting_hello = true;
      ++stats_.restores;
      TraceLog(node, "restored the copy");
    } else {
      // Beyond what the engine can detect (see the header): the journal must renumber itself.
      (void)node.store.StartNewEpoch();
      node.restored_awaiting_hello = false;
      ++stats_.restores_with_new_epoch;
      TraceLog(node, "restored the copy under a new epoch");
    }
  }

  // Whether the partner's state, and the older copy of it the partner may restore later, each
  // belong to another epoch, or become exactly the copy's shared set once the copy's rows after
  // their cursor are applied. The current state may also be ahead of the copy: the engine sees
  // that at the next hello (no change comes first). A saved state ahead of it may not: by the
  // time it is restored, the log may have reused those seqs for other rows.
  static bool PartnerCanReconcile(const MemorySyncStore::State& copy, const Node& partner) {
    const PeerCursor& cursor = partner.store.cursor();
    const bool current = cursor.epoch != copy.epoch || cursor.applied_seq > LastSeq(copy) ||
                         Reconciles(partner.store.PeerEntries(), cursor.applied_seq, copy);
    if (!current || !partner.saved) return current;
    const MemorySyncStore::State& saved = partner.saved->state;
    return saved.cursor.epoch != copy.epoch ||
           (saved.cursor.applied_seq <= LastSeq(copy) &&
            Reconciles(saved.peer_entries, saved.cursor.applied_seq, copy));
  }

  static uint64_t LastSeq(const MemorySyncStore::State& state) {
    uint64_t last = 0;
    for (const auto& [id, row] : state.log) last = std::max(last, row.seq);
    return last;
  }

  static bool Reconciles(EntrySet held, uint64_t applied_seq, const MemorySyncStore::State& copy) {
    std::map<uint64_t, std::pair<std::string, const MemorySyncStore::LogEntry*>> after;
    for (const auto& [id, row] : copy.log) {
      if (row.seq > applied_seq) after.emplace(row.seq, std::pair(id, &row));
    }
    for (const auto& [seq, row] : after) {
      if (row.second->withdrawn) {
        held.erase(row.first);
      } else {
        held[row.first] = row.second->content;
      }
    }
    EntrySet shared;
    for (const auto& [id, row] : copy.log) {
      if (!row.withdrawn) shared.emplace(id, row.content);
    }
    return held == shared;
  }

  // ---- Network ----

  Status Connect() {
    connected_ = true;
    faulty_ = faults_allowed_ && options_.faults && Chance(0.5);
    ++stats_.sessions;
    Trace(std::string("connect") + (faulty_ ? " (faulty)" : ""));
    if (faulty_) ++stats_.faulty_sessions;
    in_flight_.clear();
    last_deliver_at_ = {0, 0};
    last_progress_ = now_;
    for (Node& node : nodes_) {
      node.engine = std::make_unique<SyncEngine>(node.store);
      // As node/ runs it half the time: batches that arrive together share one Apply.
      node.engine->SetDeferApply(Chance(0.5));
      node.hellos_sent = 0;
      node.batches_sent = 0;
      node.batches_acked = 0;
    }
    for (Node& node : nodes_) ATTUNE_RETURN_IF_ERROR(node.engine->Start());
    return Collect();
  }

  void Cut() {
    connected_ = false;
    ++stats_.cuts;
    Trace("cut");
    in_flight_.clear();
    for (Node& node : nodes_) node.engine.reset();
    reconnect_at_ = now_ + Uniform(1, 15);
  }

  bool BothSettled() const { return nodes_[0].engine->Settled() && nodes_[1].engine->Settled(); }

  Status Collect() {
    for (size_t from = 0; from < 2; ++from) {
      for (const Message& message : nodes_[from].engine->TakeOutgoing()) {
        ATTUNE_RETURN_IF_ERROR(Send(from, message));
      }
    }
    return Status::Ok();
  }

  Status Send(size_t from, const Message& message) {
    ATTUNE_ASSIGN_OR_RETURN(Bytes envelope, EncodeEnvelope(message));
    ++stats_.envelopes;
    ATTUNE_RETURN_IF_ERROR(CountSent(nodes_[from], message));
    if (envelope.size() > kMaxEnvelopeBytes) {
      return Status::Internal("an envelope of " + std::to_string(envelope.size()) + " bytes");
    }
    const std::string_view text(reinterpret_cast<const char*>(envelope.data()), envelope.size());
    for (uint64_t marker : Markers(text)) {
      if (never_shared_.contains(marker)) {
        return Status::Internal("private version PRIVATE-" + std::to_string(marker) + " crossed");
      }
    }
    const size_t to = 1 - from;
    Trace(Name(nodes_[from]) + " sends " + Describe(message));
    if (faulty_ && Chance(0.03)) {
      ++stats_.dropped;
      return Status::Ok();
    }
    Enqueue(to, envelope);
    if (faulty_ && Chance(0.03)) {
      ++stats_.duplicated;
      Enqueue(to, envelope);
    }
    return Status::Ok();
  }

  void Enqueue(size_t to, const Bytes& envelope) {
    uint64_t at = now_ + Uniform(1, kMaxDelayTicks);
    if (faulty_ && Chance(0.05)) {
      ++stats_.reordered;  // may overtake what was sent before it
    } else {
      at = std::max(at, last_deliver_at_[to]);
      last_deliver_at_[to] = at;
    }
    in_flight_.push_back(Packet{at, next_order_++, to, envelope});
  }

  bool PacketDueFor(size_t node) const {
    return std::any_of(in_flight_.begin(), in_flight_.end(), [&](const Packet& packet) {
      return packet.to == node && packet.deliver_at <= now_;
    });
  }

  Status DeliverDue() {
    while (connected_ && !in_flight_.empty()) {
      auto next = std::min_element(in_flight_.begin(), in_flight_.end(), [](auto& x, auto& y) {
        return std::pair(x.deliver_at, x.order) < std::pair(y.deliver_at, y.order);
      });
      if (next->deliver_at > now_) break;
      Packet packet = std::move(*next);
      in_flight_.erase(next);
      ATTUNE_RETURN_IF_ERROR(Deliver(packet));
    }
    return Status::Ok();
  }

  Status Deliver(const Packet& packet) {
    ATTUNE_ASSIGN_OR_RETURN(Message message, DecodeEnvelope(packet.envelope));
    Node& node = nodes_[packet.to];
    last_progress_ = now_;
    changed_since_check_ = true;
    CountReceived(node, message);
    Trace(Name(node) + " receives " + Describe(message));
    Status received = node.engine->Receive(message);
    // A deferring engine is flushed once nothing more for it is due now, as node/ flushes when
    // its socket has nothing more waiting.
    if (received.ok() && node.engine->HasUnapplied() && !PacketDueFor(packet.to)) {
      received = node.engine->Flush();
    }
    if (!received.ok()) Trace("  error: " + received.detail());
    if (!received.ok()) return EngineFailed(received);
    if (std::holds_alternative<SyncHelloMessage>(message)) node.restored_awaiting_hello = false;
    return Collect();
  }

  Status CountSent(Node& sender, const Message& message) {
    if (std::holds_alternative<SyncHelloMessage>(message) && ++sender.hellos_sent == 2) {
      ++stats_.new_epochs;
    }
    if (!std::holds_alternative<SyncBatchMessage>(message)) return Status::Ok();
    if (++sender.batches_sent - sender.batches_acked > kSyncWindowBatches) {
      return Status::Internal("more than a window of batches unacknowledged");
    }
    return Status::Ok();
  }

  void CountReceived(Node& receiver, const Message& message) {
    if (const auto* ack = std::get_if<SyncAckMessage>(&message)) {
      receiver.batches_acked = std::max(receiver.batches_acked, ack->batch_number);
    }
    if (const auto* batch = std::get_if<SyncBatchMessage>(&message)) {
      for (const SyncRecord& record : batch->records) {
        if (record.part > 0 || record.continues) ++stats_.fragments;
      }
    }
  }

  // The session closes, as node/ closes it on any engine error. Only a bad network or an
  // injected Apply failure may cause one.
  Status EngineFailed(const Status& error) {
    ++stats_.engine_errors;
    const bool injected = error.code() == StatusCode::kIoError;
    const bool network = faulty_ && error.code() == StatusCode::kProtocolError;
    if (!injected && !network) return error.WithContext("engine error on a clean session");
    Cut();
    return Status::Ok();
  }

  Status CheckSession() {
    if (!connected_ || !in_flight_.empty()) return Status::Ok();
    if (BothSettled()) {
      if (faulty_ || !changed_since_check_) return Status::Ok();
      changed_since_check_ = false;
      ++stats_.settled_checks;
      return CheckConverged().WithContext("settled on a clean session");
    }
    if (!faulty_) return Status::Internal("a clean session stalled: nothing in flight");
    if (now_ - last_progress_ > kStallTicks) Cut();
    return Status::Ok();
  }

  Status CheckConverged() const {
    for (size_t i = 0; i < 2; ++i) {
      const MemorySyncStore& receiver = nodes_[i].store;
      const MemorySyncStore& sender = nodes_[1 - i].store;
      if (receiver.stale_rows_offered() != 0) {
        return Status::Internal("node " + std::to_string(i) + " was offered a row twice");
      }
      if (!sender.SharedSetEquals(receiver.PeerEntries())) {
        return Status::Internal("node " + std::to_string(i) + " holds " +
                                std::to_string(receiver.PeerEntries().size()) +
                                " entries of its partner, who shares " +
                                std::to_string(sender.SharedSet().size()) + " (or other versions)");
      }
    }
    return Status::Ok();
  }

  SimulationOptions options_;
  std::mt19937_64 random_;
  std::array<Node, 2> nodes_;
  SimulationStats stats_;
  uint64_t now_ = 0;
  bool connected_ = false;
  bool faulty_ = false;
  bool faults_allowed_ = true;
  bool changed_since_check_ = true;  // a store changed since both sides were last compared
  uint64_t reconnect_at_ = 0;
  uint64_t last_progress_ = 0;
  uint64_t next_order_ = 0;
  std::array<uint64_t, 2> last_deliver_at_{};
  std::vector<Packet> in_flight_;
  uint64_t next_entry_ = 1;
  uint64_t next_marker_ = 1;
  std::set<uint64_t> never_shared_;  // markers of private versions that were never shared
};

}  // namespace

SimulationStats& SimulationStats::operator+=(const SimulationStats& other) {
  changes += other.changes;
  sessions += other.sessions;
  faulty_sessions += other.faulty_sessions;
  envelopes += other.envelopes;
  dropped += other.dropped;
  duplicated += other.duplicated;
  reordered += other.reordered;
  cuts += other.cuts;
  engine_errors += other.engine_errors;
  fragments += other.fragments;
  new_epochs += other.new_epochs;
  restores += other.restores;
  reinstalls += other.reinstalls;
  restores_with_new_epoch += other.restores_with_new_epoch;
  settled_checks += other.settled_checks;
  return *this;
}

std::string SimulationStats::ToString() const {
  std::string out;
  for (const auto& [name, value] : std::initializer_list<std::pair<const char*, uint64_t>>{
           {"changes", changes},
           {"sessions", sessions},
           {"faulty_sessions", faulty_sessions},
           {"envelopes", envelopes},
           {"dropped", dropped},
           {"duplicated", duplicated},
           {"reordered", reordered},
           {"cuts", cuts},
           {"engine_errors", engine_errors},
           {"fragments", fragments},
           {"new_epochs", new_epochs},
           {"restores", restores},
           {"reinstalls", reinstalls},
           {"restores_with_new_epoch", restores_with_new_epoch},
           {"settled_checks", settled_checks}}) {
    out += std::string(out.empty() ? "" : " ") + name + "=" + std::to_string(value);
  }
  return out;
}

SimulationResult RunSimulation(const SimulationOptions& options) {
  return Simulation(options).Run();
}

std::vector<uint64_t> SeedsToRun(uint64_t count) {
  if (const char* forced = std::getenv("ATTUNE_SYNC_SEED"); forced != nullptr && *forced) {
    return {std::strtoull(forced, nullptr, 10)};
  }
  if (const char* more = std::getenv("ATTUNE_SYNC_SEEDS"); more != nullptr && *more) {
    count = std::strtoull(more, nullptr, 10);
  }
  std::vector<uint64_t> seeds;
  for (uint64_t seed = 1; seed <= count; ++seed) seeds.push_back(seed);
  return seeds;
}

}  // namespace attune::protocol::sync_testing
