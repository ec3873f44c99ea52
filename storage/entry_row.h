// The stored form of a journal entry, as storage sees it: metadata plus a sealed body.
#ifndef ATTUNE_STORAGE_ENTRY_ROW_H_
#define ATTUNE_STORAGE_ENTRY_ROW_H_

#include <cstdint>
#include <optional>
#include <string>

#include "base/bytes.h"

namespace attune::storage {

// One row of the entries table. Field formats are in storage/schema.h; Database validates
// them on write (kInvalidArgument) and on read (kCorruption).
struct EntryRow {
  std::string id;    // kEntryIdLength lowercase hex digits
  std::string kind;  // non-empty; meaning owned by node
  int step = 0;
  int64_t created_ms = 0;  // UTC unix milliseconds
  int32_t created_offset_min = 0;
  int64_t updated_ms = 0;
  int32_t updated_offset_min = 0;
  std::string visibility = "private";  // "private" | "shared"
  std::string author = "me";           // "me" | "partner"
  Bytes body;                          // sealed by node; opaque here

  bool operator==(const EntryRow&) const = default;
};

// Conditions ANDed together; an empty filter matches every entry.
// Default initializers let callers name only the conditions they use ({.kind = "note"}).
struct EntryFilter {
  std::optional<std::string> kind = std::nullopt;
  std::optional<int> step = std::nullopt;
  std::optional<int64_t> since_ms = std::nullopt;  // created_ms >= since_ms
  std::optional<int64_t> until_ms = std::nullopt;  // created_ms < until_ms
  std::optional<std::string> author = std::nullopt;
};

}  // namespace attune::storage

#endif  // ATTUNE_STORAGE_ENTRY_ROW_H_
