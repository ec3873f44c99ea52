// Journal: sharing entries with the partner. What travels for an entry is the content sealed in
// its outgoing log row: the version its author confirmed, rendered by SharedView (node/
// shared_content.h), the same rendering the author's preview is decoded from.
#include "crypto/keyed_hash.h"
#include "crypto/secure_bytes.h"
#include "node/entry_rules.h"
#include "node/journal.h"
#include "node/journal/entry_codec.h"
#include "node/journal/exercise_link.h"
#include "node/journal/journal_backing.h"
#include "node/journal/journal_sync.h"
#include "node/shared_content.h"
#include "protocol/sync.h"

namespace attune::node {
namespace {

constexpr std::string_view kPreviewDigestLabel = "attune/2 share preview";

// The bytes that travel for `entry` as it is now.
std::string ContentOf(const Entry& entry) {
  return EncodeSharedContent(SharedView(entry));
}

Bytes DigestOf(std::string_view content) {
  return crypto::PublicDigest(kPreviewDigestLabel, AsBytes(content), 32);
}

DeliveryState StateOf(const storage::OutgoingRow& row, uint64_t acked) {
  const bool confirmed = static_cast<uint64_t>(row.seq) <= acked;
  if (row.withdrawn) return confirmed ? DeliveryState::kWithdrawn : DeliveryState::kWithdrawing;
  return confirmed ? DeliveryState::kDelivered : DeliveryState::kWaiting;
}

Status ApplyOptions(Entry& entry, const ShareOptions& options) {
  if (!options.with_answers) return Status::Ok();
  if (*options.with_answers && !HasQuizAnswers(entry)) {
    return Status::InvalidArgument("the entry holds no quiz answers")
        .WithReason(JournalReason::kNoAnswersToShare);
  }
  entry.share.with_answers = *options.with_answers;
  return Status::Ok();
}

}  // namespace

// ---- The outgoing log ----

Result<int64_t> Journal::NextLogSeq() {
  ATTUNE_ASSIGN_OR_RETURN(int64_t last, db().LastLogSeq());
  return last + 1;
}

Status Journal::Publish(Entry& entry, bool is_new) {
  ATTUNE_ASSIGN_OR_RETURN(int64_t seq, NextLogSeq());
  entry.visibility = Visibility::kShared;
  entry.share.log_seq = seq;
  ATTUNE_RETURN_IF_ERROR(Store(entry, is_new));  // refuses what would not fit a sync row
  std::string content = ContentOf(entry);
  Result<Bytes> sealed =
      SealLogRow(keyring().record_key(), entry.id, seq, /*withdrawn=*/false, AsBytes(content));
  crypto::Wipe(content);
  if (!sealed.ok()) return sealed.status();
  return PutLogRow(entry.id, seq, /*withdrawn=*/false, *sealed);
}

Status Journal::Withdraw(const std::string& entry_id, bool force) {
  if (!force) {
    ATTUNE_ASSIGN_OR_RETURN(std::optional<storage::OutgoingRow> row, db().GetLogRow(entry_id));
    if (!row || row->withdrawn) return Status::Ok();
  }
  ATTUNE_ASSIGN_OR_RETURN(int64_t seq, NextLogSeq());
  ATTUNE_ASSIGN_OR_RETURN(
      Bytes sealed, SealLogRow(keyring().record_key(), entry_id, seq, /*withdrawn=*/true, {}));
  return PutLogRow(entry_id, seq, /*withdrawn=*/true, sealed);
}

Result<bool> Journal::IsConfirmedVersion(const Entry& entry, std::string_view content) {
  if (entry.visibility != Visibility::kShared || entry.share.log_seq == 0) return false;
  ATTUNE_ASSIGN_OR_RETURN(std::optional<storage::OutgoingRow> row, db().GetLogRow(entry.id));
  if (!row || row->withdrawn || row->seq != entry.share.log_seq) return false;
  Result<std::string> confirmed = OpenLogRow(keyring().record_key(), *row);
  if (!confirmed.ok()) {
    damage_->records.insert("log row " + entry.id);
    return false;  // a damaged row is replaced by the version confirmed now
  }
  const bool same = *confirmed == content;
  crypto::Wipe(*confirmed);
  return same;
}

Result<std::optional<std::string>> Journal::CheckedLogRow(const storage::OutgoingRow& row) {
  Result<std::string> content = OpenLogRow(keyring().record_key(), row);
  if (content.ok() && row.withdrawn) return std::optional<std::string>(std::string());
  bool sendable = content.ok() && row.entry.has_value();
  if (sendable) {
    Result<Entry> entry = OpenRow(*row.entry);
    if (!entry.ok() && !entry.status().Is(JournalReason::kEntryDamaged)) return entry.status();
    // Only the author's own entry, shared, naming this very row: an older row put back in the
    // file, or a row planted for a private entry, names another seq or no shared entry.
    sendable = entry.ok() && entry->author == Author::kMe &&
               entry->visibility == Visibility::kShared && entry->share.log_seq == row.seq;
    if (entry.ok()) crypto::Wipe(entry->text);
  }
  if (sendable) return std::optional<std::string>(std::move(*content));
  if (content.ok()) crypto::Wipe(*content);
  damage_->records.insert("log row " + row.entry_id);
  return std::optional<std::string>();
}

Result<Journal::SealCheck> Journal::CheckSeals() {
  SealCheck counts;
  ATTUNE_RETURN_IF_ERROR(ForEach(
      {.author = std::nullopt},
      [&](Entry& entry) {
        crypto::Wipe(entry.text);
        ++counts.entries;
        return Status::Ok();
      },
      TrashScope::kAll));
  counts.entries += damage_->entries.size();
  for (int64_t after = 0;;) {
    ATTUNE_ASSIGN_OR_RETURN(std::vector<storage::OutgoingRow> rows, db().ReadLog(after, 256));
    if (rows.empty()) break;
    for (const storage::OutgoingRow& row : rows) {
      ATTUNE_ASSIGN_OR_RETURN(std::optional<std::string> content, CheckedLogRow(row));
      if (content) crypto::Wipe(*content);
      ++counts.log_rows;
      after = row.seq;
    }
  }
  const Status log = RequireIntactLog();
  if (!log.ok() && !log.Is(JournalReason::kRecordDamaged)) return log;
  ATTUNE_ASSIGN_OR_RETURN(std::vector<std::string> names, db().MetaKeys());
  for (const std::string& name : names) {
    if (name.starts_with("key.")) continue;
    Result<std::optional<Secret>> value = GetSecretRecord(name);
    if (!value.ok() && !value.status().Is(JournalReason::kRecordDamaged)) return value.status();
    ++counts.records;
  }
  return counts;
}

// ---- Sharing ----

Result<SharePreview> Journal::PreviewShare(std::string_view id_or_prefix,
                                           const ShareOptions& options) {
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, Get(id_or_prefix));
  ATTUNE_RETURN_IF_ERROR(RequireOwn(entry));
  ATTUNE_RETURN_IF_ERROR(ApplyOptions(entry, options));
  std::string content = ContentOf(entry);
  SharePreview preview;
  preview.entry_id = entry.id;
  preview.digest = DigestOf(content);
  preview.answers_withheld = WithholdsAnswers(entry);
  preview.answers_included = HasQuizAnswers(entry) && !preview.answers_withheld;
  // What the person sees is decoded from the bytes that would travel, not from the entry.
  Result<Entry> view = DecodeSharedContent(content);
  Result<bool> confirmed = IsConfirmedVersion(entry, content);
  crypto::Wipe(content);
  if (!confirmed.ok()) return confirmed.status();
  preview.partner_has_it = *confirmed;
  if (!view.ok()) return Status::Internal("a shared entry does not decode");
  preview.view = std::move(*view);
  return preview;
}

