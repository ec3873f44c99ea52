#include "tests/protocol/memory_sync_store.h"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace attune::protocol::sync_testing {

std::string EntryId(uint64_t n) {
  char id[kEntryIdChars + 1];
  std::snprintf(id, sizeof id, "%032llx", static_cast<unsigned long long>(n));
  return id;
}

MemorySyncStore::MemorySyncStore(uint64_t epoch_seed) : random_(epoch_seed) {
  state_.epoch = NewEpoch();
}

Bytes MemorySyncStore::NewEpoch() {
  Bytes epoch(kEpochBytes);
  for (uint8_t& byte : epoch) byte = static_cast<uint8_t>(random_());
  return epoch;
}

uint64_t MemorySyncStore::LastSeq() const {
  uint64_t last = 0;
  for (const auto& [id, entry] : state_.log) last = std::max(last, entry.seq);
  return last;
}

Status MemorySyncStore::Share(const std::string& id, Bytes content) {
  if (content.size() > kMaxSharedEntryBytes) {
    return Status::InvalidArgument("a shared entry is larger than the protocol allows");
  }
  const uint64_t seq = LastSeq() + 1;
  state_.log[id] = LogEntry{seq, false, std::move(content)};
  return Status::Ok();
}

Status MemorySyncStore::Withdraw(const std::string& id) {
  auto row = state_.log.find(id);
  if (row == state_.log.end() || row->second.withdrawn) {
    return Status::NotFound("the entry is not shared");
  }
  const uint64_t seq = LastSeq() + 1;
  row->second = LogEntry{seq, true, {}};
  return Status::Ok();
}

void MemorySyncStore::ReinstallNewEpoch() {
  state_ = State{};
  state_.epoch = NewEpoch();
}

EntrySet MemorySyncStore::SharedSet() const {
  EntrySet shared;
  for (const auto& [id, entry] : state_.log) {
    if (!entry.withdrawn) shared.emplace(id, entry.content);
  }
  return shared;
}

bool MemorySyncStore::SharedSetEquals(const EntrySet& held) const {
  auto next = held.begin();
  for (const auto& [id, entry] : state_.log) {
    if (entry.withdrawn) continue;
    if (next == held.end() || next->first != id || next->second != entry.content) return false;
    ++next;
  }
  return next == held.end();
}

size_t MemorySyncStore::ContentBytes() const {
  size_t bytes = 0;
  for (const auto& [id, entry] : state_.log) bytes += entry.content.capacity();
  for (const auto& [id, content] : state_.peer_entries) bytes += content.capacity();
  return bytes;
}

namespace {

Status RequireEpoch(const Bytes& held, ByteSpan named) {
  if (held == Bytes(named.begin(), named.end())) return Status::Ok();
  return Status::Busy("the store moved to another epoch");
}

}  // namespace

Result<std::vector<LogRow>> MemorySyncStore::ReadLog(ByteSpan epoch, uint64_t after_seq,
                                                     size_t max_rows) {
  ATTUNE_RETURN_IF_ERROR(RequireEpoch(state_.epoch, epoch));
  // Ordered by seq first, so that only the rows returned have their content copied.
  std::map<uint64_t, const std::pair<const std::string, LogEntry>*> after;
  for (const auto& row : state_.log) {
    if (row.second.seq > after_seq) after.emplace(row.second.seq, &row);
  }
  std::vector<LogRow> rows;
  for (const auto& [seq, row] : after) {
    if (rows.size() == max_rows) break;
    rows.push_back(LogRow{seq, row->first, row->second.withdrawn, row->second.content});
  }
  return rows;
}

Result<Bytes> MemorySyncStore::StartNewEpoch() {
  state_.epoch = NewEpoch();
  state_.peer_acked = 0;
  return state_.epoch;
}

Status MemorySyncStore::SetPeerAcked(ByteSpan epoch, uint64_t seq) {
  ATTUNE_RETURN_IF_ERROR(RequireEpoch(state_.epoch, epoch));
  state_.peer_acked = seq;
  return Status::Ok();
}

Status MemorySyncStore::ResetPeer(ByteSpan epoch) {
  state_.peer_entries.clear();
  state_.cursor = PeerCursor{Bytes(epoch.begin(), epoch.end()), 0};
  return Status::Ok();
}

Result<ApplyCounts> MemorySyncStore::Apply(ByteSpan epoch, const std::vector<LogRow>& rows) {
  ATTUNE_RETURN_IF_ERROR(RequireEpoch(state_.cursor.epoch, epoch));
  if (fail_next_apply_) {
    fail_next_apply_ = false;
    return Status::IoError("injected: the disk refused the transaction");
  }
  for (size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].seq <= rows[i - 1].seq) return Status::Internal("rows to apply out of order");
  }
  // Every check that can fail is above: from here on the rows go in together.
  EntrySet& entries = state_.peer_entries;
  ApplyCounts counts;
  for (const LogRow& row : rows) {
    if (row.seq <= state_.cursor.applied_seq) {
      ++stale_rows_offered_;
    } else if (row.withdrawn) {
      counts.removed += entries.erase(row.entry_id);
    } else {
      entries[row.entry_id] = row.content;
      ++counts.received;
    }
  }
  if (!rows.empty()) {
    state_.cursor.applied_seq = std::max(state_.cursor.applied_seq, rows.back().seq);
  }
  return counts;
}

}  // namespace attune::protocol::sync_testing
