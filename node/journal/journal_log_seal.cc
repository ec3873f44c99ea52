// Journal: the seal over the outgoing log as a whole (docs/protocol.md section 4.7).
//
// Each log row is sealed on its own, which proves a row authentic but not current: an older row
// put back in the file together with its entry's older row passes every check of one row, and
// would send again what its author withdrew. The log seal is a record (sealed under the record
// key, so it can be neither read nor forged without the passphrase) holding
//   - a random key, made whenever the log starts (over),
//   - for each range of kSeqsPerRange seqs, the XOR of a keyed BLAKE2b tag of the identity
//     (entry id, seq, withdrawn) of every row whose seq lies in it, under that key, kept up to
//     date by every write to the log (XOR: a row's tag is taken out of its range and the new
//     one put into the new row's range without reading the rest), and
//   - the partner the log is for: their public key, bound at pairing (none before).
// Before a row leaves, the log is checked against it from the range of the first seq the
// partner lacks up to the top: a row put back, removed or added there, or a log kept for a
// former partner, stops the session as damage to the "outgoing log". What lies below is what the
// partner already holds; a change there can make nothing leave (a row put back has its old,
// lower seq, and the row it replaced lay in a range that is checked whenever it was still to be
// sent), so an incremental sync reads the few rows it sends and one range, not the whole log.
// `doctor` and pairing check every range.
//
// The tags are keyed, so nobody without the key can find another set of rows with the same
// XOR; the key lives only inside the sealed record. A consistent older copy of the whole file
// (the log, its seal and the entries together) is beyond what any check inside the file can
// see: docs/security.md says so.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

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

// The range of seqs each digest covers. A sync that sends a few rows checks at most two ranges'
// rows beyond them; the sealed record holds a digest per range (3 KB at 100,000 seqs).
constexpr int64_t kSeqsPerRange = 1024;
// A log with a row beyond this many ranges (a seq above a thousand million) was not written by
// attune: it would take a write a second for thirty years.
constexpr size_t kMostRanges = size_t{1} << 20;

// The stored seal since it was kept by range:
//   kRangedFormat || key || partner length (0 or 32) || partner || a digest per range.
// Its size is 2 more than a multiple of 32; the older whole-log format (key || digest, then the
// partner once paired: 64 or 96 bytes) is a multiple of 32.
constexpr uint8_t kRangedFormat = 2;
constexpr size_t kRangedFixedBytes = 1 + kKeyBytes + 1;

size_t RangeOf(int64_t seq) {
  return seq < kSeqsPerRange ? 0 : static_cast<size_t>(seq / kSeqsPerRange);
}

// The first seq of `range` (range 0 also holds any seq below 1, which only a change outside
// attune could make).
int64_t FirstSeqOf(size_t range) {
  return range == 0 ? std::numeric_limits<int64_t>::min()
                    : static_cast<int64_t>(range) * kSeqsPerRange;
}

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

// The digests of the rows from range `first` on, as the rows are now: index 0 is range `first`.
// nullopt if a row lies in range `limit` or beyond.
Result<std::optional<std::vector<Bytes>>> DigestsOfRows(storage::Database& db, const Secret& key,
                                                        size_t first, size_t limit) {
  std::vector<Bytes> digests;
  bool beyond = false;
  ATTUNE_RETURN_IF_ERROR(db.ForEachLogRowId(
      FirstSeqOf(first), [&](std::string_view entry_id, int64_t seq, bool withdrawn) {
        const size_t range = RangeOf(seq);
        if (range >= limit || range < first) {
          beyond = true;
          return Status::Ok();
        }
        if (range - first >= digests.size())
          digests.resize(range - first + 1, Bytes(kDigestBytes, 0));
        XorInto(digests[range - first], RowTag(key, entry_id, seq, withdrawn));
        return Status::Ok();
      }));
  if (beyond) return std::optional<std::vector<Bytes>>();
  return std::optional<std::vector<Bytes>>(std::move(digests));
}

}  // namespace

