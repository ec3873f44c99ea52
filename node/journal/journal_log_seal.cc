// Journal: the seal over the outgoing log as a whole (docs/protocol.md section 4.7).
//
// Each log row is sealed on its own, which proves a row authentic but not current: an older row
// put back in the file together with its entry's older row passes every check of one row, and
// would send again what its author withdrew. The log seal is a record (sealed under the record
// key, so it can be neither read nor forged without the passphrase) holding
//   - a random key, made whenever the log starts (over),
//   - the XOR of a keyed BLAKE2b tag of every row's identity (entry id, seq, withdrawn) under
//     that key, kept up to date by every write to the log (XOR: a row's tag is taken out and
//     the new one put in without reading the rest), and
//   - the partner the log is for: their public key, bound at pairing (none before).
// Before any row leaves, the whole log is checked against it. A row put back, removed or added,
// or a log kept for a former partner, stops the session as damage to the "outgoing log".
//
// The tags are keyed, so nobody without the key can find another set of rows with the same
// XOR; the key lives only inside the sealed record. A consistent older copy of the whole file
// (the log, its seal and the entries together) is beyond what any check inside the file can
// see: docs/security.md says so.
#include <algorithm>
#include <optional>

#include "crypto/keyed_hash.h"
#include "crypto/random.h"
#include "node/journal.h"
#include "node/journal/journal_backing.h"
#include "node/journal/journal_sync.h"
#include "storage/transaction.h"

namespace attune::node {
namespace {

constexpr std::string_view kLogSealRecord = "log.seal";
constexpr size_t kKeyBytes = 32;
constexpr size_t kDigestBytes = crypto::kTagBytes;

Bytes RowTag(const Secret& key, std::string_view entry_id, int64_t seq, bool withdrawn) {
  Bytes identity(entry_id.begin(), entry_id.end());
  for (int shift = 56; shift >= 0; shift -= 8) {
    identity.push_back(static_cast<uint8_t>(static_cast<uint64_t>(seq) >> shift));
  }
  identity.push_back(withdrawn ? 1 : 0);
  return crypto::AuthTag(key, identity);
}

void XorInto(Bytes& digest, const Bytes& tag) {
  for (size_t i = 0; i < digest.size(); ++i) digest[i] ^= tag[i];
}

std::string KeyText(const crypto::X25519PublicKey& key) {
  return ToHex(ByteSpan(key.data(), key.size()));
}

}  // namespace

// As stored: key || digest || partner's public key (absent before pairing).
struct Journal::LogSeal {
  Secret key;
  Bytes digest;
  std::string partner;  // hex of the partner's public key, or empty

  static LogSeal Fresh() { return {crypto::RandomSecret(kKeyBytes), Bytes(kDigestBytes, 0), ""}; }
};

Result<std::optional<Journal::LogSeal>> Journal::ReadLogSeal() {
  Result<std::optional<Secret>> read = GetSecretRecord(kLogSealRecord);
  // A damaged seal is a damaged log: the same way back (`unshare --all`) mends both.
  if (!read.ok() && read.status().Is(JournalReason::kRecordDamaged)) {
    return RecordDamaged(kOutgoingLogName, read.status());
  }
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Secret> stored, std::move(read));
  if (!stored) return std::optional<LogSeal>();
  const size_t size = stored->size();
  const size_t fixed = kKeyBytes + kDigestBytes;
  if (size != fixed && size != fixed + crypto::kX25519PublicBytes) {
    return RecordDamaged(kLogSealRecord, Status::Corruption("the log seal has an unknown size"));
  }
  LogSeal seal{Secret::CopyOf(ByteSpan(stored->data(), kKeyBytes)),
               Bytes(stored->data() + kKeyBytes, stored->data() + fixed), ""};
  if (size > fixed) seal.partner = ToHex(ByteSpan(stored->data() + fixed, size - fixed));
  return std::optional<LogSeal>(std::move(seal));
}

Status Journal::WriteLogSeal(const LogSeal& seal) {
  const Bytes partner = FromHex(seal.partner).value_or(Bytes());
  Secret stored(seal.key.size() + seal.digest.size() + partner.size());
  std::copy(seal.key.data(), seal.key.data() + seal.key.size(), stored.data());
  std::copy(seal.digest.begin(), seal.digest.end(), stored.data() + seal.key.size());
  std::copy(partner.begin(), partner.end(), stored.data() + seal.key.size() + seal.digest.size());
  return PutSecretRecord(kLogSealRecord, stored);
}

Result<Bytes> Journal::LogDigest(const Secret& key) {
  Bytes digest(kDigestBytes, 0);
  ATTUNE_RETURN_IF_ERROR(
      db().ForEachLogRowId([&](std::string_view entry_id, int64_t seq, bool withdrawn) {
        XorInto(digest, RowTag(key, entry_id, seq, withdrawn));
        return Status::Ok();
      }));
  return digest;
}

