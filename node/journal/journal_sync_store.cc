// The journal as the sync engine's store (node/journal_sync.h).
#include <algorithm>
#include <charconv>
#include <future>
#include <span>
#include <vector>

#include "crypto/random.h"
#include "crypto/secure_bytes.h"
#include "node/journal.h"
#include "node/journal/entry_codec.h"
#include "node/journal/journal_backing.h"
#include "node/journal/journal_sync.h"
#include "node/shared_content.h"

namespace attune::node {
namespace {

constexpr std::string_view kEpochSetting = "sync.epoch";
constexpr std::string_view kPeerAckedSetting = "sync.peer_acked";
constexpr std::string_view kPeerEpochSetting = "sync.peer_epoch";
constexpr std::string_view kPeerAppliedSetting = "sync.peer_applied";

Result<uint64_t> ParseCounter(const std::optional<std::string>& stored, std::string_view name) {
  if (!stored) return uint64_t{0};
  uint64_t value = 0;
  const char* begin = stored->data();
  auto [end, error] = std::from_chars(begin, begin + stored->size(), value);
  if (error != std::errc() || end != begin + stored->size()) {
    return Status::Corruption(std::string(name)).WithReason(JournalReason::kRecordDamaged);
  }
  return value;
}

Bytes EpochBytes(const std::string& stored) {
  return Bytes(stored.begin(), stored.end());
}

std::string EpochText(ByteSpan epoch) {
  return std::string(reinterpret_cast<const char*>(epoch.data()), epoch.size());
}

// How many of a partner's rows one preparing thread takes: enough that starting the thread
// costs little beside them, few enough that storing starts soon. Fewer rows than this (a live
// change) are prepared on the calling thread.
constexpr size_t kRowsPerPreparation = 256;

}  // namespace

// A partner's row made ready to store, away from the database: decoded, checked under the entry
// rules and sealed under this journal's data key. Ownership is checked when it is stored, after
// the rows before it.
struct JournalSyncStore::PreparedRow {
  const protocol::LogRow* row = nullptr;
  std::optional<storage::EntryRow> sealed;  // none for a tombstone or a refused row
};

Result<std::vector<JournalSyncStore::PreparedRow>> JournalSyncStore::PrepareRows(
    const Secret& data_key, std::span<const protocol::LogRow* const> rows) {
  std::vector<PreparedRow> prepared(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const protocol::LogRow& row = *rows[i];
    prepared[i].row = &row;
    if (row.withdrawn) continue;
    Result<Entry> accepted = AcceptPartnerEntry(
        std::string_view(reinterpret_cast<const char*>(row.content.data()), row.content.size()),
        row.entry_id);
    if (!accepted.ok()) continue;  // refused
    Result<storage::EntryRow> sealed = SealEntry(data_key, *accepted);
    crypto::Wipe(accepted->text);
    if (!sealed.ok()) return sealed.status();
    prepared[i].sealed = std::move(sealed).value();
  }
  return prepared;
}

Status JournalSyncStore::RequireEpoch(std::string_view name, ByteSpan epoch) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<std::string> stored, journal_.GetRecord(name));
  if (stored && *stored == EpochText(epoch)) return Status::Ok();
  return Status::Busy(
      "another attune command changed what is shared with your partner during this session "
      "(unpaired, or started the log over); sync again");
}

Result<uint64_t> JournalSyncStore::PeerAcked(Journal& journal) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<std::string> stored, journal.GetRecord(kPeerAckedSetting));
  return ParseCounter(stored, kPeerAckedSetting);
}

Result<Bytes> JournalSyncStore::NewEpoch(Journal& journal) {
  Bytes epoch = crypto::RandomBytes(protocol::kEpochBytes);
  ATTUNE_RETURN_IF_ERROR(journal.PutRecord(kEpochSetting, EpochText(epoch)));
  ATTUNE_RETURN_IF_ERROR(journal.PutRecord(kPeerAckedSetting, "0"));
  return epoch;
}

