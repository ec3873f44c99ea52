// The sync exchange: each node sends the partner the rows of its outgoing log the partner has not
// applied yet, and applies the rows the partner sends. A pure state machine over Messages: no
// sockets, no clock, no database. node/ implements SyncStore over the journal and moves the
// messages through a Session (protocol/session.h); tests implement it in memory.
//
// The exchange, symmetric (each side runs one SyncEngine; docs/protocol.md section 4):
//   -> SyncHello{epoch, your_epoch, applied_seq}    where I stand: my log's epoch, and how far I
//                                                   applied yours
//   -> SyncBatch{epoch, n, after_seq, records, caught_up}   rows of my log after your applied_seq
//   <- SyncAck{epoch, n, applied_seq}               you applied batch n; rows through applied_seq
//                                                   are durable on your side
//   ... and live: new rows as they appear in the log, after LocalChanged().
//
// Invariants:
//  - The log has at most one row per entry (its latest version or a tombstone) and every change
//    gives that row a new, higher seq. So "every row after seq N, in order" is everything changed
//    since N, and a receiver that applied through N holds exactly the sender's shared set as of N.
//  - A receiver applies the complete rows of a batch and advances its applied seq in one store
//    transaction (SyncStore::Apply). A cut anywhere loses nothing: the next session starts after
//    the last applied seq. Applying a row twice changes nothing.
//  - A new epoch (a journal started over, or restored) makes the partner forget every row it
//    applied of the old one (SyncStore::ResetPeer) and receive the whole log again.
//  - If the partner says it applied a seq this log never reached in the current epoch (this
//    journal was restored from an older copy), the log starts a new epoch, for the same reason.
//  - At most window() batches are unacknowledged at a time. The window starts at
//    kSyncWindowBatches and grows, as TCP's slow start does, by one batch per batch acknowledged
//    while it was full and the link had written everything (so the window, not the link, was
//    what held the sender back): it doubles each round trip until it covers the link's
//    bandwidth-delay product, and never passes kSyncMaxWindowBatches. The receiver needs no
//    window of its own: it applies and acknowledges kApplyAfterBatches at a time at most.
//  - Every store call that reads or moves a log names the epoch the engine works in; the store
//    refuses it (kBusy) once another session or command has moved that log to another epoch
//    (unpairing, a restore noticed by another session). A session never mixes two epochs.
//
// Errors (the session must be closed; the engine is unusable after one):
//   kProtocolError  the peer broke the exchange: a batch before its hello, a batch number or
//                   after_seq out of order, seqs not increasing, a fragment out of place, an
//                   entry over kMaxSharedEntryBytes, an ack for a batch never sent
//   kBusy           another command changed the sync state under the session (see above);
//                   a new session starts from the stored state
//   any other SyncStore error, passed through
#ifndef ATTUNE_PROTOCOL_SYNC_H_
#define ATTUNE_PROTOCOL_SYNC_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "protocol/messages.h"

namespace attune::protocol {

// The largest content of one row (one shared entry, encoded). Larger rows are refused by the
// sender's store and by the receiver's reassembly. node's entry limits keep every entry below it.
inline constexpr size_t kMaxSharedEntryBytes = 256 * 1024;
// Batches in flight at the start of a session, before the window grows (below). 16 rather than
// 8, measured when the window was fixed and the receiver applied half of it per transaction:
// the first sync of 100,000 entries 2.18 -> 2.0 times the insert baseline.
inline constexpr uint64_t kSyncWindowBatches = 16;
// The most the window grows to: 128 batches of at most kMaxEnvelopeBytes, about 8 MiB in
// flight, enough for a 400 ms round trip at 20 MB/s. It bounds the sender's memory (its queue
// of frames; a node's whole budget is 64 MiB).
inline constexpr uint64_t kSyncMaxWindowBatches = 128;
// A deferring receiver applies (one store transaction, one ack) at the latest after this many
// batches. 64 rather than half the starting window (8): the sender's window grows while the
// acks wait, and a first sync of 100,000 entries commits 8 times less often (measured, the two
// alternated four times: 7.4-8.5 s against 10.1-13.6 s).
inline constexpr uint64_t kApplyAfterBatches = 64;
// Rows read from the store at a time.
inline constexpr size_t kSyncRowsPerRead = 64;

// One row of a node's outgoing log.
struct LogRow {
  uint64_t seq = 0;
  std::string entry_id;  // kEntryIdChars lowercase hex digits
  bool withdrawn = false;
  Bytes content;  // the shared entry (opaque here); empty for a tombstone

