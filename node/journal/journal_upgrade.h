// Internal to node/: the one-time upgrade of a journal made before format 2 (its entries'
// seals bound only their id and kind; its outgoing log and sync state were not authenticated),
// run by Journal::Open at the first unlock.
//
// In one transaction, so that a kill at any point leaves the journal as it was (and the next
// unlock upgrades it again) or wholly upgraded:
//  - every entry is re-sealed with its metadata bound (format 2); an own entry counts as shared
//    only if both its visibility column and its outgoing log row say so, as the sender of
//    format 1 required;
//  - a statement whose text is no longer its parts' composition loses its parts;
//  - every own shared entry is sent again in its current form, as SharedView renders it (so a
//    style result's quiz item answers stay home unless shared again --with-answers): its log
//    row gets a new seq and its content, sealed; withdrawals keep their seq, sealed;
//  - the journal's settings and sync state are sealed under the record key;
//  - the key check moves to format 2, which marks the upgrade done.
// A copy of the database is written beside it first (Home::upgrade_copy_path()) and removed
// once the transaction has committed: a person can always go back to the file as it was.
//
// An entry that fails to open as format 1 (damaged before the upgrade) is left as it is: it
// then fails format 2 as well and is quarantined like any damaged entry. A setting that fails
// to open stops the upgrade (kRecordDamaged) and changes nothing.
#ifndef ATTUNE_NODE_JOURNAL_JOURNAL_UPGRADE_H_
#define ATTUNE_NODE_JOURNAL_JOURNAL_UPGRADE_H_

#include <set>
#include <string>

#include "base/status.h"
#include "node/home.h"
#include "node/journal.h"

namespace attune::node {

class JournalUpgrade {
 public:
  JournalUpgrade(Journal& journal, const Home& home) : journal_(journal), home_(home) {}

  Status Run();

 private:
  Status UpgradeInTransaction();
  Status SealSettings();
  // Re-seals withdrawals in place and withdraws anew what no longer is shared; collects the
  // ids of the entries to send again.
  Status ResealLogRows(std::set<std::string>& shared_ids);
  Status ResealEntries(const std::set<std::string>& shared_ids);

  Journal& journal_;
  const Home& home_;
};

}  // namespace attune::node

#endif  // ATTUNE_NODE_JOURNAL_JOURNAL_UPGRADE_H_