Status JournalSyncStore::ForgetOwnEpoch(Journal& journal) {
  ATTUNE_RETURN_IF_ERROR(journal.DeleteRecord(kEpochSetting));
  return journal.DeleteRecord(kPeerAckedSetting);
}

Status JournalSyncStore::ForgetPeerCursor(Journal& journal) {
  ATTUNE_RETURN_IF_ERROR(journal.DeleteRecord(kPeerEpochSetting));
  return journal.DeleteRecord(kPeerAppliedSetting);
}

Result<Bytes> JournalSyncStore::LocalEpoch() {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<std::string> epoch, journal_.GetRecord(kEpochSetting));
  if (epoch && epoch->size() == protocol::kEpochBytes) return EpochBytes(*epoch);
  if (epoch) {
    return Status::Corruption(std::string(kEpochSetting)).WithReason(JournalReason::kRecordDamaged);
  }
  // The first sync of this journal: its log's first epoch.
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, journal_.BeginWrite());
  ATTUNE_ASSIGN_OR_RETURN(epoch, journal_.GetRecord(kEpochSetting));
  if (epoch) return EpochBytes(*epoch);  // another process made it meanwhile
  ATTUNE_ASSIGN_OR_RETURN(Bytes made, NewEpoch(journal_));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  return made;
}

Result<uint64_t> JournalSyncStore::LastLocalSeq() {
  // What the session tells the partner there is to send comes from a log that matches its seal
  // at the top: rows taken off it would otherwise go unnoticed by a partner that holds the rest.
  // A write transaction, so that a seal still in the older whole-log format is stored by range
  // once checked, and later sessions start as cheaply.
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, journal_.BeginWrite());
  ATTUNE_ASSIGN_OR_RETURN(int64_t last, journal_.db().LastLogSeq());
  ATTUNE_RETURN_IF_ERROR(RequireIntactLog(last));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  return static_cast<uint64_t>(last);
}

Result<protocol::LogRow> JournalSyncStore::Outgoing(const storage::OutgoingRow& row) {
  protocol::LogRow out{static_cast<uint64_t>(row.seq), row.entry_id, true, {}};
  ATTUNE_ASSIGN_OR_RETURN(std::optional<std::string> content, journal_.CheckedLogRow(row));
  if (!content) {
    quarantined_.insert(row.entry_id);  // withdrawn rather than revealed
    return out;
  }
  if (!row.withdrawn) {
    out.withdrawn = false;
    out.content.assign(content->begin(), content->end());
  }
  crypto::Wipe(*content);
  return out;
}

Result<std::vector<protocol::LogRow>> JournalSyncStore::ReadLog(ByteSpan epoch, uint64_t after_seq,
                                                                size_t max_rows) {
  storage::Database& db = journal_.db();
  // One transaction, so that the rows are of the epoch checked.
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, journal_.BeginWrite());
  ATTUNE_RETURN_IF_ERROR(RequireEpoch(kEpochSetting, epoch));
  ATTUNE_RETURN_IF_ERROR(RequireIntactLog(static_cast<int64_t>(after_seq)));
  ATTUNE_ASSIGN_OR_RETURN(std::vector<storage::OutgoingRow> stored,
                          db.ReadLog(static_cast<int64_t>(after_seq), max_rows));
  std::vector<protocol::LogRow> rows;
  rows.reserve(stored.size());
  for (const storage::OutgoingRow& row : stored) {
    ATTUNE_ASSIGN_OR_RETURN(protocol::LogRow out, Outgoing(row));
    rows.push_back(std::move(out));
  }
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  return rows;
}

