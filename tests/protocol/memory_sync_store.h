// An in-memory protocol::SyncStore for the sync engine's tests, simulator and fuzz target, with
// the operations a journal performs on its outgoing log (share, withdraw, restore an older copy,
// reinstall) and a fault to test that a failed Apply changes nothing.
//
// Like the journal's store, the log holds one row per entry (its latest version or a tombstone)
// and every change gives that row seq = max(seq) + 1. Epochs come from a generator seeded at
// construction, so a run is reproducible. Not thread-safe. No gtest dependency (the fuzz build has
// none).
#ifndef ATTUNE_TESTS_PROTOCOL_MEMORY_SYNC_STORE_H_
#define ATTUNE_TESTS_PROTOCOL_MEMORY_SYNC_STORE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "protocol/sync.h"

namespace attune::protocol::sync_testing {

// Entry id -> content.
using EntrySet = std::map<std::string, Bytes>;

// The id of the n-th entry a test makes: 32 lowercase hex digits.
std::string EntryId(uint64_t n);

class MemorySyncStore final : public SyncStore {
 public:
  struct LogEntry {
    uint64_t seq = 0;
    bool withdrawn = false;
    Bytes content;  // empty for a tombstone
  };

  // Everything the store holds, as a copy of its database would.
  struct State {
    Bytes epoch;
    std::map<std::string, LogEntry> log;
    uint64_t peer_acked = 0;
    PeerCursor cursor;
    EntrySet peer_entries;  // what was applied of the partner's log
  };

  explicit MemorySyncStore(uint64_t epoch_seed);

  // ---- The journal's side ----
  // Shares `id` (new, edited or shared again). kInvalidArgument above kMaxSharedEntryBytes, as
  // the journal refuses such entries.
  Status Share(const std::string& id, Bytes content);
  // Leaves a tombstone for a shared entry; kNotFound if `id` has no shared row.
  Status Withdraw(const std::string& id);
  State Snapshot() const { return state_; }
  // The database was replaced by an older copy of itself: same epoch, fewer (or older) rows.
  void RestoreFromOlderCopy(const State& copy) { state_ = copy; }
  // A fresh install: nothing shared, nothing applied, a new epoch.
  void ReinstallNewEpoch();
  // The next Apply fails with kIoError and changes nothing.
  void FailNextApply() { fail_next_apply_ = true; }

  // ---- Observations ----
  // The entries currently shared (the rows that are not tombstones).
  EntrySet SharedSet() const;
  // Whether `held` is exactly SharedSet(), without copying it.
  bool SharedSetEquals(const EntrySet& held) const;
  const std::map<std::string, LogEntry>& log() const { return state_.log; }
  const EntrySet& PeerEntries() const { return state_.peer_entries; }
  const Bytes& epoch() const { return state_.epoch; }
  uint64_t peer_acked() const { return state_.peer_acked; }
  const PeerCursor& cursor() const { return state_.cursor; }
  // Rows Apply skipped because they were at or below the cursor: a row offered twice.
  uint64_t stale_rows_offered() const { return stale_rows_offered_; }
  // Bytes of content held (log and applied entries), for the fuzz target's memory bound.
  size_t ContentBytes() const;

  // ---- SyncStore ----
  Result<Bytes> LocalEpoch() override { return state_.epoch; }
  Result<uint64_t> LastLocalSeq() override { return LastSeq(); }
  Result<std::vector<LogRow>> ReadLog(ByteSpan epoch, uint64_t after_seq, size_t max_rows) override;
  Result<Bytes> StartNewEpoch() override;
  Status SetPeerAcked(ByteSpan epoch, uint64_t seq) override;
  Result<PeerCursor> Cursor() override { return state_.cursor; }
  Status ResetPeer(ByteSpan epoch) override;
  Result<ApplyCounts> Apply(ByteSpan epoch, const std::vector<LogRow>& rows) override;

 private:
  uint64_t LastSeq() const;
  Bytes NewEpoch();

  std::mt19937_64 random_;
  State state_;
  bool fail_next_apply_ = false;
  uint64_t stale_rows_offered_ = 0;
};

}  // namespace attune::protocol::sync_testing

#endif  // ATTUNE_TESTS_PROTOCOL_MEMORY_SYNC_STORE_H_
