// Journal: the trash (`attune rm`, `restore`, `trash`). Whether and since when an entry is in
// the trash is sealed in its own body (entry_codec.h), so nobody without the key can move an
// entry in or out of it. The sealed record kTrashIndexName lists what is in the trash, so that
// emptying what is due opens only those entries when the journal is opened; it is a hint only:
// every entry it names is opened and checked before it is deleted or left out of a count, and
// ListTrash goes by the seals and rewrites the record where it disagrees.
#include <algorithm>
#include <limits>

#include "crypto/secure_bytes.h"
#include "node/journal.h"
#include "node/journal/bounded_json.h"
#include "node/journal/entry_codec.h"
#include "node/journal/journal_backing.h"

namespace attune::node {
namespace {

constexpr std::string_view kTrashIndexName = "trash.index";
constexpr int64_t kDayMs = 24 * 60 * 60 * 1000;
constexpr int64_t kTrashKeepMs = kTrashKeepDays * kDayMs;

}  // namespace

Timestamp TrashEmptiesAt(const Timestamp& trashed) {
  return {trashed.utc_ms + kTrashKeepMs, trashed.offset_min};
}

Status Journal::InTrash(const std::string& id) {
  return Status::NotFound(id).WithReason(JournalReason::kInTrash);
}

Result<Journal::TrashIndex> Journal::ReadTrashIndex() {
  Result<std::optional<std::string>> stored = GetRecord(kTrashIndexName);
  // A damaged record is named in damage(); the seals still say what is in the trash.
  if (!stored.ok() && stored.status().Is(JournalReason::kRecordDamaged)) return TrashIndex{};
  if (!stored.ok()) return stored.status();
  TrashIndex index;
  if (!*stored) return index;
  const nlohmann::json parsed = ParseBoundedJson(**stored);
  if (!parsed.is_object()) {
    damage_->records.insert(std::string(kTrashIndexName));
    return index;
  }
  for (const auto& [id, ms] : parsed.items()) {
    if (IsFullEntryId(id) && ms.is_number_integer()) index[id] = ms.get<int64_t>();
  }
  return index;
}

Status Journal::WriteTrashIndex(const TrashIndex& index) {
  if (index.empty()) return DeleteRecord(kTrashIndexName);
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [id, ms] : index) out[id] = ms;
  return PutRecord(kTrashIndexName, out.dump());
}

Result<Entry> Journal::MoveToTrash(std::string_view id_or_prefix) {
  ATTUNE_ASSIGN_OR_RETURN(std::string id, ResolveId(id_or_prefix));
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, Load(id));
  if (entry.trashed) return InTrash(id);
  ATTUNE_RETURN_IF_ERROR(RequireOwn(entry));
  const bool shared = entry.visibility == Visibility::kShared;
  entry.visibility = Visibility::kPrivate;
  entry.share = ShareState{};
  entry.trashed = clock_->Now();
  ATTUNE_RETURN_IF_ERROR(Store(entry, /*is_new=*/false));
  // As deleting it would: the partner's node removes its copy at the next sync.
  ATTUNE_RETURN_IF_ERROR(Withdraw(entry.id, /*force=*/shared));
  ATTUNE_ASSIGN_OR_RETURN(TrashIndex index, ReadTrashIndex());
  index[entry.id] = entry.trashed->utc_ms;
  ATTUNE_RETURN_IF_ERROR(WriteTrashIndex(index));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  return entry;
}

Result<Entry> Journal::RestoreFromTrash(std::string_view id_or_prefix) {
  ATTUNE_ASSIGN_OR_RETURN(std::string id, ResolveId(id_or_prefix));
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, Load(id));
  if (!entry.trashed) {
    return Status::InvalidArgument(id).WithReason(JournalReason::kNotInTrash);
  }
  ATTUNE_RETURN_IF_ERROR(RequireOwn(entry));
  // Private, as MoveToTrash left it: sharing it again is its author's choice, made anew.
  entry.trashed.reset();
  entry.visibility = Visibility::kPrivate;
  entry.share = ShareState{};
  ATTUNE_RETURN_IF_ERROR(Store(entry, /*is_new=*/false));
  ATTUNE_RETURN_IF_ERROR(ForgetTrashed(entry.id));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  return entry;
}

Result<std::vector<Entry>> Journal::EntriesInTrash() {
  std::vector<Entry> inside;
  ATTUNE_RETURN_IF_ERROR(ForEach(
      {},
      [&](Entry& entry) {
        inside.push_back(std::move(entry));
        return Status::Ok();
      },
      TrashScope::kInside));
  std::stable_sort(inside.begin(), inside.end(), [](const Entry& a, const Entry& b) {
    return a.trashed->utc_ms < b.trashed->utc_ms;
  });
  return inside;
}

