#include "protocol/sync.h"

#include <algorithm>
#include <limits>
#include <type_traits>

#include "protocol/session.h"
#include "protocol/sync_records.h"

namespace attune::protocol {
namespace {

Status Broken(const std::string& what) {
  return Status::ProtocolError("the partner's sync messages are out of order: " + what);
}

}  // namespace

Status SyncEngine::Start() {
  if (started_) return Status::InvalidArgument("the sync engine was already started");
  started_ = true;
  ATTUNE_ASSIGN_OR_RETURN(epoch_, store_.LocalEpoch());
  ATTUNE_ASSIGN_OR_RETURN(announced_, store_.Cursor());
  ATTUNE_ASSIGN_OR_RETURN(const uint64_t last, store_.LastLocalSeq());
  outgoing_.push_back(SyncHelloMessage{epoch_, announced_.epoch, announced_.applied_seq, last});
  return Status::Ok();
}

Status SyncEngine::Receive(const Message& message) {
  if (!failure_.ok()) return failure_;
  if (!started_) return Status::InvalidArgument("the sync engine was not started");
  Status handled = std::visit(
      [this](const auto& body) -> Status {
        using Body = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<Body, SyncHelloMessage>) {
          return OnHello(body);
        } else if constexpr (std::is_same_v<Body, SyncBatchMessage>) {
          return OnBatch(body);
        } else if constexpr (std::is_same_v<Body, SyncAckMessage>) {
          return OnAck(body);
        } else {
          return Status::Ok();  // ping, pong, goodbye: the session's business
        }
      },
      message);
  if (!handled.ok()) return Fail(handled);
  return Status::Ok();
}

Status SyncEngine::LocalChanged() {
  if (!failure_.ok()) return failure_;
  if (Status pumped = Pump(); !pumped.ok()) return Fail(pumped);
  return Status::Ok();
}

std::vector<Message> SyncEngine::TakeOutgoing() {
  std::vector<Message> out;
  out.swap(outgoing_);
  return out;
}

SyncProgress SyncEngine::Progress() const {
  // Each direction: how far from its start towards its target, never past the target.
  auto covered = [](uint64_t from, uint64_t reached, uint64_t target) {
    return std::min(std::max(reached, from), target) - from;
  };
  SyncProgress progress;
  if (peer_ready_) {
    progress.total += send_target_ - send_cursor_start_;
    progress.done += covered(send_cursor_start_, peer_acked_seq_, send_target_);
  }
  if (have_peer_epoch_) {
    // The peer's last_seq is its word only: a huge one must not wrap the sum around.
    const uint64_t receive_total = receive_target_ - receive_from_;
    const uint64_t room = std::numeric_limits<uint64_t>::max() - progress.total;
    progress.total += std::min(receive_total, room);
    progress.done += std::min(covered(receive_from_, applied_seq_, receive_target_), room);
  }
  return progress;
}

bool SyncEngine::Settled() const {
  return failure_.ok() && peer_ready_ && have_peer_epoch_ && told_caught_up_ &&
         batches_acked_ == batches_sent_ && peer_caught_up_ && !fragment_ &&
         unapplied_batches_ == 0;
}

Status SyncEngine::Fail(Status status) {
  failure_ = status;
  outgoing_.clear();
  return status;
}

// ---- Receiving the peer's log ----

Status SyncEngine::OnHello(const SyncHelloMessage& hello) {
  // Their log: a new epoch means everything applied of the old one goes. The peer sends after
  // the seq this side announced (not what the store holds now: another session may have
  // applied more since; the store skips what it has).
  const Bytes& known = have_peer_epoch_ ? peer_epoch_ : announced_.epoch;
  if (known != hello.epoch) {
    ATTUNE_RETURN_IF_ERROR(ApplyReceived());  // rows of the old epoch, acknowledged as such
    ATTUNE_RETURN_IF_ERROR(store_.ResetPeer(hello.epoch));
    applied_seq_ = received_seq_ = 0;
    fragment_.reset();
  } else if (!have_peer_epoch_) {
    applied_seq_ = received_seq_ = announced_.applied_seq;
  }
  have_peer_epoch_ = true;
  peer_epoch_ = hello.epoch;
  receive_from_ = applied_seq_;
  receive_target_ = std::max(hello.last_seq, applied_seq_);
  if (peer_ready_) return Status::Ok();  // a later hello only announces a new epoch

  // Our log: start after what they applied, if it is of our current epoch and we have it.
  uint64_t start = 0;
  if (hello.your_epoch == epoch_) {
    ATTUNE_ASSIGN_OR_RETURN(uint64_t last, store_.LastLocalSeq());
    if (hello.applied_seq > last) {
      // They hold rows this log no longer has: it was restored from an older copy. Renumbering
      // under a new epoch makes them start over instead of skipping our new rows.
      ATTUNE_ASSIGN_OR_RETURN(epoch_, store_.StartNewEpoch());
      outgoing_.push_back(SyncHelloMessage{epoch_, peer_epoch_, applied_seq_, last});
    } else {
      start = hello.applied_seq;
    }
  }
  ATTUNE_ASSIGN_OR_RETURN(send_target_, store_.LastLocalSeq());
  peer_ready_ = true;
  send_cursor_ = send_cursor_start_ = start;
  peer_acked_seq_ = start;
  ATTUNE_RETURN_IF_ERROR(store_.SetPeerAcked(epoch_, start));
  return Pump();
}

