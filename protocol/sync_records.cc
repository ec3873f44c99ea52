#include "protocol/sync_records.h"

#include <algorithm>

namespace attune::protocol {

size_t RecordBytes(const LogRow& row) {
  const SyncRecord empty{row.seq, row.entry_id, row.withdrawn, {}, 0, false};
  // The content field: a tag byte, its length prefix (at most 3 bytes), the bytes.
  return EncodedRecordBytes(empty) + (row.content.empty() ? 0 : 4 + row.content.size());
}

uint64_t BatchesFor(const LogRow& row) {
  return std::max<uint64_t>(1, (row.content.size() + kFragmentBytes - 1) / kFragmentBytes);
}

std::vector<SyncRecord> RecordsFor(const LogRow& row) {
  if (RecordBytes(row) <= kBatchBudget) {
    return {SyncRecord{row.seq, row.entry_id, row.withdrawn, row.content, 0, false}};
  }
  std::vector<SyncRecord> fragments;
  size_t offset = 0;
  uint32_t part = 0;
  while (offset < row.content.size()) {
    const size_t length = std::min(kFragmentBytes, row.content.size() - offset);
    const auto begin = row.content.begin() + static_cast<std::ptrdiff_t>(offset);
    offset += length;
    fragments.push_back(SyncRecord{row.seq, row.entry_id, false,
                                   Bytes(begin, begin + static_cast<std::ptrdiff_t>(length)),
                                   part++, offset < row.content.size()});
  }
  return fragments;
}

}  // namespace attune::protocol