Result<Entry> Journal::ConfirmShare(const SharePreview& preview) {
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, Load(preview.entry_id));
  ATTUNE_RETURN_IF_ERROR(RequireOwn(entry));
  // Moved to the trash since its preview: the trash is never shared.
  if (entry.trashed) return InTrash(entry.id);
  entry.share.with_answers = preview.answers_included;
  std::string content = ContentOf(entry);
  const bool same = DigestOf(content) == preview.digest;
  Result<bool> confirmed = IsConfirmedVersion(entry, content);
  crypto::Wipe(content);
  if (!same) {
    return Status::Busy("the entry changed after its preview")
        .WithReason(JournalReason::kChangedSincePreview);
  }
  if (!confirmed.ok()) return confirmed.status();
  if (*confirmed) return entry;  // the partner has exactly this already
  ATTUNE_RETURN_IF_ERROR(Publish(entry, /*is_new=*/false));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  return entry;
}

Result<Entry> Journal::Share(std::string_view id_or_prefix, const ShareOptions& options) {
  ATTUNE_ASSIGN_OR_RETURN(SharePreview preview, PreviewShare(id_or_prefix, options));
  return ConfirmShare(preview);
}

Result<Entry> Journal::Unshare(std::string_view id_or_prefix) {
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, Get(id_or_prefix));
  ATTUNE_RETURN_IF_ERROR(RequireOwn(entry));
  if (entry.visibility != Visibility::kShared) {
    return Status::InvalidArgument("that entry is not shared; it is already private")
        .WithReason(JournalReason::kNotShared);
  }
  entry.visibility = Visibility::kPrivate;
  entry.share = ShareState{};
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_RETURN_IF_ERROR(Store(entry, /*is_new=*/false));
  ATTUNE_RETURN_IF_ERROR(Withdraw(entry.id, /*force=*/true));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  return entry;
}

