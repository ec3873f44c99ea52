// Journal: sharing entries with the partner, and the journal as the sync engine's store.
#include <algorithm>
#include <charconv>

#include "crypto/random.h"
#include "crypto/secure_bytes.h"
#include "node/entry_codec.h"
#include "node/entry_rules.h"
#include "node/journal.h"
#include "node/journal_sync.h"
#include "node/kinds.h"
#include "node/shared_content.h"
#include "node/text_util.h"

namespace attune::node {
namespace {

constexpr std::string_view kEpochSetting = "sync.epoch";
constexpr std::string_view kPeerAckedSetting = "sync.peer_acked";
constexpr std::string_view kPeerEpochSetting = "sync.peer_epoch";
constexpr std::string_view kPeerAppliedSetting = "sync.peer_applied";

Result<uint64_t> ReadCounter(storage::Database& db, std::string_view key) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> stored, db.GetMeta(key));
  if (!stored) return uint64_t{0};
  uint64_t value = 0;
  const char* begin = reinterpret_cast<const char*>(stored->data());
  auto [end, error] = std::from_chars(begin, begin + stored->size(), value);
  if (error != std::errc() || end != begin + stored->size()) {
    return Status::Corruption("a stored sync counter is malformed");
  }
  return value;
}

Status WriteCounter(storage::Database& db, std::string_view key, uint64_t value) {
  return db.PutMeta(key, AsBytes(std::to_string(value)));
}

// Fails unless the epoch stored under `key` is `epoch`: the session's view is out of date.
// Call inside the transaction whose writes depend on it.
Status RequireEpoch(storage::Database& db, std::string_view key, ByteSpan epoch) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> stored, db.GetMeta(key));
  if (stored && stored->size() == epoch.size() &&
      std::equal(stored->begin(), stored->end(), epoch.begin())) {
    return Status::Ok();
  }
  return Status::Busy(
      "another attune command changed what is shared with your partner during this session "
      "(unpaired, or started the log over); sync again");
}

DeliveryState StateOf(const storage::OutgoingRow& row, uint64_t acked) {
  const bool confirmed = static_cast<uint64_t>(row.seq) <= acked;
  if (row.withdrawn) return confirmed ? DeliveryState::kWithdrawn : DeliveryState::kWithdrawing;
  return confirmed ? DeliveryState::kDelivered : DeliveryState::kWaiting;
}

}  // namespace

// ---- Sharing ----

Result<Entry> Journal::Share(std::string_view id_or_prefix) {
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, Get(id_or_prefix));
  ATTUNE_RETURN_IF_ERROR(RequireOwn(entry));
  if (entry.visibility == storage::kVisibilityShared) return entry;
  entry.visibility = std::string(storage::kVisibilityShared);
  ATTUNE_RETURN_IF_ERROR(StoreAtomically(entry, /*is_new=*/false));
  return entry;
}

Result<Entry> Journal::Unshare(std::string_view id_or_prefix) {
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, Get(id_or_prefix));
  ATTUNE_RETURN_IF_ERROR(RequireOwn(entry));
  if (entry.visibility != storage::kVisibilityShared) {
    return Status::InvalidArgument("that entry is not shared; it is already private");
  }
  entry.visibility = std::string(storage::kVisibilityPrivate);
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, db_.BeginTransaction());
  ATTUNE_RETURN_IF_ERROR(Store(entry, /*is_new=*/false));
  ATTUNE_RETURN_IF_ERROR(db_.AppendToLog(entry.id, /*withdrawn=*/true).status());
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  return entry;
}

Result<Entry> Journal::Respond(std::string_view partner_entry, std::string text,
                               std::string_view ack) {
  ATTUNE_ASSIGN_OR_RETURN(Entry answered, Get(partner_entry));
  if (answered.author != storage::kAuthorPartner) {
    return Status::InvalidArgument(
        "you can respond to what your partner shared (`attune list --partner` shows it), not "
        "to your own entries");
  }
  if (!ack.empty() && !IsResponseAck(ack)) {
    return Status::InvalidArgument("--ack is one of: heard, will-try, lets-talk");
  }
  NewEntry draft;
  draft.kind = "response";
  draft.text = std::move(text);
  // Kept in fields, not links: links must name entries of this journal's own export.
  draft.fields = {{"responds_to", answered.id}, {"responds_to_kind", answered.kind}};
  if (!ack.empty()) draft.fields["ack"] = std::string(ack);
  draft.share = true;  // responding is sharing
  return Add(std::move(draft));
}

