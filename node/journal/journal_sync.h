// The journal as the sync engine sees it (protocol::SyncStore): the outgoing log of what this
// journal shares, and the partner's shared entries as applied here.
//
// What crosses: only rows of the outgoing log, each the version of an entry its author
// confirmed (sealed in the row: node/entry_codec.h) or a tombstone. Private entries have no log
// row, so the sync engine, which reads nothing else, cannot send them. Immediately before a row
// goes out, it is checked again: its seal must open, and the entry it names must open (its
// metadata authenticated) as this journal's own shared entry naming this very row. A row that
// fails any check goes out as a tombstone (withdrawing, never revealing) and is reported in
// quarantined() and the journal's damage(). Before the first row of a session goes out, the
// whole log is checked against its seal (journal_log_seal.cc): a log with a row put back,
// removed or added, or kept for another partner, sends nothing (kAuthFailed, reason
// kRecordDamaged, "outgoing log"); `attune unshare --all` starts it over.
//
// What arrives is checked before it is stored: a row is refused (counted, skipped, and still
// acknowledged, so one bad row cannot stall the partner's log) if its content is not a valid
// entry of a known kind, its id differs from the row's, or its id names one of this journal's
// own entries (a partner can neither overwrite nor remove those). Accepted entries are sealed
// under this journal's data key like its own, with author "partner".
//
// Sync state lives in the meta table, each value sealed under the record key: this log's epoch,
// how far the partner acknowledged it, and the partner's epoch and applied seq. A value that
// fails its check ends the session (kAuthFailed, reason kRecordDamaged). Sequence numbers and
// epochs are not secret; they reveal how many changes were shared, which the outgoing table
// shows anyway.
#ifndef ATTUNE_NODE_JOURNAL_JOURNAL_SYNC_H_
#define ATTUNE_NODE_JOURNAL_JOURNAL_SYNC_H_

#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "node/journal.h"
#include "protocol/sync.h"

namespace attune::node {

class JournalSyncStore final : public protocol::SyncStore {
 public:
  explicit JournalSyncStore(Journal& journal) : journal_(journal) {}

  Result<Bytes> LocalEpoch() override;
  Result<uint64_t> LastLocalSeq() override;
  Result<std::vector<protocol::LogRow>> ReadLog(ByteSpan epoch, uint64_t after_seq,
                                                size_t max_rows) override;
  Result<Bytes> StartNewEpoch() override;
  Status SetPeerAcked(ByteSpan epoch, uint64_t seq) override;
  Result<protocol::PeerCursor> Cursor() override;
  Status ResetPeer(ByteSpan epoch) override;
  Result<protocol::ApplyCounts> Apply(ByteSpan epoch,
                                      const std::vector<protocol::LogRow>& rows) override;

  // For a session that may apply many rows (a first sync): from now on the journal's
  // checkpoints run on a thread of their own, so that a commit never waits for one
  // (storage::Database::CheckpointInBackground; docs/performance.md). The thread lasts as long
  // as the Journal. If it cannot start, commits checkpoint as they always did.
  Status CheckpointInBackground();

  // Ids of the log rows that failed their check and went out as tombstones in this store's
  // lifetime.
  const std::set<std::string>& quarantined() const { return quarantined_; }

  // How far the partner acknowledged `journal`'s log (0: nothing yet, or a new epoch).
  static Result<uint64_t> PeerAcked(Journal& journal);
  // The same for this store's journal (offline bundles start after it: node/bundle.h).
  Result<uint64_t> AckedByPeer() { return PeerAcked(journal_); }
  // Starts the log over: a new epoch, nothing acknowledged. Joins the caller's transaction.
  static Result<Bytes> NewEpoch(Journal& journal);
  // After a restore from a backup: forgets this log's epoch and what the partner acknowledged
  // of it, so that the next sync starts the log over under a new epoch (LocalEpoch) and the
  // partner's node replaces all it holds from this journal by what the log holds now. The
  // values are removed, not read, so this works on a journal of any format.
  static Status ForgetOwnEpoch(Journal& journal);
  // Forgets everything about the partner's log (their entries are the caller's business).
  static Status ForgetPeerCursor(Journal& journal);

 private:
  struct PreparedRow;
  // Decodes, checks and seals `rows` without the database: safe on another thread.
  static Result<std::vector<PreparedRow>> PrepareRows(
      const Secret& data_key, std::span<const protocol::LogRow* const> rows);
  // Stores `due` (rows above the cursor, in order): each decoded, checked and sealed on a
  // second thread while the ones before it are stored, when there are more than a few.
  Status StoreRows(std::span<const protocol::LogRow* const> due, protocol::ApplyCounts& counts);
  // Stores one prepared row, if its id is not this journal's own; counts what it did.
  Status StoreRow(const PreparedRow& prepared, protocol::ApplyCounts& counts);
  Status ApplyTombstone(const std::string& entry_id, protocol::ApplyCounts& counts);
  // The row as it may leave: its content if every check passes, else a tombstone.
  Result<protocol::LogRow> Outgoing(const storage::OutgoingRow& row);
  // Fails unless the epoch stored under `name` is `epoch`: the session's view is out of date.
  Status RequireEpoch(std::string_view name, ByteSpan epoch);
  // Journal::RequireIntactLog from `after_seq`, at the first read, after another process wrote
  // the file, and for a read below the rows already checked.
  Status RequireIntactLog(int64_t after_seq);

  Journal& journal_;
  std::set<std::string> quarantined_;
  std::optional<int64_t> log_checked_at_;  // the file's data version when the log was checked
  int64_t log_checked_after_ = 0;          // ... from the rows after this seq on
};

}  // namespace attune::node

#endif  // ATTUNE_NODE_JOURNAL_JOURNAL_SYNC_H_
