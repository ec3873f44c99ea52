#include "protocol/bundle.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <variant>

#include "protocol/session.h"
#include "protocol/sync_records.h"

namespace attune::protocol {
namespace {

// Batches are packed as a live sync packs them (protocol/sync_records.h), so that every
// envelope fits a frame and the decoder is the sync decoder.
constexpr size_t kLengthBytes = 4;

// Writes envelopes, each after its length, and packs rows into batches.
class Packer {
 public:
  Packer(Bytes epoch, uint64_t after_seq) : epoch_(std::move(epoch)), last_complete_(after_seq) {}

  Status Put(const Message& message) {
    ATTUNE_ASSIGN_OR_RETURN(Bytes envelope, EncodeEnvelope(message));
    const uint32_t size = static_cast<uint32_t>(envelope.size());
    for (int shift = 24; shift >= 0; shift -= 8)
      out_.push_back(static_cast<uint8_t>(size >> shift));
    out_.insert(out_.end(), envelope.begin(), envelope.end());
    return Status::Ok();
  }

  Status AddRow(const LogRow& row) {
    std::vector<SyncRecord> records = RecordsFor(row);
    if (records.size() > 1) ATTUNE_RETURN_IF_ERROR(Flush(/*caught_up=*/false));
    for (SyncRecord& record : records) {
      const bool continues = record.continues;
      ATTUNE_RETURN_IF_ERROR(AddRecord(std::move(record)));
      if (continues) ATTUNE_RETURN_IF_ERROR(Flush(/*caught_up=*/false));
    }
    last_complete_ = row.seq;
    return Status::Ok();
  }

  // Sends the batch being built; a final one goes out even if empty, to carry caught_up.
  Status Flush(bool caught_up, bool final = false) {
    if (!building_ && !final) return Status::Ok();
    if (!building_) building_ = SyncBatchMessage{epoch_, 0, last_complete_, {}, false};
    building_->batch_number = ++batches_;
    building_->caught_up = caught_up;
    ATTUNE_RETURN_IF_ERROR(Put(*building_));
    building_.reset();
    building_bytes_ = 0;
    return Status::Ok();
  }

  // What the content would weigh with `row` added, roughly (for the cap).
  size_t SizeWith(const LogRow& row) const {
    return out_.size() + building_bytes_ + RecordBytes(row) + kLengthBytes;
  }
  Bytes Take() { return std::move(out_); }

 private:
  Status AddRecord(SyncRecord record) {
    const size_t bytes = EncodedRecordBytes(record);
    if (building_ && building_bytes_ + bytes > kBatchBudget) {
      ATTUNE_RETURN_IF_ERROR(Flush(/*caught_up=*/false));
    }
    if (!building_) {
      building_ = SyncBatchMessage{epoch_, 0, last_complete_, {}, false};
      building_bytes_ = 0;
    }
    building_bytes_ += bytes;
    building_->records.push_back(std::move(record));
    return Status::Ok();
  }

  Bytes epoch_;
  uint64_t last_complete_;
  uint64_t batches_ = 0;
  std::optional<SyncBatchMessage> building_;
  size_t building_bytes_ = 0;
  Bytes out_;
};

Status Malformed(const std::string& what) {
  return Status::Corruption("the bundle's content is malformed: " + what);
}

// Reads the envelopes one after the other.
class Reader {
 public:
  explicit Reader(ByteSpan bytes) : bytes_(bytes) {}

  bool AtEnd() const { return offset_ == bytes_.size(); }

  Result<Message> Next() {
    if (bytes_.size() - offset_ < kLengthBytes) return Malformed("a length is cut short");
    uint32_t size = 0;
    for (size_t i = 0; i < kLengthBytes; ++i) size = size << 8 | bytes_[offset_ + i];
    offset_ += kLengthBytes;
    if (size > bytes_.size() - offset_) return Malformed("an envelope is cut short");
    Result<Message> message = DecodeEnvelope(bytes_.subspan(offset_, size));
    if (!message.ok()) return Malformed(message.status().detail());
    offset_ += size;
    return message;
  }