Result<std::vector<SharedItem>> Journal::SharedItems() {
  ATTUNE_ASSIGN_OR_RETURN(uint64_t acked, JournalSyncStore::PeerAcked(db_));
  std::vector<SharedItem> items;
  int64_t after = 0;
  while (true) {
    ATTUNE_ASSIGN_OR_RETURN(std::vector<storage::OutgoingRow> rows, db_.ReadLog(after, 256));
    if (rows.empty()) return items;
    for (const storage::OutgoingRow& row : rows) {
      SharedItem item{row.entry_id, StateOf(row, acked), std::nullopt};
      ATTUNE_ASSIGN_OR_RETURN(std::optional<storage::EntryRow> stored, db_.GetEntry(row.entry_id));
      if (stored && stored->author == storage::kAuthorMe) {
        ATTUNE_ASSIGN_OR_RETURN(Entry entry, OpenEntry(keyring_.data_key(), *stored));
        item.entry = std::move(entry);
      }
      items.push_back(std::move(item));
      after = row.seq;
    }
  }
}

Result<std::string> Journal::PartnerName() {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, GetPartner());
  return partner ? partner->display_name : std::string("your partner");
}

Result<int64_t> Journal::Unpair(bool keep_entries) {
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, db_.BeginTransaction());
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, GetPartner());
  if (!partner) return Status::NotPaired("you are not paired with anyone");
  if (keep_entries) {
    ATTUNE_RETURN_IF_ERROR(
        db_.ReassignAuthor(storage::kAuthorPartner, storage::kAuthorFormer).status());
  } else {
    ATTUNE_RETURN_IF_ERROR(db_.DeleteEntriesBy(storage::kAuthorPartner).status());
  }
  // Own entries go private again: a future partner sees only what is shared with them.
  int64_t unshared = 0;
  std::vector<Entry> shared;
  ATTUNE_RETURN_IF_ERROR(ForEach({.author = "me", .shared_only = true}, [&](Entry& entry) {
    shared.push_back(std::move(entry));
    return Status::Ok();
  }));
  for (Entry& entry : shared) {
    entry.visibility = std::string(storage::kVisibilityPrivate);
    ATTUNE_RETURN_IF_ERROR(Store(entry, /*is_new=*/false));
    ++unshared;
  }
  ATTUNE_RETURN_IF_ERROR(db_.ClearLog());
  ATTUNE_RETURN_IF_ERROR(JournalSyncStore::NewEpoch(db_).status());
  ATTUNE_RETURN_IF_ERROR(JournalSyncStore::ForgetPeerCursor(db_));
  ATTUNE_RETURN_IF_ERROR(ForgetPartnerRecord());
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  // Deleted rows and the partner's key are zeroed in the file; take them out of the WAL too.
  (void)db_.Checkpoint();
  return unshared;
}

// ---- The sync store ----

Result<uint64_t> JournalSyncStore::PeerAcked(storage::Database& db) {
  return ReadCounter(db, kPeerAckedSetting);
}

Result<Bytes> JournalSyncStore::NewEpoch(storage::Database& db) {
  Bytes epoch = crypto::RandomBytes(protocol::kEpochBytes);
  ATTUNE_RETURN_IF_ERROR(db.PutMeta(kEpochSetting, epoch));
  ATTUNE_RETURN_IF_ERROR(WriteCounter(db, kPeerAckedSetting, 0));
  return epoch;
}

Status JournalSyncStore::ForgetPeerCursor(storage::Database& db) {
  for (std::string_view key : {kPeerEpochSetting, kPeerAppliedSetting}) {
    Status deleted = db.DeleteMeta(key);
    if (!deleted.ok() && deleted.code() != StatusCode::kNotFound) return deleted;
  }
  return Status::Ok();
}

