// One partner's node for the tests of two journals syncing in memory (journal_sync_test,
// sharing_property_test): a passphrase-free journal in a home of its own and the sync store over
// it. Not movable: the store refers to the journal.
#ifndef ATTUNE_TESTS_NODE_JOURNAL_NODE_H_
#define ATTUNE_TESTS_NODE_JOURNAL_NODE_H_

#include <memory>
#include <optional>
#include <string>

#include "node/clock.h"
#include "node/home.h"
#include "node/journal.h"
#include "node/journal/journal_sync.h"

namespace attune::node::testing {

class JournalNode {
 public:
  // Makes a journal named `name` in `dir`, dated by `clock` (which must outlive the node).
  // Records a test failure if it cannot.
  JournalNode(const std::string& dir, const std::string& name, const Clock& clock);
  JournalNode(const JournalNode&) = delete;
  JournalNode& operator=(const JournalNode&) = delete;

  Journal& journal() { return *journal_; }
  JournalSyncStore& store() { return *store_; }
  const Home& home() const { return home_; }

  // Closes the journal and opens the home again, as a new process would (after its files were
  // replaced, or to restart).
  Status Reopen();
  // Closes the journal so its files can be copied.
  void Close();

 private:
  void Adopt(Journal journal);

  Home home_;
  const Clock& clock_;
  std::optional<Journal> journal_;
  std::unique_ptr<JournalSyncStore> store_;
};

}  // namespace attune::node::testing

#endif  // ATTUNE_TESTS_NODE_JOURNAL_NODE_H_