  bool operator==(const LogRow&) const = default;
};

// How far this node has applied the partner's log.
struct PeerCursor {
  Bytes epoch;  // empty: nothing applied yet
  uint64_t applied_seq = 0;
};

// What applying rows did, for the summary the person sees.
struct ApplyCounts {
  uint64_t received = 0;  // entries added or updated
  uint64_t removed = 0;   // tombstones that removed an entry
  uint64_t refused = 0;   // rows the store would not take (documented in docs/protocol.md)
};

// The engine's view of one node's storage. Each call is atomic on its own. Several engines (one
// per session, in several processes) may share one store; the epoch arguments keep each to the
// epoch it started in: a call naming an epoch the store has left fails with kBusy, changing
// nothing.
class SyncStore {
 public:
  virtual ~SyncStore() = default;

  // ---- This node's outgoing log ----
  virtual Result<Bytes> LocalEpoch() = 0;
  virtual Result<uint64_t> LastLocalSeq() = 0;
  // Rows with seq > after_seq, ascending, at most max_rows, if the log's epoch is `epoch`.
  virtual Result<std::vector<LogRow>> ReadLog(ByteSpan epoch, uint64_t after_seq,
                                              size_t max_rows) = 0;
  // Gives the log a new random epoch (the rows stay) and forgets what the partner acknowledged.
  virtual Result<Bytes> StartNewEpoch() = 0;
  // The partner holds every row of epoch `epoch` through `seq` (and none after it).
  virtual Status SetPeerAcked(ByteSpan epoch, uint64_t seq) = 0;

  // ---- The partner's log, as applied here ----
  virtual Result<PeerCursor> Cursor() = 0;
  // The partner's log has a new epoch: removes every entry applied from the partner and sets
  // the cursor to {epoch, 0}, in one transaction.
  virtual Status ResetPeer(ByteSpan epoch) = 0;
  // Applies complete rows (seqs increasing) of the partner's epoch `epoch` and moves the cursor
  // to the last one's seq, in one transaction. Rows at or below the stored cursor are skipped
  // and the cursor never moves back (another session on this node may have applied them).
  virtual Result<ApplyCounts> Apply(ByteSpan epoch, const std::vector<LogRow>& rows) = 0;
};

// What one session moved, for `attune sync`'s summary.
struct SyncCounts {
  uint64_t sent = 0;      // rows with content queued to the partner
  uint64_t withdrew = 0;  // tombstones queued to the partner
  ApplyCounts applied;    // what the partner's rows did here
};

// How far one session has come, in sequence numbers of both logs (a log's seqs grow by one per
// change, so this counts changes rather than entries, and ends exactly at `total`): the rows
// this side still had to deliver when the peer said where it stood, plus the rows the peer's
// hello said it had for this side. Only for a progress bar; `done` never passes `total`, and
// rows that appear during the session are not counted.
struct SyncProgress {
  uint64_t done = 0;
  uint64_t total = 0;
};

class SyncEngine {
 public:
  explicit SyncEngine(SyncStore& store) : store_(store) {}

  SyncEngine(const SyncEngine&) = delete;
  SyncEngine& operator=(const SyncEngine&) = delete;

  // Queues this side's SyncHello. Call once, when the session is established.
  Status Start();

  // Handles one sync message from the peer (other Messages are not for the engine: they are
  // ignored). See the error list above.
  Status Receive(const Message& message);

  // The outgoing log may have new rows (another command changed the journal): sends them once
  // the peer is ready and the window allows.
  Status LocalChanged();