 private:
  ByteSpan bytes_;
  size_t offset_ = 0;
};

// Reassembles rows from records with the sync engine's rules (SyncEngine::TakeRecord).
class RowCollector {
 public:
  explicit RowCollector(uint64_t after_seq) : last_seq_(after_seq) {}

  Status Take(const SyncRecord& record, std::vector<LogRow>& rows) {
    if (!fragment_) {
      if (record.seq <= last_seq_) return Malformed("sequence numbers do not increase");
      if (record.part != 0) return Malformed("a long entry's first fragment is missing");
      fragment_ = LogRow{record.seq, record.entry_id, record.withdrawn, {}};
      next_part_ = 0;
    } else if (record.seq != fragment_->seq || record.entry_id != fragment_->entry_id ||
               record.part != next_part_) {
      return Malformed("a fragment of a long entry is out of place");
    }
    if (fragment_->content.size() + record.content.size() > kMaxSharedEntryBytes) {
      return Malformed("an entry is larger than attune allows");
    }
    fragment_->content.insert(fragment_->content.end(), record.content.begin(),
                              record.content.end());
    ++next_part_;
    if (record.continues) return Status::Ok();
    last_seq_ = fragment_->seq;
    rows.push_back(std::move(*fragment_));
    fragment_.reset();
    return Status::Ok();
  }

  bool InFragment() const { return fragment_.has_value(); }
  uint64_t last_seq() const { return last_seq_; }