Status JournalSyncStore::RequireIntactLog(int64_t after_seq) {
  // The log from the partner's place on is read once per session, and again only when another
  // process has written to the file since (this process's own writes keep the seal up to date
  // as they go) or a read starts lower.
  ATTUNE_ASSIGN_OR_RETURN(int64_t version, journal_.DataVersion());
  if (log_checked_at_ == version && after_seq >= log_checked_after_) return Status::Ok();
  ATTUNE_RETURN_IF_ERROR(journal_.RequireIntactLog(after_seq));
  log_checked_at_ = version;
  log_checked_after_ = after_seq;
  return Status::Ok();
}

Result<Bytes> JournalSyncStore::StartNewEpoch() {
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, journal_.BeginWrite());
  ATTUNE_ASSIGN_OR_RETURN(Bytes epoch, NewEpoch(journal_));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  return epoch;
}

Status JournalSyncStore::SetPeerAcked(ByteSpan epoch, uint64_t seq) {
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, journal_.BeginWrite());
  ATTUNE_RETURN_IF_ERROR(RequireEpoch(kEpochSetting, epoch));
  ATTUNE_RETURN_IF_ERROR(journal_.PutRecord(kPeerAckedSetting, std::to_string(seq)));
  return txn.Commit();
}

Result<protocol::PeerCursor> JournalSyncStore::Cursor() {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<std::string> epoch, journal_.GetRecord(kPeerEpochSetting));
  if (!epoch) return protocol::PeerCursor{};
  if (epoch->size() != protocol::kEpochBytes) {
    return Status::Corruption(std::string(kPeerEpochSetting))
        .WithReason(JournalReason::kRecordDamaged);
  }
  ATTUNE_ASSIGN_OR_RETURN(std::optional<std::string> applied,
                          journal_.GetRecord(kPeerAppliedSetting));
  ATTUNE_ASSIGN_OR_RETURN(uint64_t applied_seq, ParseCounter(applied, kPeerAppliedSetting));
  return protocol::PeerCursor{EpochBytes(*epoch), applied_seq};
}

Status JournalSyncStore::ResetPeer(ByteSpan epoch) {
  storage::Database& db = journal_.db();
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, journal_.BeginWrite());
  ATTUNE_ASSIGN_OR_RETURN(int64_t removed, db.DeleteEntriesBy(storage::kAuthorPartner));
  ATTUNE_RETURN_IF_ERROR(journal_.PutRecord(kPeerEpochSetting, EpochText(epoch)));
  ATTUNE_RETURN_IF_ERROR(journal_.PutRecord(kPeerAppliedSetting, "0"));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  if (removed > 0) (void)db.Checkpoint();
  return Status::Ok();
}

Status JournalSyncStore::CheckpointInBackground() {
  return journal_.db().CheckpointInBackground();
}

Result<protocol::ApplyCounts> JournalSyncStore::Apply(ByteSpan epoch,
                                                      const std::vector<protocol::LogRow>& rows) {
  if (rows.empty()) return protocol::ApplyCounts{};
  storage::Database& db = journal_.db();
  protocol::ApplyCounts counts;
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, journal_.BeginWrite());
  // Rows of an epoch this journal no longer follows (unpaired, or another session saw the
  // partner start over) would bring back entries that are gone.
  ATTUNE_RETURN_IF_ERROR(RequireEpoch(kPeerEpochSetting, epoch));
  // Another attune process on this home (a `sync` beside `serve`) may have applied some of
  // these rows already: a newer version of an entry must not be replaced by an older one, and
  // the cursor never moves back.
  ATTUNE_ASSIGN_OR_RETURN(std::optional<std::string> stored,
                          journal_.GetRecord(kPeerAppliedSetting));
  ATTUNE_ASSIGN_OR_RETURN(uint64_t applied, ParseCounter(stored, kPeerAppliedSetting));
  std::vector<const protocol::LogRow*> due;
  for (const protocol::LogRow& row : rows) {
    if (row.seq > applied) due.push_back(&row);
  }
  ATTUNE_RETURN_IF_ERROR(StoreRows(due, counts));
  ATTUNE_RETURN_IF_ERROR(
      journal_.PutRecord(kPeerAppliedSetting, std::to_string(std::max(applied, rows.back().seq))));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  // A removed entry's sealed bytes are zeroed in the file only once the WAL is checkpointed.
  if (counts.removed > 0) (void)db.Checkpoint();
  return counts;
}