Status Journal::PutLogRow(const std::string& entry_id, int64_t seq, bool withdrawn,
                          ByteSpan sealed) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<LogSeal> seal, ReadLogSeal());
  ATTUNE_ASSIGN_OR_RETURN(int64_t last, db().LastLogSeq());
  if (!seal) {
    // Made with the log's first row; a log with rows and no seal was changed outside attune.
    if (last != 0)
      return RecordDamaged(kOutgoingLogName, Status::AuthFailed("no seal over the log"));
    seal = LogSeal::Fresh();
  }
  ATTUNE_ASSIGN_OR_RETURN(std::optional<storage::OutgoingRow> before, db().GetLogRow(entry_id));
  if (before) XorInto(seal->digest, RowTag(seal->key, entry_id, before->seq, before->withdrawn));
  XorInto(seal->digest, RowTag(seal->key, entry_id, seq, withdrawn));
  ATTUNE_RETURN_IF_ERROR(db().PutLogRow(entry_id, seq, withdrawn, sealed));
  return WriteLogSeal(*seal);
}

Status Journal::StartLogOver() {
  ATTUNE_RETURN_IF_ERROR(db().ClearLog());
  return WriteLogSeal(LogSeal::Fresh());
}

Status Journal::SealLogAsItIs(const std::optional<crypto::X25519PublicKey>& partner) {
  LogSeal seal = LogSeal::Fresh();
  ATTUNE_ASSIGN_OR_RETURN(seal.digest, LogDigest(seal.key));
  if (partner) seal.partner = KeyText(*partner);
  return WriteLogSeal(seal);
}

Result<bool> Journal::LogIsIntact(const crypto::X25519PublicKey* partner) {
  // The seal and the rows from one snapshot: another process (a `share` beside `serve`) may
  // write both between two reads, and a seal older than the rows would look like damage.
  std::optional<storage::Transaction> snapshot;
  if (!db().in_transaction()) {
    Result<storage::Transaction> begun = db().BeginRead();
    if (!begun.ok()) return begun.status();
    snapshot.emplace(std::move(begun).value());
  }
  ATTUNE_ASSIGN_OR_RETURN(std::optional<LogSeal> seal, ReadLogSeal());
  if (!seal) {
    ATTUNE_ASSIGN_OR_RETURN(int64_t last, db().LastLogSeq());
    return last == 0;  // nothing shared yet
  }
  // Before pairing, any partner may be the one; once bound, only that one.
  if (partner && !seal->partner.empty() && seal->partner != KeyText(*partner)) return false;
  ATTUNE_ASSIGN_OR_RETURN(Bytes digest, LogDigest(seal->key));
  return digest == seal->digest;
}

Status Journal::RequireIntactLog() {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, GetPartner());
  ATTUNE_ASSIGN_OR_RETURN(bool intact, LogIsIntact(partner ? &partner->public_key : nullptr));
  if (intact) return Status::Ok();
  return RecordDamaged(kOutgoingLogName,
                       Status::AuthFailed("the outgoing log does not match its seal"));
}

Result<int64_t> Journal::BindLogTo(const crypto::X25519PublicKey& partner) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<LogSeal> seal, ReadLogSeal());
  ATTUNE_ASSIGN_OR_RETURN(bool intact, LogIsIntact(&partner));
  if (intact) {
    if (!seal) seal = LogSeal::Fresh();
    if (seal->partner == KeyText(partner)) return int64_t{0};
    seal->partner = KeyText(partner);
    ATTUNE_RETURN_IF_ERROR(WriteLogSeal(*seal));
    return int64_t{0};
  }
  // A log kept for someone else, or changed outside attune: nothing in it may reach this
  // partner. Everything goes private, and the log starts over for them.
  ATTUNE_ASSIGN_OR_RETURN(int64_t unshared, ResetSharing());
  ATTUNE_ASSIGN_OR_RETURN(seal, ReadLogSeal());
  seal->partner = KeyText(partner);
  ATTUNE_RETURN_IF_ERROR(WriteLogSeal(*seal));
  return unshared;
}

Result<int64_t> Journal::ResetSharing() {
  int64_t unshared = 0;
  std::vector<Entry> changed;
  ATTUNE_RETURN_IF_ERROR(ForEach({.author = Author::kMe, .shared_only = true}, [&](Entry& entry) {
    entry.visibility = Visibility::kPrivate;
    entry.share = ShareState{};
    changed.push_back(std::move(entry));
    ++unshared;
    return Status::Ok();
  }));
  for (const Entry& entry : changed) ATTUNE_RETURN_IF_ERROR(Store(entry, /*is_new=*/false));
  ATTUNE_RETURN_IF_ERROR(StartLogOver());
  ATTUNE_RETURN_IF_ERROR(JournalSyncStore::NewEpoch(*this).status());
  return unshared;
}

Result<int64_t> Journal::UnshareAll() {
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_ASSIGN_OR_RETURN(int64_t unshared, ResetSharing());
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, GetPartner());
  if (partner) {
    ATTUNE_ASSIGN_OR_RETURN(std::optional<LogSeal> seal, ReadLogSeal());
    seal->partner = KeyText(partner->public_key);
    ATTUNE_RETURN_IF_ERROR(WriteLogSeal(*seal));
  }
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  return unshared;
}

}  // namespace attune::node
