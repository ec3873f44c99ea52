#include "tests/protocol/sync_simulator.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <variant>

#include "protocol/messages.h"
#include "protocol/sync.h"
#include "tests/common/random_runs.h"
#include "tests/protocol/memory_sync_store.h"
#include "tests/protocol/sync_network.h"

namespace attune::protocol::sync_testing {
namespace {

constexpr std::string_view kPrivateMarker = "PRIVATE-";
constexpr uint64_t kFinalSyncTicks = 20'000;

std::string Short(const Bytes& epoch) {
  return epoch.empty() ? "-" : ToHex(ByteSpan(epoch).first(2));
}

struct Node {
  explicit Node(uint64_t epoch_seed) : store(epoch_seed) {}

  struct Copy {
    MemorySyncStore::State state;
    EntrySet private_entries;
  };

  MemorySyncStore store;
  EntrySet private_entries;  // never in the log, so the engine never reads them
  std::optional<Copy> saved;
  bool restored_awaiting_hello = false;
};

class Simulation final : public NetworkObserver {
 public:
  explicit Simulation(const SimulationOptions& options)
      : options_(options),
        random_(options.seed),
        nodes_{{Node(random_.Next()), Node(random_.Next())}},
        network_(random_, *this, Tracing()) {}

  SimulationResult Run() {
    Status status = RandomPhase();
    if (status.ok()) status = FinalSync();
    if (status.ok()) status = CheckConverged();
    if (!status.ok()) status = status.WithContext("tick " + std::to_string(now_));
    CopyNetworkStats();
    return {status, stats_};
  }

 private:
  static bool Tracing() { return test_common::TracingRuns("SYNC"); }
  uint64_t Uniform(uint64_t low, uint64_t high) { return random_.Uniform(low, high); }
  bool Chance(double probability) { return random_.Chance(probability); }
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
      if (!network_.connected()) {
        if (now_ >= network_.reconnect_at()) ATTUNE_RETURN_IF_ERROR(Connect());
        continue;
      }
      if (Chance(0.01)) {
        network_.Cut(now_);
        continue;
      }
      ATTUNE_RETURN_IF_ERROR(network_.DeliverDue(now_));
      ATTUNE_RETURN_IF_ERROR(CheckSession());
    }
    return Status::Ok();
  }

  Status FinalSync() {
    faults_allowed_ = false;
    if (network_.connected()) network_.Cut(now_);
    for (uint64_t tick = 0; tick < kFinalSyncTicks; ++tick, ++now_) {
      // Again after an injected failure.
      if (!network_.connected()) ATTUNE_RETURN_IF_ERROR(Connect());
      ATTUNE_RETURN_IF_ERROR(network_.DeliverDue(now_));
      ATTUNE_ASSIGN_OR_RETURN(bool settled, network_.Quiescent(now_));
      if (settled) return Status::Ok();
    }
    return Status::Internal("the final sync did not settle");
  }

  void Trace(const std::string& what) const {
    if (!Tracing()) return;
    std::fprintf(stderr, "[%llu] %s\n", static_cast<unsigned long long>(now_), what.c_str());
  }
  const Node& Partner(const Node& node) const { return nodes_[&node == &nodes_[0] ? 1 : 0]; }
  size_t Index(const Node& node) const { return &node == &nodes_[0] ? 0 : 1; }
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
    if (!network_.connected()) return Status::Ok();
    // As node/ does after every change while a session is up.
    ATTUNE_RETURN_IF_ERROR(network_.engine(Index(node)).LocalChanged());
    return network_.Collect(now_);
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
      if (network_.connected()) network_.Cut(now_);
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
    if (network_.connected()) network_.Cut(now_);  // the process restarts on the restored copy
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
    return network_.Connect(now_, {&nodes_[0].store, &nodes_[1].store},
                            faults_allowed_ && options_.faults);
  }

  Status OnSend(size_t /*from*/, const Message& /*message*/, const Bytes& envelope) override {
    const std::string_view text(reinterpret_cast<const char*>(envelope.data()), envelope.size());
    for (uint64_t marker : Markers(text)) {
      if (never_shared_.contains(marker)) {
        return Status::Internal("private version PRIVATE-" + std::to_string(marker) + " crossed");
      }
    }
    return Status::Ok();
  }

  void OnReceived(size_t to, const Message& message) override {
    if (std::holds_alternative<SyncHelloMessage>(message)) {
      nodes_[to].restored_awaiting_hello = false;
    }
  }

  // Only a bad network or an injected Apply failure may end a session.
  bool Expected(const Status& error, bool faulty) const override {
    return error.code() == StatusCode::kIoError || NetworkObserver::Expected(error, faulty);
  }

  Status CheckSession() {
    ATTUNE_ASSIGN_OR_RETURN(bool settled, network_.Quiescent(now_));
    const bool delivered = network_.deliveries() != deliveries_checked_;
    if (!settled || network_.faulty() || !(changed_since_check_ || delivered)) {
      return Status::Ok();
    }
    changed_since_check_ = false;
    deliveries_checked_ = network_.deliveries();
    ++stats_.settled_checks;
    return CheckConverged().WithContext("settled on a clean session");
  }

  void CopyNetworkStats() {
    const NetworkStats& network = network_.stats();
    stats_.sessions = network.sessions;
    stats_.faulty_sessions = network.faulty_sessions;
    stats_.envelopes = network.envelopes;
    stats_.dropped = network.dropped;
    stats_.duplicated = network.duplicated;
    stats_.reordered = network.reordered;
    stats_.cuts = network.cuts;
    stats_.engine_errors = network.engine_errors;
    stats_.fragments = network.fragments;
    stats_.new_epochs = network.new_epochs;
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
  test_common::Dice random_;
  std::array<Node, 2> nodes_;
  SyncNetwork network_;
  SimulationStats stats_;
  uint64_t now_ = 0;
  bool faults_allowed_ = true;
  // A store changed since both sides were last compared (by a change here, or a delivery).
  bool changed_since_check_ = true;
  uint64_t deliveries_checked_ = 0;
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

}  // namespace attune::protocol::sync_testing