Result<Entry> Journal::Respond(std::string_view partner_entry, std::string text,
                               std::string_view ack) {
  ATTUNE_ASSIGN_OR_RETURN(Entry answered, Get(partner_entry));
  if (answered.author != Author::kPartner) {
    return Status::InvalidArgument("an own entry").WithReason(JournalReason::kRespondToOwnEntry);
  }
  if (!ack.empty() && !IsResponseAck(ack)) {
    return Status::InvalidArgument("unknown ack").WithReason(JournalReason::kUnknownAck);
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
  ATTUNE_ASSIGN_OR_RETURN(uint64_t acked, JournalSyncStore::PeerAcked(*this));
  std::vector<SharedItem> items;
  int64_t after = 0;
  while (true) {
    ATTUNE_ASSIGN_OR_RETURN(std::vector<storage::OutgoingRow> rows, db().ReadLog(after, 256));
    if (rows.empty()) return items;
    for (const storage::OutgoingRow& row : rows) {
      SharedItem item{row.entry_id, StateOf(row, acked), std::nullopt};
      Result<std::string> confirmed = OpenLogRow(keyring().record_key(), row);
      if (!confirmed.ok()) {
        damage_->records.insert("log row " + row.entry_id);
        item.damaged = true;
      }
      ATTUNE_ASSIGN_OR_RETURN(std::optional<storage::EntryRow> stored, db().GetEntry(row.entry_id));
      if (stored && stored->author == storage::kAuthorMe) {
        Result<Entry> entry = OpenRow(*stored);
        if (!entry.ok() && !entry.status().Is(JournalReason::kEntryDamaged)) {
          return entry.status();
        }
        item.damaged = item.damaged || !entry.ok();
        if (entry.ok() && confirmed.ok() && !row.withdrawn) {
          std::string current = ContentOf(*entry);
          item.awaiting_confirmation = current != *confirmed;
          crypto::Wipe(current);
        }
        // One in the trash is shown as if deleted: the trash is left out of everything.
        if (entry.ok() && !entry->trashed) item.entry = std::move(*entry);
      }
      if (confirmed.ok()) crypto::Wipe(*confirmed);
      items.push_back(std::move(item));
      after = row.seq;
    }
  }
}

Result<std::map<std::string, Journal::Delivery>> Journal::DeliveryOf(
    const std::vector<Entry>& entries) {
  std::map<std::string_view, const Entry*> own;
  for (const Entry& entry : entries) {
    if (entry.author == Author::kMe) own.emplace(entry.id, &entry);
  }
  std::map<std::string, Delivery> delivery;
  if (own.empty()) return delivery;
  ATTUNE_ASSIGN_OR_RETURN(uint64_t acked, JournalSyncStore::PeerAcked(*this));
  int64_t after = 0;
  while (true) {
    ATTUNE_ASSIGN_OR_RETURN(std::vector<storage::OutgoingRow> rows, db().ReadLog(after, 256));
    if (rows.empty()) return delivery;
    for (const storage::OutgoingRow& row : rows) {
      after = row.seq;
      const auto found = own.find(row.entry_id);
      if (found == own.end()) continue;
      Delivery item{StateOf(row, acked), false};
      if (!row.withdrawn) {
        Result<std::string> confirmed = OpenLogRow(keyring().record_key(), row);
        if (!confirmed.ok()) {
          damage_->records.insert("log row " + row.entry_id);
          continue;
        }
        std::string current = ContentOf(*found->second);
        item.awaiting_confirmation = current != *confirmed;
        crypto::Wipe(current);
        crypto::Wipe(*confirmed);
      }
      delivery.emplace(row.entry_id, item);
    }
  }
}

Result<std::string> Journal::PartnerName() {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, GetPartner());
  return partner ? partner->display_name : std::string("your partner");
}

Result<int64_t> Journal::Unpair(bool keep_entries) {
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, GetPartner());
  if (!partner) return Status::NotFound("no partner").WithReason(JournalReason::kNotPaired);
  // Entries change author or visibility, both bound into their seals: each is sealed anew.
  std::vector<Entry> changed;
  ATTUNE_RETURN_IF_ERROR(ForEach({.author = Author::kPartner}, [&](Entry& entry) {
    if (keep_entries) changed.push_back(std::move(entry));
    return Status::Ok();
  }));
  ATTUNE_RETURN_IF_ERROR(db().DeleteEntriesBy(storage::kAuthorPartner).status());
  for (Entry& entry : changed) {
    entry.author = Author::kFormer;
    ATTUNE_RETURN_IF_ERROR(Store(entry, /*is_new=*/true));
  }
  // Own entries go private again: a future partner sees only what is shared with them.
  ATTUNE_ASSIGN_OR_RETURN(int64_t unshared, ResetSharing());
  ATTUNE_RETURN_IF_ERROR(JournalSyncStore::ForgetPeerCursor(*this));
  // Exercises belong to the pairing: their answers and the partner's go with it.
  ATTUNE_RETURN_IF_ERROR(ExerciseLink(*this).ForgetPairing());
  ATTUNE_RETURN_IF_ERROR(ForgetPartnerRecord());
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  // Deleted rows and the partner's key are zeroed in the file; take them out of the WAL too.
  (void)db().Checkpoint();
  return unshared;
}

}  // namespace attune::node
