// Feeds a sequence of envelopes (and local changes) to protocol::SyncEngine over an in-memory
// store, as one session with the partner; the input format is in sync_fixture.h. Envelopes that
// decode are given to the engine. Nothing may crash, and after every step:
//  - the engine either accepts the message or fails with kProtocolError, and a failed engine
//    stays failed and sends nothing (the session then restarts with a new engine, as node/ would
//    reconnect);
//  - everything it sends encodes within kMaxEnvelopeBytes and decodes to the same message, and at
//    most window() of its batches are unacknowledged, and the window stays within
//    kSyncWindowBatches..kSyncMaxWindowBatches however fast a hostile peer acknowledges;
//  - the store is never offered a row twice, and the cursor never moves back within an epoch;
//  - the heap it holds beyond the store's content stays below a bound (one entry being
//    reassembled, not the input).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "protocol/messages.h"
#include "protocol/session.h"
#include "protocol/sync.h"
#include "tests/fuzz/sync_fixture.h"
#include "tests/protocol/memory_sync_store.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/allocator_interface.h>
#define ATTUNE_FUZZ_HEAP_BYTES() __sanitizer_get_current_allocated_bytes()
#endif
#endif

namespace {

namespace fuzz = attune::fuzz;
namespace protocol = attune::protocol;
using attune::ByteSpan;
using attune::Status;
using attune::StatusCode;

void Check(bool condition) {
  if (!condition) std::abort();
}

// One entry under reassembly (its vector may hold twice its size while growing), plus what a
// step allocates briefly, plus the store's map nodes.
constexpr size_t kHeapSlackBytes = 2 * protocol::kMaxSharedEntryBytes + (1 << 20);
// Long rows a local step may add, so that an input of a few kilobytes cannot grow the log to
// gigabytes.
constexpr int kMaxLongRows = 8;

class Harness {
 public:
  explicit Harness(uint8_t setup) : store_(fuzz::kSyncNodeSeed) {
    fuzz::PrepareNodeStore(store_, setup);
    for (const auto& [id, content] : store_.SharedSet()) shared_ids_.push_back(id);
#ifdef ATTUNE_FUZZ_HEAP_BYTES
    heap_baseline_ = ATTUNE_FUZZ_HEAP_BYTES();
#endif
    NewSession();
  }

  void Envelope(ByteSpan bytes) {
    attune::Result<protocol::Message> message = protocol::DecodeEnvelope(bytes);
    if (!message.ok()) {
      const StatusCode code = message.status().code();
      Check(code == StatusCode::kCorruption || code == StatusCode::kUnsupported);
      return;
    }
    if (const auto* ack = std::get_if<protocol::SyncAckMessage>(&*message)) {
      if (ack->batch_number <= batches_sent_ && ack->batch_number > batches_acked_) {
        batches_acked_ = ack->batch_number;
      }
    }
    Status received = engine_->Receive(*message);
    if (!received.ok()) return Failed(received);
    CheckAfterStep();
  }

  void Local(uint8_t op) {
    switch (op % fuzz::kLocalOpCount) {
      case fuzz::kShareShortRow:
        Share(40);
        break;
      case fuzz::kShareLongRow:
        Share(long_rows_++ < kMaxLongRows ? 70'000 : 40);
        break;
      case fuzz::kWithdrawARow:
        if (!shared_ids_.empty()) {
          Check(store_.Withdraw(shared_ids_.back()).ok());
          shared_ids_.pop_back();
        }
        break;
      default:
        break;
    }
    Check(engine_->LocalChanged().ok());  // nothing the peer sends can make this fail
    CheckAfterStep();
  }

 private:
  void Share(size_t size) {
    shared_ids_.push_back(fuzz::EntryId(next_entry_++));
    Check(store_.Share(shared_ids_.back(), fuzz::SyncContent("local", size)).ok());
  }

  void NewSession() {
    engine_ = std::make_unique<protocol::SyncEngine>(store_);
    batches_sent_ = 0;
    batches_acked_ = 0;
    Check(engine_->Start().ok());
    CheckAfterStep();
  }

  void Failed(const Status& status) {
    Check(status.code() == StatusCode::kProtocolError);
    Check(engine_->Receive(protocol::PingMessage{1}).code() == status.code());
    Check(engine_->TakeOutgoing().empty());
    Check(!engine_->Settled());
    CheckStore();
    NewSession();
  }

  void CheckAfterStep() {
    for (const protocol::Message& message : engine_->TakeOutgoing()) {
      attune::Result<attune::Bytes> envelope = protocol::EncodeEnvelope(message);
      Check(envelope.ok() && envelope->size() <= protocol::kMaxEnvelopeBytes);
      attune::Result<protocol::Message> again = protocol::DecodeEnvelope(*envelope);
      Check(again.ok() && *again == message);
      if (std::holds_alternative<protocol::SyncBatchMessage>(message)) {
        Check(std::get<protocol::SyncBatchMessage>(message).batch_number == ++batches_sent_);
      }
    }
    Check(batches_sent_ - batches_acked_ <= engine_->window());
    Check(engine_->window() >= protocol::kSyncWindowBatches &&
          engine_->window() <= protocol::kSyncMaxWindowBatches);
    CheckStore();
  }

  void CheckStore() {
    Check(store_.stale_rows_offered() == 0);
    const protocol::PeerCursor& cursor = store_.cursor();
    if (cursor.epoch == last_cursor_.epoch) Check(cursor.applied_seq >= last_cursor_.applied_seq);
    last_cursor_ = cursor;
    for (const auto& [id, content] : store_.PeerEntries()) {
      Check(content.size() <= protocol::kMaxSharedEntryBytes);
    }
#ifdef ATTUNE_FUZZ_HEAP_BYTES
    const size_t heap = ATTUNE_FUZZ_HEAP_BYTES();
    Check(heap <= heap_baseline_ + store_.ContentBytes() + kHeapSlackBytes);
#endif
  }

  fuzz::MemorySyncStore store_;
  std::unique_ptr<protocol::SyncEngine> engine_;
  uint64_t batches_sent_ = 0;
  uint64_t batches_acked_ = 0;
  protocol::PeerCursor last_cursor_;
  uint64_t next_entry_ = 2001;
  std::vector<std::string> shared_ids_;
  int long_rows_ = 0;
  size_t heap_baseline_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Harness harness(data[0]);
  size_t at = 1;
  while (at + 2 <= size) {
    const uint16_t length = static_cast<uint16_t>(data[at] << 8 | data[at + 1]);
    at += 2;
    if (length == fuzz::kLocalStepMarker) {
      if (at < size) harness.Local(data[at++]);
      continue;
    }
    const size_t available = std::min<size_t>(length, size - at);
    harness.Envelope(ByteSpan(data + at, available));
    at += available;
  }
  return 0;
}
