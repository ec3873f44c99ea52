#include "node/journal/journal_upgrade.h"

#include <unistd.h>

#include "node/entry_rules.h"
#include "node/journal/entry_codec.h"
#include "node/journal/journal_backing.h"

namespace attune::node {
namespace {

// How format 1 kept each setting: sealed under the data key (a secret one apart), or in the
// clear. Format 2 seals every one under the record key.
enum class Format1 { kSealed, kSealedSecret, kClear };

struct Format1Setting {
  std::string_view name;
  Format1 kept;
};

constexpr Format1Setting kFormat1Settings[] = {
    {"journal.name", Format1::kSealed},        {"link.partner", Format1::kSealed},
    {"link.identity", Format1::kSealedSecret}, {"link.serve_port", Format1::kClear},
    {"sync.epoch", Format1::kClear},           {"sync.peer_acked", Format1::kClear},
    {"sync.peer_epoch", Format1::kClear},      {"sync.peer_applied", Format1::kClear},
};

}  // namespace

Status JournalUpgrade::Run() {
  // The copy first, outside the transaction: should anything go wrong, the file as it was.
  const std::string copy = home_.upgrade_copy_path();
  ::unlink(copy.c_str());  // left by an upgrade that was interrupted; the journal is unchanged
  ATTUNE_RETURN_IF_ERROR(journal_.db().CopyTo(copy));
  const Status upgraded = UpgradeInTransaction();
  if (!upgraded.ok()) return upgraded;  // the copy stays, beside the unchanged journal
  ::unlink(copy.c_str());
  // Format 1 bodies and plain values leave the WAL too.
  (void)journal_.db().Checkpoint();
  return Status::Ok();
}

Status JournalUpgrade::UpgradeInTransaction() {
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, journal_.BeginWrite());
  // Another process may have upgraded it while this one waited for the lock.
  ATTUNE_ASSIGN_OR_RETURN(int format, journal_.keyring().FormatOnDisk(journal_.db()));
  if (format == 2) return journal_.keyring().MarkFormat2Seen();
  ATTUNE_RETURN_IF_ERROR(SealSettings());
  // The log's seal over the rows as format 1 left them: the changes below keep it up to date.
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, journal_.GetPartner());
  ATTUNE_RETURN_IF_ERROR(journal_.SealLogAsItIs(
      partner ? std::optional<crypto::X25519PublicKey>(partner->public_key) : std::nullopt));
  std::set<std::string> shared_ids;
  ATTUNE_RETURN_IF_ERROR(ResealLogRows(shared_ids));
  ATTUNE_RETURN_IF_ERROR(ResealEntries(shared_ids));
  ATTUNE_RETURN_IF_ERROR(journal_.keyring().MarkFormat2(journal_.db()));
  return txn.Commit();
}

Status JournalUpgrade::SealSettings() {
  storage::Database& db = journal_.db();
  const Secret& data_key = journal_.keyring().data_key();
  for (const Format1Setting& setting : kFormat1Settings) {
    ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> stored, db.GetMeta(setting.name));
    if (!stored) continue;
    const std::string name(setting.name);
    if (setting.kept == Format1::kSealedSecret) {
      Result<Secret> secret = OpenSecretSetting(data_key, name, *stored);
      if (!secret.ok())
        return secret.status().WithDetail(name).WithReason(JournalReason::kRecordDamaged);
      ATTUNE_RETURN_IF_ERROR(journal_.PutSecretRecord(name, *secret));
      continue;
    }
    std::string value(stored->begin(), stored->end());
    if (setting.kept == Format1::kSealed) {
      Result<std::string> opened = OpenSetting(data_key, name, *stored);
      if (!opened.ok())
        return opened.status().WithDetail(name).WithReason(JournalReason::kRecordDamaged);
      value = std::move(*opened);
    }
    ATTUNE_RETURN_IF_ERROR(journal_.PutRecord(name, value));
  }
  return Status::Ok();
}

Status JournalUpgrade::ResealLogRows(std::set<std::string>& shared_ids) {
  storage::Database& db = journal_.db();
  const Secret& record_key = journal_.keyring().record_key();
  std::vector<storage::OutgoingRow> rows;
  for (int64_t after = 0;;) {
    ATTUNE_ASSIGN_OR_RETURN(std::vector<storage::OutgoingRow> page, db.ReadLog(after, 256));
    if (page.empty()) break;
    after = page.back().seq;
    for (storage::OutgoingRow& row : page) rows.push_back(std::move(row));
  }
  for (const storage::OutgoingRow& row : rows) {
    // Format 1 sent a row's entry only if it was the author's own and shared.
    const bool shared = !row.withdrawn && row.entry && row.entry->author == storage::kAuthorMe &&
                        row.entry->visibility == storage::kVisibilityShared;
    if (shared) {
      shared_ids.insert(row.entry_id);  // sent again, with a new seq, by ResealEntries
    } else if (row.withdrawn) {
      ATTUNE_ASSIGN_OR_RETURN(Bytes sealed,
                              SealLogRow(record_key, row.entry_id, row.seq, true, {}));
      ATTUNE_RETURN_IF_ERROR(db.PutLogRow(row.entry_id, row.seq, true, sealed));
    } else {
      // A row that offered what is no longer shared: withdrawn anew, so the partner hears it.
      ATTUNE_RETURN_IF_ERROR(journal_.Withdraw(row.entry_id, /*force=*/true));
    }
  }
  return Status::Ok();
}

Status JournalUpgrade::ResealEntries(const std::set<std::string>& shared_ids) {
  storage::Database& db = journal_.db();
  ATTUNE_ASSIGN_OR_RETURN(std::vector<std::string> ids, db.ListAllIds());
  for (const std::string& id : ids) {
    ATTUNE_ASSIGN_OR_RETURN(std::optional<storage::EntryRow> row, db.GetEntry(id));
    if (!row) continue;
    Result<Entry> opened = OpenEntryFormat1(journal_.keyring().data_key(), *row);
    if (!opened.ok()) {
      journal_.damage_->entries.insert(id);  // left as it is: quarantined from now on
      continue;
    }
    Entry entry = std::move(*opened);
    if (entry.author != Author::kMe) {
      ATTUNE_RETURN_IF_ERROR(journal_.Store(entry, /*is_new=*/false));
      continue;
    }
    DropStaleStatementParts(entry);
    if (shared_ids.count(id) != 0) {
      ATTUNE_RETURN_IF_ERROR(journal_.Publish(entry, /*is_new=*/false));
      continue;
    }
    entry.visibility = Visibility::kPrivate;
    ATTUNE_RETURN_IF_ERROR(journal_.Store(entry, /*is_new=*/false));
  }
  return Status::Ok();
}

}  // namespace attune::node