struct Journal::LogSeal {
  Secret key;
  std::vector<Bytes> ranges;  // by seq / kSeqsPerRange; the last one holds the log's top row
  std::string partner;        // hex of the partner's public key, or empty
  // Read from the whole-log format: the ranges were worked out from the rows, and are written
  // back at the next write (or check inside a write transaction).
  bool converted = false;

  static LogSeal Fresh() { return {crypto::RandomSecret(kKeyBytes), {}, "", false}; }

  // The range of the first seq a partner that holds everything up to `after_seq` lacks, but
  // never above the top range: the top is always checked, so that rows taken off it are seen.
  size_t FirstRangeToCheck(int64_t after_seq) const {
    const size_t top = ranges.empty() ? 0 : ranges.size() - 1;
    if (after_seq < 0) return 0;
    if (after_seq == std::numeric_limits<int64_t>::max()) return top;
    return std::min(RangeOf(after_seq + 1), top);
  }

  // Takes `tag` out of (or puts it into) the range of `seq`, which must exist or be the next.
  void Toggle(int64_t seq, const Bytes& tag) {
    const size_t range = RangeOf(seq);
    if (range == ranges.size()) ranges.emplace_back(kDigestBytes, 0);
    XorInto(ranges[range], tag);
  }
};

Result<std::optional<Journal::LogSeal>> Journal::ReadLogSeal() {
  Result<std::optional<Secret>> read = GetSecretRecord(kLogSealRecord);
  // A damaged seal is a damaged log: the same way back (`unshare --all`) mends both.
  if (!read.ok() && read.status().Is(JournalReason::kRecordDamaged)) {
    return RecordDamaged(kOutgoingLogName, read.status());
  }
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Secret> stored, std::move(read));
  if (!stored) return std::optional<LogSeal>();
  const ByteSpan bytes(stored->data(), stored->size());
  if (bytes.size() % kDigestBytes == 0) return ConvertWholeLogSeal(bytes);
  if (bytes.size() < kRangedFixedBytes || bytes[0] != kRangedFormat) {
    return RecordDamaged(kLogSealRecord, Status::Corruption("the log seal has an unknown form"));
  }
  const size_t partner_bytes = bytes[1 + kKeyBytes];
  const size_t digests_at = kRangedFixedBytes + partner_bytes;
  if ((partner_bytes != 0 && partner_bytes != crypto::kX25519PublicBytes) ||
      bytes.size() < digests_at || (bytes.size() - digests_at) % kDigestBytes != 0) {
    return RecordDamaged(kLogSealRecord, Status::Corruption("the log seal has an unknown size"));
  }
  LogSeal seal{Secret::CopyOf(bytes.subspan(1, kKeyBytes)), {}, "", false};
  seal.partner = ToHex(bytes.subspan(kRangedFixedBytes, partner_bytes));
  for (size_t at = digests_at; at < bytes.size(); at += kDigestBytes) {
    const ByteSpan digest = bytes.subspan(at, kDigestBytes);
    seal.ranges.emplace_back(digest.begin(), digest.end());
  }
  return std::optional<LogSeal>(std::move(seal));
}

Result<std::optional<Journal::LogSeal>> Journal::ConvertWholeLogSeal(ByteSpan stored) {
  const size_t fixed = kKeyBytes + kDigestBytes;
  if (stored.size() != fixed && stored.size() != fixed + crypto::kX25519PublicBytes) {
    return RecordDamaged(kLogSealRecord, Status::Corruption("the log seal has an unknown size"));
  }
  LogSeal seal{Secret::CopyOf(stored.first(kKeyBytes)), {}, ToHex(stored.subspan(fixed)), true};
  ATTUNE_RETURN_IF_ERROR(SealRowsAsTheyAre(seal));
  // Rows that no longer match the whole-log digest stay unlike the seal: the difference goes
  // into the top range, which every check reads, and which lies at or above any changed row.
  Bytes difference(stored.begin() + kKeyBytes, stored.begin() + fixed);
  for (const Bytes& range : seal.ranges) XorInto(difference, range);
  if (seal.ranges.empty()) seal.ranges.emplace_back(kDigestBytes, 0);
  XorInto(seal.ranges.back(), difference);
  return std::optional<LogSeal>(std::move(seal));
}

