// Journal: records (small sealed values in the meta table), the key guard every write goes
// through, and how a row that fails its integrity check is reported (quarantined, not fatal).
#include "node/journal.h"
#include "node/journal/entry_codec.h"
#include "node/journal/journal_backing.h"

namespace attune::node {

Result<std::optional<std::string>> Journal::GetRecord(std::string_view name) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> sealed, db().GetMeta(name));
  if (!sealed) return std::optional<std::string>();
  Result<std::string> value = OpenSetting(keyring().record_key(), name, *sealed);
  if (!value.ok()) return RecordDamaged(name, value.status());
  return std::optional<std::string>(std::move(*value));
}

Status Journal::PutRecord(std::string_view name, std::string_view value) {
  ATTUNE_ASSIGN_OR_RETURN(Bytes sealed, SealSetting(keyring().record_key(), name, value));
  return db().PutMeta(name, sealed);
}

Result<std::optional<Secret>> Journal::GetSecretRecord(std::string_view name) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> sealed, db().GetMeta(name));
  if (!sealed) return std::optional<Secret>();
  Result<Secret> value = OpenSecretSetting(keyring().record_key(), name, *sealed);
  if (!value.ok()) return RecordDamaged(name, value.status());
  return std::optional<Secret>(std::move(*value));
}

Status Journal::PutSecretRecord(std::string_view name, const Secret& value) {
  ATTUNE_ASSIGN_OR_RETURN(Bytes sealed, SealSecretSetting(keyring().record_key(), name, value));
  return db().PutMeta(name, sealed);
}

Status Journal::DeleteRecord(std::string_view name) {
  const Status deleted = db().DeleteMeta(name);
  return deleted.code() == StatusCode::kNotFound ? Status::Ok() : deleted;
}

Result<storage::Transaction> Journal::BeginWrite() {
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, db().BeginTransaction());
  ATTUNE_RETURN_IF_ERROR(RequireCurrentKey());
  return txn;
}

Status Journal::RequireCurrentKey() {
  ATTUNE_ASSIGN_OR_RETURN(bool current, keyring().StillCurrent(db()));
  if (current) return Status::Ok();
  return Status::Busy("the journal was re-keyed").WithReason(JournalReason::kKeyChanged);
}

// What failed to open is damage, unless the journal's key changed under this Journal (another
// process re-keyed it): then nothing is wrong with the row, and the command must start again.
Status Journal::RecordDamaged(std::string_view name, const Status& failure) {
  ATTUNE_RETURN_IF_ERROR(RequireCurrentKey());
  damage_->records.insert(std::string(name));
  return failure.WithDetail(std::string(name)).WithReason(JournalReason::kRecordDamaged);
}

Result<Entry> Journal::OpenRow(const storage::EntryRow& row) {
  Result<Entry> entry = OpenEntry(keyring().data_key(), row);
  if (entry.ok()) return entry;
  return Damaged(row.id, entry.status());
}

Status Journal::Damaged(const std::string& entry_id, const Status& failure) {
  ATTUNE_RETURN_IF_ERROR(RequireCurrentKey());
  damage_->entries.insert(entry_id);
  return failure.WithDetail(entry_id).WithReason(JournalReason::kEntryDamaged);
}

}  // namespace attune::node