Result<Bytes> JournalSyncStore::LocalEpoch() {
  storage::Database& db = journal_.db_;
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> epoch, db.GetMeta(kEpochSetting));
  if (epoch && epoch->size() == protocol::kEpochBytes) return std::move(*epoch);
  if (epoch) return Status::Corruption("the stored sync epoch is malformed");
  // The first sync of this journal: its log's first epoch.
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, db.BeginTransaction());
  ATTUNE_ASSIGN_OR_RETURN(epoch, db.GetMeta(kEpochSetting));
  if (epoch) return std::move(*epoch);  // another process made it meanwhile
  ATTUNE_ASSIGN_OR_RETURN(Bytes made, NewEpoch(db));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  return made;
}

Result<uint64_t> JournalSyncStore::LastLocalSeq() {
  ATTUNE_ASSIGN_OR_RETURN(int64_t last, journal_.db_.LastLogSeq());
  return static_cast<uint64_t>(last);
}

Result<std::vector<protocol::LogRow>> JournalSyncStore::ReadLog(ByteSpan epoch, uint64_t after_seq,
                                                                size_t max_rows) {
  storage::Database& db = journal_.db_;
  // One transaction, so that the rows are of the epoch checked.
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, db.BeginTransaction());
  ATTUNE_RETURN_IF_ERROR(RequireEpoch(db, kEpochSetting, epoch));
  ATTUNE_ASSIGN_OR_RETURN(std::vector<storage::OutgoingRow> stored,
                          db.ReadLog(static_cast<int64_t>(after_seq), max_rows));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  std::vector<protocol::LogRow> rows;
  rows.reserve(stored.size());
  for (storage::OutgoingRow& row : stored) {
    // Only this journal's own shared entries cross. Journal keeps the log so (a row is
    // withdrawn when its entry stops being shared); should a row ever disagree, it goes out as a
    // tombstone, never as content.
    const bool shareable = row.entry && row.entry->author == storage::kAuthorMe &&
                           row.entry->visibility == storage::kVisibilityShared;
    protocol::LogRow out{
        static_cast<uint64_t>(row.seq), row.entry_id, row.withdrawn || !shareable, {}};
    if (!out.withdrawn) {
      ATTUNE_ASSIGN_OR_RETURN(Entry entry, OpenEntry(journal_.keyring_.data_key(), *row.entry));
      std::string content = EncodeSharedContent(entry);
      out.content.assign(content.begin(), content.end());
      crypto::Wipe(content);
      crypto::Wipe(entry.text);
    }
    rows.push_back(std::move(out));
  }
  return rows;
}

Result<Bytes> JournalSyncStore::StartNewEpoch() {
  storage::Database& db = journal_.db_;
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, db.BeginTransaction());
  ATTUNE_ASSIGN_OR_RETURN(Bytes epoch, NewEpoch(db));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  return epoch;
}

Status JournalSyncStore::SetPeerAcked(ByteSpan epoch, uint64_t seq) {
  storage::Database& db = journal_.db_;
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, db.BeginTransaction());
  ATTUNE_RETURN_IF_ERROR(RequireEpoch(db, kEpochSetting, epoch));
  ATTUNE_RETURN_IF_ERROR(WriteCounter(db, kPeerAckedSetting, seq));
  return txn.Commit();
}

Result<protocol::PeerCursor> JournalSyncStore::Cursor() {
  storage::Database& db = journal_.db_;
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> epoch, db.GetMeta(kPeerEpochSetting));
  if (!epoch) return protocol::PeerCursor{};
  if (epoch->size() != protocol::kEpochBytes) {
    return Status::Corruption("the partner's stored sync epoch is malformed");
  }
  ATTUNE_ASSIGN_OR_RETURN(uint64_t applied, ReadCounter(db, kPeerAppliedSetting));
  return protocol::PeerCursor{std::move(*epoch), applied};
}

