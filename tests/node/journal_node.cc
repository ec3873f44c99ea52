#include "tests/node/journal_node.h"

#include <gtest/gtest.h>

#include "tests/node/node_test_util.h"

namespace attune::node::testing {

JournalNode::JournalNode(const std::string& dir, const std::string& name, const Clock& clock)
    : home_(dir), clock_(clock) {
  Result<Journal> made = Journal::Init(home_, FastOptions(true, name), MustNotAsk(), clock);
  EXPECT_OK(made.status());
  if (made.ok()) Adopt(std::move(made).value());
}

Status JournalNode::Reopen() {
  Close();
  ATTUNE_ASSIGN_OR_RETURN(Journal opened, Journal::Open(home_, MustNotAsk(), clock_));
  Adopt(std::move(opened));
  return Status::Ok();
}

void JournalNode::Close() {
  store_.reset();
  journal_.reset();
}

void JournalNode::Adopt(Journal journal) {
  journal_.emplace(std::move(journal));
  store_ = std::make_unique<JournalSyncStore>(*journal_);
}

}  // namespace attune::node::testing