Status JournalSyncStore::ApplyTombstone(const std::string& entry_id,
                                        protocol::ApplyCounts& counts) {
  storage::Database& db = journal_.db();
  ATTUNE_ASSIGN_OR_RETURN(storage::Database::IdOwner owner, db.OwnerOf(entry_id));
  if (!owner.author) return Status::Ok();  // never received, or removed already
  if (*owner.author != storage::kAuthorPartner) {
    ++counts.refused;  // a partner cannot remove this journal's own entries
    return Status::Ok();
  }
  ATTUNE_RETURN_IF_ERROR(db.DeleteEntry(entry_id));
  ++counts.removed;
  return Status::Ok();
}

Status JournalSyncStore::StoreRows(std::span<const protocol::LogRow* const> due,
                                   protocol::ApplyCounts& counts) {
  const Secret& data_key = journal_.keyring().data_key();
  auto prepare = [&data_key, due](size_t begin) {
    return PrepareRows(data_key,
                       due.subspan(begin, std::min(kRowsPerPreparation, due.size() - begin)));
  };
  if (due.size() <= kRowsPerPreparation) {
    ATTUNE_ASSIGN_OR_RETURN(std::vector<PreparedRow> prepared, prepare(0));
    for (const PreparedRow& row : prepared) ATTUNE_RETURN_IF_ERROR(StoreRow(row, counts));
    return Status::Ok();
  }
  // The receiver's share of a first sync: decoding and sealing one group on a second core while
  // this thread stores the group before it (the two processes of a sync leave a core half idle).
  std::future<Result<std::vector<PreparedRow>>> next = std::async(std::launch::async, prepare, 0);
  for (size_t begin = 0; begin < due.size(); begin += kRowsPerPreparation) {
    Result<std::vector<PreparedRow>> ready = next.get();
    if (begin + kRowsPerPreparation < due.size()) {
      next = std::async(std::launch::async, prepare, begin + kRowsPerPreparation);
    }
    if (!ready.ok()) return ready.status();  // `next` is waited for as it goes
    for (const PreparedRow& row : *ready) ATTUNE_RETURN_IF_ERROR(StoreRow(row, counts));
  }
  return Status::Ok();
}

Status JournalSyncStore::StoreRow(const PreparedRow& prepared, protocol::ApplyCounts& counts) {
  const protocol::LogRow& row = *prepared.row;
  if (row.withdrawn) return ApplyTombstone(row.entry_id, counts);
  if (!prepared.sealed) {
    ++counts.refused;
    return Status::Ok();
  }
  // Neither the id of one of this journal's own entries, nor of one it shared and has since
  // deleted: its log row (a tombstone) still names it, and `attune shared` would show the
  // partner's text as this journal's. An id nobody holds (most of a first sync) costs a probe
  // of the log and the insert's own; only an id already taken is asked who holds it.
  storage::Database& db = journal_.db();
  ATTUNE_ASSIGN_OR_RETURN(bool in_log, db.InOutgoingLog(row.entry_id));
  if (in_log) {
    ++counts.refused;
    return Status::Ok();
  }
  ATTUNE_ASSIGN_OR_RETURN(bool inserted, db.InsertEntryUnlessPresent(*prepared.sealed));
  if (!inserted) {
    ATTUNE_ASSIGN_OR_RETURN(storage::Database::IdOwner owner, db.OwnerOf(row.entry_id));
    if (owner.author != storage::kAuthorPartner) {
      ++counts.refused;
      return Status::Ok();
    }
    ATTUNE_RETURN_IF_ERROR(db.UpdateEntry(*prepared.sealed));
  }
  ++counts.received;
  return Status::Ok();
}

}  // namespace attune::node
