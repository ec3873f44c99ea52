// Internal to protocol/: how the rows of a log become the records of sync batches. The live
// sync (sync.cc) and offline bundles (bundle.cc) pack with these same limits and cut long rows
// the same way, so every batch either writes fits one frame and one decoder reads both.
#ifndef ATTUNE_PROTOCOL_SYNC_RECORDS_H_
#define ATTUNE_PROTOCOL_SYNC_RECORDS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "protocol/session.h"
#include "protocol/sync.h"

namespace attune::protocol {

// What a batch costs besides its records: the envelope's version and body header, the epoch,
// the batch number, after_seq and caught_up, each with its tag, rounded up generously.
inline constexpr size_t kBatchOverheadBytes = 64;
inline constexpr size_t kBatchBudget = kMaxEnvelopeBytes - kBatchOverheadBytes;
// A fragment's fields besides its content (seq, id, part, flags, tags and lengths), rounded up.
inline constexpr size_t kRecordOverheadBytes = 80;
inline constexpr size_t kFragmentBytes = kBatchBudget - kRecordOverheadBytes;

// What `row` adds to a batch as one record (without copying its content to find out).
size_t RecordBytes(const LogRow& row);

// The batches queueing `row` may add: one if it fits a batch, else one per fragment. An
// overestimate for a row just too long for kFragmentBytes, which only sends it a little later.
uint64_t BatchesFor(const LogRow& row);

// The records that carry `row`: the row itself when it fits a batch, else fragments of at most
// kFragmentBytes (part 0, 1, ..., all but the last with `continues`), each of which the packer
// puts in a batch of its own.
std::vector<SyncRecord> RecordsFor(const LogRow& row);

}  // namespace attune::protocol

#endif  // ATTUNE_PROTOCOL_SYNC_RECORDS_H_
