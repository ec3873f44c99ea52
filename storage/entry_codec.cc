#include "storage/entry_codec.h"

#include <cstdint>
#include <iterator>
#include <limits>

#include "storage/schema.h"

namespace attune::storage {
namespace {

bool IsLowerHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool IsOffsetInRange(int64_t minutes) {
  return minutes >= -kMaxOffsetMinutes && minutes <= kMaxOffsetMinutes;
}

Status ValidateVisibility(std::string_view visibility) {
  if (visibility != kVisibilityPrivate && visibility != kVisibilityShared) {
    return Status::InvalidArgument("visibility must be private or shared");
  }
  return Status::Ok();
}

bool IsAuthor(std::string_view author) {
  return author == kAuthorMe || author == kAuthorPartner || author == kAuthorFormer;
}

bool InRange32(int64_t value) {
  return value >= std::numeric_limits<int32_t>::min() &&
         value <= std::numeric_limits<int32_t>::max();
}

}  // namespace

Status ValidateEntryId(std::string_view id) {
  if (id.size() != kEntryIdLength || !IsLowerHex(id)) {
    return Status::InvalidArgument("entry id must be 32 lowercase hex digits");
  }
  return Status::Ok();
}

Status ValidateIdPrefix(std::string_view prefix) {
  if (prefix.empty() || prefix.size() > kEntryIdLength || !IsLowerHex(prefix)) {
    return Status::InvalidArgument("id prefix must be 1 to 32 lowercase hex digits");
  }
  return Status::Ok();
}

Status ValidateEntryUpdate(const EntryRow& row) {
  ATTUNE_RETURN_IF_ERROR(ValidateEntryId(row.id));
  if (!IsOffsetInRange(row.updated_offset_min)) {
    return Status::InvalidArgument("utc offset out of range");
  }
  return ValidateVisibility(row.visibility);
}

Status ValidateEntryRow(const EntryRow& row) {
  ATTUNE_RETURN_IF_ERROR(ValidateEntryUpdate(row));
  if (row.kind.empty()) return Status::InvalidArgument("entry kind must not be empty");
  if (!IsOffsetInRange(row.created_offset_min)) {
    return Status::InvalidArgument("utc offset out of range");
  }
  if (!IsAuthor(row.author)) return Status::InvalidArgument("author must be me, partner or former");
  return Status::Ok();
}

Status ValidateFilter(const EntryFilter& filter) {
  if (filter.author && !IsAuthor(*filter.author)) {
    return Status::InvalidArgument("author filter must be me, partner or former");
  }
  return Status::Ok();
}

std::string FilterClause(const EntryFilter& filter) {
  std::string clause;
  auto add = [&clause](const char* condition) {
    clause += clause.empty() ? " WHERE " : " AND ";
    clause += condition;
  };
  if (filter.kind) add("kind = ?");
  if (filter.step) add("step = ?");
  if (filter.since_ms) add("created_ms >= ?");
  if (filter.until_ms) add("created_ms < ?");
  if (filter.author) add("author = ?");
  return clause;
}

Status BindFilter(Statement& statement, const EntryFilter& filter) {
  int index = 1;
  if (filter.kind) ATTUNE_RETURN_IF_ERROR(statement.BindText(index++, *filter.kind));
  if (filter.step) ATTUNE_RETURN_IF_ERROR(statement.BindInt64(index++, *filter.step));
  if (filter.since_ms) ATTUNE_RETURN_IF_ERROR(statement.BindInt64(index++, *filter.since_ms));
  if (filter.until_ms) ATTUNE_RETURN_IF_ERROR(statement.BindInt64(index++, *filter.until_ms));
  if (filter.author) ATTUNE_RETURN_IF_ERROR(statement.BindText(index++, *filter.author));
  return Status::Ok();
}

Status BindEntryRow(Statement& statement, const EntryRow& row) {
  ATTUNE_RETURN_IF_ERROR(statement.BindText(1, row.id));
  ATTUNE_RETURN_IF_ERROR(statement.BindText(2, row.kind));
  ATTUNE_RETURN_IF_ERROR(statement.BindInt64(3, row.step));
  ATTUNE_RETURN_IF_ERROR(statement.BindInt64(4, row.created_ms));
  ATTUNE_RETURN_IF_ERROR(statement.BindInt64(5, row.created_offset_min));
  ATTUNE_RETURN_IF_ERROR(statement.BindInt64(6, row.updated_ms));
  ATTUNE_RETURN_IF_ERROR(statement.BindInt64(7, row.updated_offset_min));
  ATTUNE_RETURN_IF_ERROR(statement.BindText(8, row.visibility));
  ATTUNE_RETURN_IF_ERROR(statement.BindText(9, row.author));
  return statement.BindBlob(10, row.body);
}

EntryRow ReadEntryRow(const Statement& statement, int first) {
  static constexpr ColumnType kExpected[] = {
      ColumnType::kText,    ColumnType::kText,    ColumnType::kInteger, ColumnType::kInteger,
      ColumnType::kInteger, ColumnType::kInteger, ColumnType::kInteger, ColumnType::kText,
      ColumnType::kText,    ColumnType::kBlob};
  EntryRow row;
  row.id = statement.ColumnText(first + 0);
  row.visibility.clear();  // an unreadable row names no visibility and no author
  row.author.clear();
  bool readable = true;
  for (int column = 0; column < static_cast<int>(std::size(kExpected)); ++column) {
    readable = readable && statement.TypeAt(first + column) == kExpected[column];
  }
  const int64_t step = statement.ColumnInt64(first + 2);
  const int64_t created_offset = statement.ColumnInt64(first + 4);
  const int64_t updated_offset = statement.ColumnInt64(first + 6);
  readable = readable && InRange32(step) && IsOffsetInRange(created_offset) &&
             IsOffsetInRange(updated_offset);
  if (!readable) return row;  // the id alone, and an empty body that no seal opens
  row.kind = statement.ColumnText(first + 1);
  row.step = static_cast<int>(step);
  row.created_ms = statement.ColumnInt64(first + 3);
  row.created_offset_min = static_cast<int32_t>(created_offset);
  row.updated_ms = statement.ColumnInt64(first + 5);
  row.updated_offset_min = static_cast<int32_t>(updated_offset);
  row.visibility = statement.ColumnText(first + 7);
  row.author = statement.ColumnText(first + 8);
  row.body = statement.ColumnBlob(first + 9);
  return row;
}

}  // namespace attune::storage