Status SyncEngine::OnBatch(const SyncBatchMessage& batch) {
  if (!have_peer_epoch_) return Broken("a batch came before the partner's hello");
  if (batch.batch_number < next_batch_) return Status::Ok();  // a duplicate: already taken
  if (batch.batch_number > next_batch_) return Broken("a batch is missing");
  if (batch.epoch != peer_epoch_) return Broken("a batch of another epoch");
  if (batch.after_seq != received_seq_) return Broken("a batch does not continue the last one");
  ++next_batch_;

  for (const SyncRecord& record : batch.records) {
    ATTUNE_RETURN_IF_ERROR(TakeRecord(record, received_seq_, unapplied_));
  }
  ++unapplied_batches_;
  last_unapplied_batch_ = batch.batch_number;
  unapplied_caught_up_ = batch.caught_up && !fragment_;
  // A bounded group: what the receiver holds, and how long the sender waits for its ack.
  if (!defer_apply_ || unapplied_caught_up_ || unapplied_batches_ >= kApplyAfterBatches) {
    return ApplyReceived();
  }
  return Status::Ok();
}

Status SyncEngine::Flush() {
  if (!failure_.ok()) return failure_;
  if (Status applied = ApplyReceived(); !applied.ok()) return Fail(applied);
  return Status::Ok();
}

Status SyncEngine::ApplyReceived() {
  if (unapplied_batches_ == 0) return Status::Ok();
  if (!unapplied_.empty()) {
    ATTUNE_ASSIGN_OR_RETURN(ApplyCounts applied, store_.Apply(peer_epoch_, unapplied_));
    counts_.applied.received += applied.received;
    counts_.applied.removed += applied.removed;
    counts_.applied.refused += applied.refused;
    unapplied_.clear();
  }
  applied_seq_ = received_seq_;
  peer_caught_up_ = unapplied_caught_up_;
  // Acks are cumulative: one for the last batch covers the ones before it.
  outgoing_.push_back(SyncAckMessage{peer_epoch_, last_unapplied_batch_, applied_seq_});
  unapplied_batches_ = 0;
  return Status::Ok();
}

Status SyncEngine::TakeRecord(const SyncRecord& record, uint64_t& last_seq,
                              std::vector<LogRow>& complete) {
  if (fragment_) {
    if (record.seq != fragment_->seq || record.entry_id != fragment_->entry_id ||
        record.part != fragment_->next_part) {
      return Broken("a fragment of a long entry is out of place");
    }
  } else {
    if (record.seq <= last_seq) return Broken("sequence numbers do not increase");
    if (record.part != 0) return Broken("a long entry's first fragment is missing");
    if (record.content.size() > kMaxSharedEntryBytes) {
      return Status::ProtocolError("the partner sent an entry larger than attune allows");
    }
    if (!record.continues) {  // the common case: a whole row in one record
      complete.push_back(LogRow{record.seq, record.entry_id, record.withdrawn, record.content});
      last_seq = record.seq;
      return Status::Ok();
    }
    fragment_ = Fragment{record.seq, record.entry_id, 0, {}};
  }
  const size_t reassembled = fragment_->content.size() + record.content.size();
  if (reassembled > kMaxSharedEntryBytes) {
    return Status::ProtocolError("the partner sent an entry larger than attune allows");
  }
  // Grown geometrically (many small parts stay linear) but never past the limit, which a
  // vector's own doubling would overshoot by up to twice.
  if (reassembled > fragment_->content.capacity()) {
    fragment_->content.reserve(
        std::min(kMaxSharedEntryBytes, std::max(reassembled, 2 * fragment_->content.capacity())));
  }
  fragment_->content.insert(fragment_->content.end(), record.content.begin(), record.content.end());
  ++fragment_->next_part;
  if (record.continues) return Status::Ok();
  complete.push_back(
      LogRow{record.seq, record.entry_id, record.withdrawn, std::move(fragment_->content)});
  fragment_.reset();
  last_seq = record.seq;
  return Status::Ok();
}

// ---- Sending this node's log ----

