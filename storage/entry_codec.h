// Moving EntryRow values in and out of SQL statements. Internal to storage.
#ifndef ATTUNE_STORAGE_ENTRY_CODEC_H_
#define ATTUNE_STORAGE_ENTRY_CODEC_H_

#include <string>
#include <string_view>

#include "base/status.h"
#include "storage/entry_row.h"
#include "storage/statement.h"

namespace attune::storage {

// The column list every entry SELECT uses, in the order ReadEntryRow expects.
inline constexpr std::string_view kEntryColumns =
    "id, kind, step, created_ms, created_offset_min, updated_ms, updated_offset_min, "
    "visibility, author, body";

// kInvalidArgument unless `id` is exactly kEntryIdLength lowercase hex digits.
Status ValidateEntryId(std::string_view id);
// kInvalidArgument unless `prefix` is 1..kEntryIdLength lowercase hex digits.
Status ValidateIdPrefix(std::string_view prefix);
// Checks every field InsertEntry stores.
Status ValidateEntryRow(const EntryRow& row);
// Checks only the fields UpdateEntry writes (id, updated_offset_min, visibility).
Status ValidateEntryUpdate(const EntryRow& row);
Status ValidateFilter(const EntryFilter& filter);

// " WHERE a = ? AND b >= ?" for the set fields of `filter` ("" when none are set), and the
// matching binds starting at parameter 1. The two must be used together.
std::string FilterClause(const EntryFilter& filter);
Status BindFilter(Statement& statement, const EntryFilter& filter);

// Binds the ten kEntryColumns values to parameters 1..10.
Status BindEntryRow(Statement& statement, const EntryRow& row);

// Reads a row selected with kEntryColumns, starting at column `first`. A row whose columns do
// not hold what attune writes (a type or an out-of-range value put there by hand or by damage)
// still comes back, with its id as text and an empty body: no seal opens an empty body, so
// node finds that one entry damaged, as for any other change to its row, and one bad row never
// fails a whole listing or sync.
EntryRow ReadEntryRow(const Statement& statement, int first = 0);

}  // namespace attune::storage

#endif  // ATTUNE_STORAGE_ENTRY_CODEC_H_