 private:
  uint64_t last_seq_;
  std::optional<LogRow> fragment_;
  uint32_t next_part_ = 0;
};

}  // namespace

Result<BundleWritten> BuildBundleContent(SyncStore& store, uint64_t peer_acked,
                                         size_t max_content_bytes) {
  ATTUNE_ASSIGN_OR_RETURN(Bytes epoch, store.LocalEpoch());
  ATTUNE_ASSIGN_OR_RETURN(PeerCursor cursor, store.Cursor());
  Packer packer(epoch, peer_acked);
  ATTUNE_RETURN_IF_ERROR(packer.Put(SyncHelloMessage{epoch, cursor.epoch, cursor.applied_seq}));
  BundleWritten written;
  uint64_t after = peer_acked;
  while (written.complete) {
    ATTUNE_ASSIGN_OR_RETURN(std::vector<LogRow> rows,
                            store.ReadLog(epoch, after, kSyncRowsPerRead));
    if (rows.empty()) break;
    for (const LogRow& row : rows) {
      if (row.seq <= after) return Status::Internal("the log returned rows out of order");
      if (row.content.size() > kMaxSharedEntryBytes) {
        return Status::Internal("a shared entry is larger than the protocol allows");
      }
      // At least one row, so that a bundle always makes progress.
      if (written.sent + written.withdrew > 0 && packer.SizeWith(row) > max_content_bytes) {
        written.complete = false;
        break;
      }
      ATTUNE_RETURN_IF_ERROR(packer.AddRow(row));
      ++(row.withdrawn ? written.withdrew : written.sent);
      after = row.seq;
    }
  }
  ATTUNE_RETURN_IF_ERROR(packer.Flush(/*caught_up=*/written.complete, /*final=*/true));
  written.content = packer.Take();
  return written;
}

Result<BundleContent> DecodeBundleContent(ByteSpan bytes) {
  if (bytes.size() > kMaxBundleContentBytes) return Malformed("it is larger than attune allows");
  Reader reader(bytes);
  if (reader.AtEnd()) return Malformed("it is empty");
  ATTUNE_ASSIGN_OR_RETURN(Message first, reader.Next());
  const auto* hello = std::get_if<SyncHelloMessage>(&first);
  if (hello == nullptr) return Malformed("it does not start with a hello");
  BundleContent bundle;
  bundle.hello = *hello;
  std::optional<RowCollector> collector;
  uint64_t batches = 0;
  bool caught_up = false;
  while (!reader.AtEnd()) {
    ATTUNE_ASSIGN_OR_RETURN(Message message, reader.Next());
    const auto* batch = std::get_if<SyncBatchMessage>(&message);
    if (batch == nullptr) return Malformed("a message other than a batch follows the hello");
    if (caught_up) return Malformed("a batch follows the last one");
    if (batch->batch_number != batches + 1) return Malformed("batches are out of order");
    if (batch->epoch != bundle.hello.epoch) return Malformed("a batch of another epoch");
    if (!collector) {
      bundle.after_seq = batch->after_seq;
      collector.emplace(batch->after_seq);
    }
    if (batch->after_seq != collector->last_seq()) {
      return Malformed("a batch does not continue the last one");
    }
    ++batches;
    for (const SyncRecord& record : batch->records) {
      ATTUNE_RETURN_IF_ERROR(collector->Take(record, bundle.rows));
    }
    caught_up = batch->caught_up;
  }
  if (batches == 0) return Malformed("it holds no batch");
  if (collector->InFragment()) return Malformed("it ends in the middle of a long entry");
  bundle.complete = caught_up;
  return bundle;
}

Result<BundleApplied> ApplyBundle(SyncStore& store, uint64_t peer_acked,
                                  const BundleContent& bundle) {
  const SyncHelloMessage& hello = bundle.hello;
  ATTUNE_ASSIGN_OR_RETURN(PeerCursor cursor, store.Cursor());
  const bool same_epoch = cursor.epoch == hello.epoch;
  const uint64_t held = same_epoch ? cursor.applied_seq : 0;
  // Every refusal comes before the first change.
  if (bundle.after_seq > held) {
    return Status::NotFound("the bundle continues one that was not opened here");
  }
  BundleApplied result;
  if (!same_epoch) {
    ATTUNE_RETURN_IF_ERROR(store.ResetPeer(hello.epoch));
    result.new_epoch = !cursor.epoch.empty();
  }
  // Rows are in seq order: the ones already held come first.
  const auto first_fresh = std::find_if(bundle.rows.begin(), bundle.rows.end(),
                                        [held](const LogRow& row) { return row.seq > held; });
  result.skipped = static_cast<uint64_t>(first_fresh - bundle.rows.begin());
  if (first_fresh == bundle.rows.begin() && !bundle.rows.empty()) {
    ATTUNE_ASSIGN_OR_RETURN(result.applied, store.Apply(hello.epoch, bundle.rows));
  } else if (first_fresh != bundle.rows.end()) {
    const std::vector<LogRow> fresh(first_fresh, bundle.rows.end());
    ATTUNE_ASSIGN_OR_RETURN(result.applied, store.Apply(hello.epoch, fresh));
  }

  // The acknowledgements: how far the partner holds this side's log.
  ATTUNE_ASSIGN_OR_RETURN(Bytes epoch, store.LocalEpoch());
  if (hello.your_epoch != epoch) return result;  // of an earlier epoch: says nothing now
  ATTUNE_ASSIGN_OR_RETURN(uint64_t last, store.LastLocalSeq());
  if (hello.applied_seq > last) {
    // As in a live sync: this log was restored from an older copy, and the partner would skip
    // the seqs it reuses. A new epoch makes the next bundle carry everything.
    ATTUNE_RETURN_IF_ERROR(store.StartNewEpoch().status());
    result.log_restarted = true;
  } else if (hello.applied_seq > peer_acked) {
    ATTUNE_RETURN_IF_ERROR(store.SetPeerAcked(epoch, hello.applied_seq));
    result.acknowledged = hello.applied_seq;
  }
  return result;
}

}  // namespace attune::protocol