Status SyncEngine::OnAck(const SyncAckMessage& ack) {
  if (ack.batch_number > batches_sent_) return Broken("an acknowledgement of a batch never sent");
  if (ack.batch_number > batches_acked_) {
    GrowWindow(ack.batch_number - batches_acked_);
    batches_acked_ = ack.batch_number;
  }
  // An ack of the epoch before a renumbering says nothing about the current one.
  if (ack.epoch == epoch_) {
    if (ack.applied_seq > send_cursor_) return Broken("an acknowledgement of rows never sent");
    if (ack.applied_seq > peer_acked_seq_) {
      peer_acked_seq_ = ack.applied_seq;
      ATTUNE_RETURN_IF_ERROR(store_.SetPeerAcked(epoch_, ack.applied_seq));
    }
  }
  return Pump();
}

// Slow start: only a window that held the sender back while the link was idle grows (one batch
// per batch acknowledged), so it doubles each round trip up to the bandwidth-delay product.
void SyncEngine::GrowWindow(uint64_t batches_acked) {
  if (!window_full_ || link_backlogged_) return;
  window_ = std::min(kSyncMaxWindowBatches, window_ + batches_acked);
}

// Fills batches with rows read from the log until the window is full or the log is exhausted.
// A batch is sent once full (or when nothing more can follow it now), so that batches are as
// large as a frame allows whatever the reads' sizes; Pump never returns with one half built.
Status SyncEngine::Pump() {
  if (!peer_ready_) return Status::Ok();
  window_full_ = false;
  while (true) {
    // A batch being built is within the window already (WindowAllows); without one, a full
    // window means waiting for an ack.
    if (!building_ && batches_sent_ - batches_acked_ >= window_) {
      window_full_ = true;
      return Status::Ok();
    }
    ATTUNE_ASSIGN_OR_RETURN(std::vector<LogRow> rows,
                            store_.ReadLog(epoch_, send_cursor_, kSyncRowsPerRead));
    if (rows.empty()) {
      if (building_ || !told_caught_up_) FlushBatch(/*caught_up=*/true);
      return Status::Ok();
    }
    for (const LogRow& row : rows) {
      if (row.seq <= send_cursor_) return Status::Internal("the log returned rows out of order");
      if (row.content.size() > kMaxSharedEntryBytes) {
        return Status::Internal("a shared entry is larger than the protocol allows");
      }
      // The rest of this read is read again after the next ack.
      if (!WindowAllows(row)) {
        FlushBatch(/*caught_up=*/false);
        window_full_ = true;
        return Status::Ok();
      }
      QueueRow(row);
    }
    if (rows.size() < kSyncRowsPerRead) {  // exhausted
      FlushBatch(/*caught_up=*/true);
      return Status::Ok();
    }
  }
}

bool SyncEngine::WindowAllows(const LogRow& row) const {
  const size_t bytes = RecordBytes(row);
  const bool joins_building = building_ && building_bytes_ + bytes <= kBatchBudget;
  const uint64_t new_batches = joins_building ? 0 : BatchesFor(row);
  const uint64_t in_flight = batches_sent_ - batches_acked_ + (building_ ? 1 : 0);
  return in_flight + new_batches <= window_;
}

void SyncEngine::QueueRow(const LogRow& row) {
  if (row.withdrawn) {
    ++counts_.withdrew;
  } else {
    ++counts_.sent;
  }
  std::vector<SyncRecord> records = RecordsFor(row);
  // Too long for one batch: one fragment per batch, each as large as a batch allows.
  if (records.size() > 1) FlushBatch(/*caught_up=*/false);
  for (SyncRecord& record : records) {
    const bool continues = record.continues;
    AddRecord(std::move(record));
    if (continues) FlushBatch(/*caught_up=*/false);
  }
  send_cursor_ = row.seq;
  told_caught_up_ = false;
}

void SyncEngine::AddRecord(SyncRecord record) {
  const size_t bytes = EncodedRecordBytes(record);  // exact, for the frame limit
  if (building_ && building_bytes_ + bytes > kBatchBudget) FlushBatch(/*caught_up=*/false);
  if (!building_) {
    // after_seq: the last complete row before this batch. A fragment's row is not complete
    // until its last part, so fragments of one row all continue from the same seq.
    building_ = SyncBatchMessage{epoch_, 0, send_cursor_, {}, false};
    building_bytes_ = 0;
  }
  building_bytes_ += bytes;
  building_->records.push_back(std::move(record));
}

void SyncEngine::FlushBatch(bool caught_up) {
  if (!building_) {
    if (!caught_up) return;
    building_ = SyncBatchMessage{epoch_, 0, send_cursor_, {}, false};  // an empty "caught up"
  }
  building_->batch_number = ++batches_sent_;
  building_->caught_up = caught_up;
  if (caught_up) told_caught_up_ = true;
  outgoing_.push_back(std::move(*building_));
  building_.reset();
  building_bytes_ = 0;
}

}  // namespace attune::protocol