Result<std::vector<Entry>> Journal::ListTrash() {
  ATTUNE_RETURN_IF_ERROR(PurgeTrash().status());
  ATTUNE_ASSIGN_OR_RETURN(std::vector<Entry> inside, EntriesInTrash());
  ATTUNE_ASSIGN_OR_RETURN(TrashIndex index, ReadTrashIndex());
  const auto index_of = [](const std::vector<Entry>& entries) {
    TrashIndex out;
    for (const Entry& entry : entries) out[entry.id] = entry.trashed->utc_ms;
    return out;
  };
  const std::string name(kTrashIndexName);
  const bool damaged = damage_->records.count(name) > 0;
  if (!damaged && index_of(inside) == index) return inside;
  // The record lost or gained a name (put back from an older copy), or failed its check: the
  // seals decide, and what the record missed may be due.
  {
    ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
    ATTUNE_ASSIGN_OR_RETURN(inside, EntriesInTrash());
    ATTUNE_RETURN_IF_ERROR(WriteTrashIndex(index_of(inside)));
    ATTUNE_RETURN_IF_ERROR(txn.Commit());
  }
  damage_->records.erase(name);  // rebuilt from the seals
  ATTUNE_RETURN_IF_ERROR(PurgeTrash().status());
  const int64_t cutoff = clock_->Now().utc_ms - kTrashKeepMs;
  std::erase_if(inside, [&](const Entry& entry) { return entry.trashed->utc_ms <= cutoff; });
  return inside;
}

Result<int64_t> Journal::EmptyTrash() {
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_ASSIGN_OR_RETURN(TrashIndex index, ReadTrashIndex());
  std::vector<std::string> ids;
  for (const auto& [id, ms] : index) ids.push_back(id);
  ATTUNE_ASSIGN_OR_RETURN(std::vector<Entry> inside, EntriesInTrash());
  for (Entry& entry : inside) {
    if (!index.contains(entry.id)) ids.push_back(entry.id);
    crypto::Wipe(entry.text);
  }
  ATTUNE_ASSIGN_OR_RETURN(int64_t deleted,
                          DeleteFromTrash(ids, std::numeric_limits<int64_t>::max(), index));
  ATTUNE_RETURN_IF_ERROR(WriteTrashIndex(index));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  // As Remove: the deleted bodies leave the WAL too (best effort).
  if (deleted > 0) (void)db().Checkpoint();
  return deleted;
}

Result<int64_t> Journal::PurgeTrash() {
  ATTUNE_ASSIGN_OR_RETURN(TrashIndex index, ReadTrashIndex());
  const int64_t cutoff = clock_->Now().utc_ms - kTrashKeepMs;
  const auto due = [&](const TrashIndex& from) {
    std::vector<std::string> ids;
    for (const auto& [id, ms] : from) {
      if (ms <= cutoff) ids.push_back(id);
    }
    return ids;
  };
  if (due(index).empty()) return 0;
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_ASSIGN_OR_RETURN(index, ReadTrashIndex());  // as it is now, inside the transaction
  ATTUNE_ASSIGN_OR_RETURN(int64_t deleted, DeleteFromTrash(due(index), cutoff, index));
  ATTUNE_RETURN_IF_ERROR(WriteTrashIndex(index));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  if (deleted > 0) (void)db().Checkpoint();
  return deleted;
}

Result<int64_t> Journal::DeleteFromTrash(const std::vector<std::string>& ids, int64_t cutoff_ms,
                                         TrashIndex& index) {
  int64_t deleted = 0;
  for (const std::string& id : ids) {
    Result<Entry> entry = Load(id);
    if (!entry.ok()) {
      // Gone, or failing its check (listings name it, and `rm` lets it go): not the trash's.
      if (entry.status().code() != StatusCode::kNotFound &&
          !entry.status().Is(JournalReason::kEntryDamaged)) {
        return entry.status();
      }
      index.erase(id);
      continue;
    }
    crypto::Wipe(entry->text);
    if (!entry->trashed || entry->author != Author::kMe) {
      index.erase(id);  // restored, or never there: the record was wrong
    } else if (entry->trashed->utc_ms > cutoff_ms) {
      index[id] = entry->trashed->utc_ms;  // not due yet, whatever the record said
    } else {
      ATTUNE_RETURN_IF_ERROR(db().DeleteEntry(id));
      index.erase(id);
      ++deleted;
    }
  }
  return deleted;
}

Status Journal::ForgetTrashed(const std::string& id) {
  ATTUNE_ASSIGN_OR_RETURN(TrashIndex index, ReadTrashIndex());
  if (index.erase(id) == 0) return Status::Ok();
  return WriteTrashIndex(index);
}

Status Journal::RequireOutsideTrash(const std::string& id) {
  Result<Entry> entry = Load(id);
  if (!entry.ok()) {
    return entry.status().Is(JournalReason::kEntryDamaged) ? Status::Ok() : entry.status();
  }
  crypto::Wipe(entry->text);
  return entry->trashed ? InTrash(id) : Status::Ok();
}

Status Journal::LeaveOutTrashed(std::map<std::string, int>& counts) {
  ATTUNE_ASSIGN_OR_RETURN(TrashIndex index, ReadTrashIndex());
  for (const auto& [id, ms] : index) {
    ATTUNE_ASSIGN_OR_RETURN(std::optional<storage::EntryRow> row, db().GetEntry(id));
    if (!row || row->author != storage::kAuthorMe) continue;
    Result<Entry> entry = OpenEntry(keyring().data_key(), *row);
    if (!entry.ok()) continue;  // damaged: listings name it
    crypto::Wipe(entry->text);
    if (entry->trashed && counts[entry->kind] > 0) --counts[entry->kind];
  }
  return Status::Ok();
}

}  // namespace attune::node
