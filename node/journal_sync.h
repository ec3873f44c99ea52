// The journal as the sync engine sees it (protocol::SyncStore): the outgoing log of what this
// journal shares, and the partner's shared entries as applied here.
//
// What crosses: only rows of the outgoing log, each the current version of an entry its author
// shared (Journal::SharedContent) or a tombstone. Private entries have no log row, so the sync
// engine, which reads nothing else, cannot send them.
//
// What arrives is checked before it is stored: a row is refused (counted, skipped, and still
// acknowledged, so one bad row cannot stall the partner's log) if its content is not a valid
// entry of a known kind, its id differs from the row's, or its id names one of this journal's
// own entries (a partner can neither overwrite nor remove those). Accepted entries are sealed
// under this journal's data key like its own, with author "partner".
//
// Sync state lives in the meta table: this log's epoch, how far the partner acknowledged it, and
// the partner's epoch and applied seq. Sequence numbers and epochs are not secret; they reveal
// how many changes were shared, which the outgoing table shows anyway.
#ifndef ATTUNE_NODE_JOURNAL_SYNC_H_
#define ATTUNE_NODE_JOURNAL_SYNC_H_

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

  // How far the partner acknowledged this journal's log (0: nothing yet, or a new epoch).
  static Result<uint64_t> PeerAcked(storage::Database& db);
  // The same for this store's journal (offline bundles start after it: node/bundle.h).
  Result<uint64_t> AckedByPeer() { return PeerAcked(journal_.db_); }
  // Starts the log over: a new epoch, nothing acknowledged. Joins the caller's transaction.
  static Result<Bytes> NewEpoch(storage::Database& db);
  // Forgets everything about the partner's log (their entries are the caller's business).
  static Status ForgetPeerCursor(storage::Database& db);

 private:
  // Applies one row; counts what it did.
  Status ApplyRow(const protocol::LogRow& row, protocol::ApplyCounts& counts);
  Status ApplyTombstone(const std::string& entry_id, protocol::ApplyCounts& counts);

  Journal& journal_;
};

}  // namespace attune::node

#endif  // ATTUNE_NODE_JOURNAL_SYNC_H_