Status JournalSyncStore::ResetPeer(ByteSpan epoch) {
  storage::Database& db = journal_.db_;
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, db.BeginTransaction());
  ATTUNE_ASSIGN_OR_RETURN(int64_t removed, db.DeleteEntriesBy(storage::kAuthorPartner));
  ATTUNE_RETURN_IF_ERROR(db.PutMeta(kPeerEpochSetting, epoch));
  ATTUNE_RETURN_IF_ERROR(WriteCounter(db, kPeerAppliedSetting, 0));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  if (removed > 0) (void)db.Checkpoint();
  return Status::Ok();
}

Result<protocol::ApplyCounts> JournalSyncStore::Apply(ByteSpan epoch,
                                                      const std::vector<protocol::LogRow>& rows) {
  if (rows.empty()) return protocol::ApplyCounts{};
  storage::Database& db = journal_.db_;
  protocol::ApplyCounts counts;
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, db.BeginTransaction());
  // Rows of an epoch this journal no longer follows (unpaired, or another session saw the
  // partner start over) would bring back entries that are gone.
  ATTUNE_RETURN_IF_ERROR(RequireEpoch(db, kPeerEpochSetting, epoch));
  // Another attune process on this home (a `sync` beside `serve`) may have applied some of
  // these rows already: a newer version of an entry must not be replaced by an older one, and
  // the cursor never moves back.
  ATTUNE_ASSIGN_OR_RETURN(uint64_t applied, ReadCounter(db, kPeerAppliedSetting));
  for (const protocol::LogRow& row : rows) {
    if (row.seq > applied) ATTUNE_RETURN_IF_ERROR(ApplyRow(row, counts));
  }
  ATTUNE_RETURN_IF_ERROR(WriteCounter(db, kPeerAppliedSetting, std::max(applied, rows.back().seq)));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  // A removed entry's sealed bytes are zeroed in the file only once the WAL is checkpointed.
  if (counts.removed > 0) (void)db.Checkpoint();
  return counts;
}

Status JournalSyncStore::ApplyTombstone(const std::string& entry_id,
                                        protocol::ApplyCounts& counts) {
  storage::Database& db = journal_.db_;
  ATTUNE_ASSIGN_OR_RETURN(std::optional<storage::EntryRow> existing, db.GetEntry(entry_id));
  if (!existing) return Status::Ok();  // never received, or removed already
  if (existing->author != storage::kAuthorPartner) {
    ++counts.refused;  // a partner cannot remove this journal's own entries
    return Status::Ok();
  }
  ATTUNE_RETURN_IF_ERROR(db.DeleteEntry(entry_id));
  ++counts.removed;
  return Status::Ok();
}

Status JournalSyncStore::ApplyRow(const protocol::LogRow& row, protocol::ApplyCounts& counts) {
  if (row.withdrawn) return ApplyTombstone(row.entry_id, counts);
  storage::Database& db = journal_.db_;
  Result<Entry> accepted = AcceptPartnerEntry(
      std::string_view(reinterpret_cast<const char*>(row.content.data()), row.content.size()),
      row.entry_id);
  if (!accepted.ok()) {
    ++counts.refused;
    return Status::Ok();
  }
  Entry entry = std::move(accepted).value();
  ATTUNE_ASSIGN_OR_RETURN(storage::Database::IdOwner owner, db.OwnerOf(entry.id));
  // Neither the id of one of this journal's own entries, nor of one it shared and has since
  // deleted: its log row (a tombstone) still names it, and `attune shared` would show the
  // partner's text as this journal's.
  if ((owner.author && *owner.author != storage::kAuthorPartner) || owner.in_log) {
    ++counts.refused;
    return Status::Ok();
  }
  const bool existing = owner.author.has_value();
  // A replaced row is deleted and inserted again, so that its kind (bound into the seal) and
  // creation time are the new version's.
  if (existing) ATTUNE_RETURN_IF_ERROR(db.DeleteEntry(entry.id));
  ATTUNE_ASSIGN_OR_RETURN(storage::EntryRow sealed, SealEntry(journal_.keyring_.data_key(), entry));
  crypto::Wipe(entry.text);
  ATTUNE_RETURN_IF_ERROR(db.InsertEntry(sealed));
  ++counts.received;
  return Status::Ok();
}

}  // namespace attune::node