  // With deferral on, Receive keeps the rows of a batch instead of applying them at once, so
  // that batches arriving together share one store transaction (one commit, and each index
  // page written once, instead of once per batch). The caller calls Flush() when it has no
  // more messages at hand; the engine itself applies at the peer's "caught up" and after
  // kApplyAfterBatches batches. Acknowledgements go out only for applied rows. Off by default.
  void SetDeferApply(bool defer) { defer_apply_ = defer; }
  // Applies what Receive kept, and queues its acknowledgement.
  Status Flush();
  bool HasUnapplied() const { return unapplied_batches_ > 0; }

  // Whether the link still holds frames it has not written (the caller's write queue): an ack
  // that arrives then does not grow the window, since the link, not the window, is what holds
  // the sender back. The caller sets it before each Receive; false by default.
  void SetLinkBacklogged(bool backlogged) { link_backlogged_ = backlogged; }
  // Batches that may be unacknowledged now (kSyncWindowBatches..kSyncMaxWindowBatches).
  uint64_t window() const { return window_; }

  // Messages to send, in order.
  std::vector<Message> TakeOutgoing();

  // Both directions are done for now: the peer acknowledged every batch sent and this side's
  // log was exhausted, and the peer said it was caught up after everything it sent was applied.
  bool Settled() const;

  const SyncCounts& counts() const { return counts_; }
  SyncProgress Progress() const;

 private:
  struct Fragment {
    uint64_t seq = 0;
    std::string entry_id;
    uint32_t next_part = 0;
    Bytes content;
  };

  Status OnHello(const SyncHelloMessage& hello);
  Status OnBatch(const SyncBatchMessage& batch);
  Status OnAck(const SyncAckMessage& ack);
  void GrowWindow(uint64_t batches_acked);
  Status ApplyReceived();
  Status Pump();
  // Whether `row` can be queued without more than window_ batches in flight.
  bool WindowAllows(const LogRow& row) const;
  // Adds one record to the batch being built, fragmenting it over several batches if needed.
  void QueueRow(const LogRow& row);
  void AddRecord(SyncRecord record);
  void FlushBatch(bool caught_up);
  // Folds one incoming record into `complete` (or the pending fragment).
  Status TakeRecord(const SyncRecord& record, uint64_t& last_seq, std::vector<LogRow>& complete);
  Status Fail(Status status);

  SyncStore& store_;
  bool started_ = false;
  Status failure_;
  std::vector<Message> outgoing_;
  SyncCounts counts_;

  // Sending this node's log.
  Bytes epoch_;
  bool peer_ready_ = false;   // the peer's first hello told where to start
  uint64_t send_cursor_ = 0;  // the last complete row queued
  uint64_t batches_sent_ = 0;
  uint64_t batches_acked_ = 0;
  uint64_t peer_acked_seq_ = 0;
  bool told_caught_up_ = false;
  uint64_t window_ = kSyncWindowBatches;
  bool window_full_ = false;  // Pump stopped at the window's edge with rows still to send
  bool link_backlogged_ = false;
  uint64_t send_cursor_start_ = 0;  // progress: where sending started
  uint64_t send_target_ = 0;  // progress: this log's last seq when the peer said where it stood
  std::optional<SyncBatchMessage> building_;
  size_t building_bytes_ = 0;

  // Receiving the peer's log.
  PeerCursor announced_;  // what this side's hello said it had applied
  bool have_peer_epoch_ = false;
  Bytes peer_epoch_;
  uint64_t applied_seq_ = 0;   // durable: the store holds every row through it
  uint64_t received_seq_ = 0;  // the last complete row taken, applied or not
  uint64_t receive_from_ = 0;  // progress: applied_seq_ and the peer's last seq at its hello
  uint64_t receive_target_ = 0;
  bool defer_apply_ = false;
  std::vector<LogRow> unapplied_;  // complete rows taken and not yet applied
  uint64_t unapplied_batches_ = 0;
  uint64_t last_unapplied_batch_ = 0;
  bool unapplied_caught_up_ = false;
  uint64_t next_batch_ = 1;
  std::optional<Fragment> fragment_;
  bool peer_caught_up_ = false;
};

}  // namespace attune::protocol

#endif  // ATTUNE_PROTOCOL_SYNC_H_
