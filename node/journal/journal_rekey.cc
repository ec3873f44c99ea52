// Journal::Rekey: a new data key for the whole journal (`attune passwd --rekey`).
#include "node/journal.h"
#include "node/journal/entry_codec.h"
#include "node/journal/journal_backing.h"

namespace attune::node {

// Everything sealed under the old keys, re-sealed under the new ones inside the caller's
// transaction. Opening goes through the old Keyring directly: the key check has already been
// replaced, so a failure here is damage, never another process's re-key.
class JournalRekey {
 public:
  JournalRekey(Journal& journal, const Keyring& old_keys, const Keyring& new_keys,
               const ProgressCallback& progress)
      : journal_(journal), old_(old_keys), new_(new_keys), progress_(progress) {}

  Status Run() {
    ATTUNE_RETURN_IF_ERROR(Entries());
    ATTUNE_RETURN_IF_ERROR(LogRows());
    return Records();
  }

 private:
  Status Entries() {
    storage::Database& db = journal_.db();
    ATTUNE_ASSIGN_OR_RETURN(std::vector<std::string> ids, db.ListAllIds());
    uint64_t done = 0;
    ReportProgress(progress_, done, ids.size());
    for (const std::string& id : ids) {
      ATTUNE_ASSIGN_OR_RETURN(std::optional<storage::EntryRow> row, db.GetEntry(id));
      if (!row) continue;
      Result<Entry> entry = OpenEntry(old_.data_key(), *row);
      if (!entry.ok()) {
        journal_.damage_->entries.insert(id);
        return entry.status().WithDetail(id).WithReason(JournalReason::kEntryDamaged);
      }
      Result<storage::EntryRow> sealed = SealEntry(new_.data_key(), *entry);
      crypto::Wipe(entry->text);
      if (!sealed.ok()) return sealed.status();
      ATTUNE_RETURN_IF_ERROR(db.UpdateEntry(*sealed));
      ReportProgress(progress_, ++done, ids.size());
    }
    return Status::Ok();
  }

  Status LogRows() {
    storage::Database& db = journal_.db();
    for (int64_t after = 0;;) {
      ATTUNE_ASSIGN_OR_RETURN(std::vector<storage::OutgoingRow> rows, db.ReadLog(after, 256));
      if (rows.empty()) return Status::Ok();
      for (const storage::OutgoingRow& row : rows) {
        Result<std::string> content = OpenLogRow(old_.record_key(), row);
        if (!content.ok()) {
          journal_.damage_->records.insert("log row " + row.entry_id);
          return content.status()
              .WithDetail("log row " + row.entry_id)
              .WithReason(JournalReason::kRecordDamaged);
        }
        Result<Bytes> sealed =
            SealLogRow(new_.record_key(), row.entry_id, row.seq, row.withdrawn, AsBytes(*content));
        crypto::Wipe(*content);
        if (!sealed.ok()) return sealed.status();
        ATTUNE_RETURN_IF_ERROR(db.PutLogRow(row.entry_id, row.seq, row.withdrawn, *sealed));
        after = row.seq;
      }
    }
  }

  // Every meta value but the key's own is a record, sealed with its name as associated data.
  Status Records() {
    storage::Database& db = journal_.db();
    ATTUNE_ASSIGN_OR_RETURN(std::vector<std::string> names, db.MetaKeys());
    for (const std::string& name : names) {
      if (name.starts_with("key.")) continue;
      ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> stored, db.GetMeta(name));
      if (!stored) continue;
      Result<Secret> value = OpenSecretSetting(old_.record_key(), name, *stored);
      if (!value.ok()) {
        journal_.damage_->records.insert(name);
        return value.status().WithDetail(name).WithReason(JournalReason::kRecordDamaged);
      }
      ATTUNE_ASSIGN_OR_RETURN(Bytes sealed, SealSecretSetting(new_.record_key(), name, *value));
      ATTUNE_RETURN_IF_ERROR(db.PutMeta(name, sealed));
    }
    return Status::Ok();
  }

  Journal& journal_;
  const Keyring& old_;
  const Keyring& new_;
  const ProgressCallback& progress_;
};

Status Journal::Rekey(const Home& home, const std::optional<Secret>& passphrase,
                      KdfStrength strength, const ProgressCallback& progress) {
  // Held until the new key is in place: no serve (whose open journal would go on writing under
  // the old key) starts meanwhile, and none may be running now.
  Result<HomeLock> lock = HomeLock::Acquire(home);
  if (!lock.ok()) {
    if (lock.status().code() != StatusCode::kBusy) return lock.status();
    return lock.status().WithReason(JournalReason::kServeRunning);
  }
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_ASSIGN_OR_RETURN(Keyring fresh, Keyring::Replace(db(), passphrase, strength));
  ATTUNE_RETURN_IF_ERROR(JournalRekey(*this, keyring(), fresh, progress).Run());
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  keyring() = std::move(fresh);  // the old keys are wiped as they go
  // The old seals leave the WAL (secure_delete zeroes the old cells in the file).
  (void)db().Checkpoint();
  return Status::Ok();
}

}  // namespace attune::node
