#include "storage/statement_cache.h"

#include <utility>

namespace attune::storage {

StatementLease::StatementLease(StatementLease&& other) noexcept
    : cache_(std::exchange(other.cache_, nullptr)), node_(std::move(other.node_)) {}

StatementLease::~StatementLease() {
  if (cache_ != nullptr && !node_.empty()) cache_->Return(std::move(node_));
}

Result<StatementLease> StatementCache::Acquire(std::string_view sql) {
  std::string key(sql);
  auto it = idle_.find(key);
  if (it == idle_.end()) {
    ATTUNE_ASSIGN_OR_RETURN(Statement statement, Statement::Prepare(db_, sql));
    it = idle_.emplace(std::move(key), std::move(statement)).first;
  }
  // Taking the node out of the map marks the statement busy: a nested Acquire of the same
  // SQL finds no idle entry and prepares another.
  return StatementLease(this, idle_.extract(it));
}

void StatementCache::Return(StatementLease::Node node) {
  node.mapped().Reset();
  // If a nested lease already returned a statement for this SQL, this one is dropped.
  idle_.insert(std::move(node));
}

}  // namespace attune::storage