Status Journal::SealRowsAsTheyAre(LogSeal& seal) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<std::vector<Bytes>> ranges,
                          DigestsOfRows(db(), seal.key, 0, kMostRanges));
  if (!ranges) {
    return RecordDamaged(kOutgoingLogName,
                         Status::AuthFailed("a log row far beyond any attune writes"));
  }
  seal.ranges = std::move(*ranges);
  return Status::Ok();
}

Status Journal::WriteLogSeal(const LogSeal& seal) {
  const Bytes partner = FromHex(seal.partner).value_or(Bytes());
  Secret stored(kRangedFixedBytes + partner.size() + seal.ranges.size() * kDigestBytes);
  uint8_t* out = stored.data();
  *out++ = kRangedFormat;
  out = std::copy(seal.key.data(), seal.key.data() + kKeyBytes, out);
  *out++ = static_cast<uint8_t>(partner.size());
  out = std::copy(partner.begin(), partner.end(), out);
  for (const Bytes& range : seal.ranges) out = std::copy(range.begin(), range.end(), out);
  return PutSecretRecord(kLogSealRecord, stored);
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
  // Each write takes the next seq, so it lands in the top range or the one after; a row far
  // above (planted in the file) would have the seal grow without bound.
  if (RangeOf(seq) > seal->ranges.size())
    return RecordDamaged(kOutgoingLogName, Status::AuthFailed("a row beyond the seal"));
  ATTUNE_ASSIGN_OR_RETURN(std::optional<storage::OutgoingRow> before, db().GetLogRow(entry_id));
  // A row whose seq was moved out of every range was never in the seal: the damage stays.
  if (before && RangeOf(before->seq) < seal->ranges.size()) {
    seal->Toggle(before->seq, RowTag(seal->key, entry_id, before->seq, before->withdrawn));
  }
  seal->Toggle(seq, RowTag(seal->key, entry_id, seq, withdrawn));
  ATTUNE_RETURN_IF_ERROR(db().PutLogRow(entry_id, seq, withdrawn, sealed));
  return WriteLogSeal(*seal);
}

Status Journal::StartLogOver() {
  ATTUNE_RETURN_IF_ERROR(db().ClearLog());
  return WriteLogSeal(LogSeal::Fresh());
}

Status Journal::SealLogAsItIs(const std::optional<crypto::X25519PublicKey>& partner) {
  LogSeal seal = LogSeal::Fresh();
  ATTUNE_RETURN_IF_ERROR(SealRowsAsTheyAre(seal));
  if (partner) seal.partner = KeyText(*partner);
  return WriteLogSeal(seal);
}

Result<bool> Journal::LogIsIntact(const crypto::X25519PublicKey* partner, int64_t after_seq) {
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
  const size_t first = seal->FirstRangeToCheck(after_seq);
  ATTUNE_ASSIGN_OR_RETURN(std::optional<std::vector<Bytes>> found,
                          DigestsOfRows(db(), seal->key, first, seal->ranges.size()));
  if (!found) return false;                                            // a row above the top range
  found->resize(seal->ranges.size() - first, Bytes(kDigestBytes, 0));  // first <= the top
  if (!std::equal(found->begin(), found->end(), seal->ranges.begin() + first)) return false;
  // Kept by range from now on, so that the next session reads no more than it sends.
  if (seal->converted && db().in_write_transaction()) ATTUNE_RETURN_IF_ERROR(WriteLogSeal(*seal));
  return true;
}

Status Journal::RequireIntactLog(int64_t after_seq) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, GetPartner());
  ATTUNE_ASSIGN_OR_RETURN(bool intact,
                          LogIsIntact(partner ? &partner->public_key : nullptr, after_seq));
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
